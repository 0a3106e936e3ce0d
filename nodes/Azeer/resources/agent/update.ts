/** Agent → Update. */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { showFor } from '../../shared/descriptions';
import type { OperationSpec } from '../../routing/operation';
import { fail, unwrapData, withBody } from '../../shared/requestHooks';
import { parameter } from '../../routing/itemState';
import { agentBody, roleField, statusField, validAgentId } from './common';

async function updateAgentBody(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	const body = agentBody(this, parameter<IDataObject>(this, 'updateFields', {}));
	if (Object.keys(body).length === 0)
		fail(this, 'Nothing to update', 'Add at least one field under "Update Fields".');
	return withBody(requestOptions, body);
}

export const updateSpec: OperationSpec = {
	name: 'Update',
	value: 'update',
	action: 'Update agent',
	description: "Change an agent's name, email, role or status",
	endpoint: 'updateAgent',
	path: { id: '$parameter.agentId' },
	preSend: [validAgentId, updateAgentBody],
	postReceive: [unwrapData],
};

export const updateFields: INodeProperties[] = [
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'The fields to change; fields not added keep their value',
		displayOptions: showFor('agent', 'update'),
		options: [
			{
				displayName: 'Display Name',
				name: 'displayName',
				type: 'string',
				default: '',
				description: 'Name contacts and colleagues see',
			},
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				description: 'Email the agent signs in with, e.g. name@example.com',
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: 'Full name of the agent',
			},
			roleField,
			{ ...statusField, name: 'status' },
		],
	},
];
