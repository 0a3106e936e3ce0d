/**
 * The Agent resource's parts used by several operations: the agent body, its ID, its fields and
 * its simplified output.
 */
import type { IDataObject, IExecuteSingleFunctions } from 'n8n-workflow';

import { agentIdLocator, ROLE_OPTIONS, showFor, simplifyProperty } from '../../shared/descriptions';
import { fail, isPositiveInteger, simplifyWith, validate } from '../../shared/requestHooks';
import { EMAIL_PATTERN } from '../../shared/email';

/** Agent fields as the API names them, from the node's "Create" fields or "Update Fields". */
export function agentBody(context: IExecuteSingleFunctions, fields: IDataObject): IDataObject {
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
	if (body.email !== undefined && !EMAIL_PATTERN.test(String(body.email))) {
		fail(
			context,
			`"${String(body.email)}" is not an email address`,
			'Agents sign in with their email; give a valid one.',
		);
	}
	return body;
}

export const validAgentId = validate(
	'agentId',
	isPositiveInteger,
	(value) => `"${String(value)}" is not an agent ID`,
	'Pick the agent from the list, or give its numeric ID.',
);

export const agentIdField = agentIdLocator(showFor('agent', ['get', 'update']), 'The agent');

export const roleField = {
	displayName: 'Role',
	name: 'role',
	type: 'options' as const,
	options: ROLE_OPTIONS,
	default: 'agent',
	description:
		'What the agent may do in Mottasl: admin (everything), supervisor (sees all conversations) or agent (own conversations)',
};

export const statusField = {
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

/** An agent record has 11 fields; Simplify keeps the ones a workflow uses. */
export const simplifyAgent = simplifyWith((agent) => ({
	id: agent.id,
	name: agent.name,
	display_name: agent.display_name,
	email: agent.email,
	role: agent.role,
	status: agent.status,
	platform_id: agent.platform_id,
}));

/** Listed last among the resource's fields, after the other operations'. */
export const simplifyAgentField = simplifyProperty(showFor('agent', ['get', 'getAll']));
