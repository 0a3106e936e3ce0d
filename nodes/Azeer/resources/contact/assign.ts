/** Contact → Assign to Agent. */
import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { resourceLocator, showFor } from '../../shared/descriptions';
import type { OperationSpec } from '../../routing/operation';
import { fail, unwrapData, withBody } from '../../shared/requestHooks';
import { parameter } from '../../routing/itemState';
import { EMAIL_PATTERN } from '../../shared/email';

async function agentEmailToBody(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
) {
	const email = String(parameter(this, 'agentEmail', '')).trim();
	if (!EMAIL_PATTERN.test(email))
		fail(
			this,
			`"${email}" is not an agent's email`,
			'Agents are identified by their email; pick the agent from the list.',
		);
	return withBody(requestOptions, { assigned_platform_id: email });
}

export const assignSpec: OperationSpec = {
	name: 'Assign to Agent',
	value: 'assign',
	action: 'Assign contact to agent',
	description: "Assign the contact's conversation to an agent",
	endpoint: 'assignContact',
	preSend: [agentEmailToBody],
	postReceive: [unwrapData],
};

export const assignFields: INodeProperties[] = [
	resourceLocator({
		name: 'agentEmail',
		displayName: 'Agent',
		description: 'The agent to assign, identified by email',
		searchMethod: 'searchAgentEmails',
		displayOptions: showFor('contact', 'assign'),
		manual: {
			name: 'email',
			displayName: 'Email',
			placeholder: 'e.g. agent@example.com',
			hint: "The agent's email",
		},
	}),
];
