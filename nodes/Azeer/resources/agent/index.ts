/** The Agent resource: its operations and fields. */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import {
	agentIdLocator,
	operation,
	operationProperty,
	returnAllAndLimit,
	ROLE_OPTIONS,
	showFor,
} from '../../shared/descriptions';
import {
	fail,
	isPositiveInteger,
	parameter,
	unwrapData,
	validate,
	withBody,
} from '../../shared/routingHooks';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Agent fields as the API names them, from the node's "Create" fields or "Update Fields". */
function agentBody(context: IExecuteSingleFunctions, fields: IDataObject): IDataObject {
	const body: IDataObject = {};
	const map: Record<string, string> = {
		email: 'email',
		name: 'name',
		displayName: 'display_name',
		role: 'role',
		status: 'status',
	};
	for (const [field, key] of Object.entries(map)) {
		if (fields[field] !== undefined && fields[field] !== '') body[key] = fields[field];
	}
	if (body.email !== undefined && !EMAIL.test(String(body.email))) {
		fail(
			context,
			`"${String(body.email)}" is not an email address`,
			'Agents sign in with their email; give a valid one.',
		);
	}
	return body;
}

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

async function updateAgentBody(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	const body = agentBody(this, parameter<IDataObject>(this, 'updateFields', {}));
	if (Object.keys(body).length === 0)
		fail(this, 'Nothing to update', 'Add at least one field under "Update Fields".');
	return withBody(requestOptions, body);
}

const validAgentId = validate(
	'agentId',
	isPositiveInteger,
	(value) => `"${String(value)}" is not an agent ID`,
	'Pick the agent from the list, or give its numeric ID.',
);

const roleField = {
	displayName: 'Role',
	name: 'role',
	type: 'options' as const,
	options: ROLE_OPTIONS,
	default: 'agent',
	description:
		'What the agent may do in Mottasl: admin (everything), supervisor (sees all conversations) or agent (own conversations)',
};

const statusField = {
	displayName: 'Status',
	name: 'agentStatus',
	type: 'options' as const,
	options: [
		{ name: 'Active', value: 'active' },
		{ name: 'Inactive', value: 'inactive' },
	],
	default: 'active',
	description:
		'Active agents can sign in and take conversations and use a seat; inactive ones cannot',
};

const createShow = showFor('agent', 'create');

export const agentDescription: INodeProperties[] = [
	operationProperty(
		'agent',
		[
			operation({
				name: 'Create',
				value: 'create',
				action: 'Create agent',
				description: 'Invite a new agent to the Mottasl inbox (uses a seat)',
				endpoint: 'createAgent',
				preSend: [createAgentBody],
				postReceive: [unwrapData],
			}),
			operation({
				name: 'Get',
				value: 'get',
				action: 'Get agent',
				description: 'Get an agent by ID',
				endpoint: 'getAgent',
				path: { id: '$parameter.agentId' },
				preSend: [validAgentId],
				postReceive: [unwrapData],
			}),
			operation({
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many agents',
				description: 'List the agents of the account',
				endpoint: 'listAgents',
				postReceive: [unwrapData],
			}),
			operation({
				name: 'Update',
				value: 'update',
				action: 'Update agent',
				description: "Change an agent's name, email, role or status",
				endpoint: 'updateAgent',
				path: { id: '$parameter.agentId' },
				preSend: [validAgentId, updateAgentBody],
				postReceive: [unwrapData],
			}),
		],
		'getAll',
	),
	agentIdLocator(showFor('agent', ['get', 'update']), 'The agent'),
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
	...returnAllAndLimit(showFor('agent', 'getAll')),
];
