/** Agent → Create. */
import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { showFor } from '../../shared/descriptions';
import type { OperationSpec } from '../../routing/operation';
import { fail, unwrapData, withBody } from '../../shared/requestHooks';
import { parameter } from '../../routing/itemState';
import { agentBody, roleField, statusField } from './common';

async function createAgentBody(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	const fields = {
		email: parameter(this, 'email', ''),
		name: parameter(this, 'agentName', ''),
		displayName: parameter(this, 'displayName', '') || parameter(this, 'agentName', ''),
		role: parameter(this, 'role', 'agent'),
		status: parameter(this, 'agentStatus', 'active'),
	};
	if (!String(fields.name).trim()) fail(this, 'The agent name is empty');
	return withBody(requestOptions, agentBody(this, fields));
}

const createShow = showFor('agent', 'create');

export const createSpec: OperationSpec = {
	name: 'Create',
	value: 'create',
	action: 'Create agent',
	description: 'Invite a new agent to the Mottasl inbox (uses a seat)',
	endpoint: 'createAgent',
	preSend: [createAgentBody],
	postReceive: [unwrapData],
};

export const createFields: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		required: true,
		default: '',
		description: 'Email the agent signs in with; also identifies the agent when assigning contacts',
		displayOptions: createShow,
	},
	{
		displayName: 'Name',
		name: 'agentName',
		type: 'string',
		required: true,
		default: '',
		description: 'Full name of the agent, e.g. Omar Haddad',
		displayOptions: createShow,
	},
	{
		displayName: 'Display Name',
		name: 'displayName',
		type: 'string',
		default: '',
		description: 'Name contacts and colleagues see; defaults to the name',
		displayOptions: createShow,
	},
	{ ...roleField, displayOptions: createShow },
	{ ...statusField, displayOptions: createShow },
];
