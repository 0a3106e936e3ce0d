import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties, PreSendAction } from 'n8n-workflow';

import type { DisplayOptions } from '../../shared/descriptions';
import { operation, phoneField } from '../../shared/descriptions';
import { fail, isPositiveInteger, parameter, unwrapData, validate, withBody } from '../../shared/hooks';

export const SEND_OPERATIONS = [
	'sendText',
	'sendTemplate',
	'sendImage',
	'sendDocument',
	'sendAudio',
	'sendVideo',
	'sendLocation',
	'sendContacts',
	'sendInteractive',
];

export function showForMessage(operations: string | string[]): DisplayOptions {
	return { show: { resource: ['message'], operation: Array.isArray(operations) ? operations : [operations] } };
}

/** One "Send ..." operation: POST /message/send with `type`, the recipient and the send options. */
export interface SendSpec {
	name: string;
	value: string;
	action: string;
	description: string;
	/** The message `type` of the body, e.g. "text". */
	type: string;
	preSend?: PreSendAction[];
}

export function sendOperation(spec: SendSpec) {
	return operation({
		...spec,
		endpoint: 'sendMessage',
		qs: { create: false },
		body: { recipient_type: 'individual', type: spec.type },
		postReceive: [unwrapData],
	});
}

async function attributeToAgent(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	const agentId = parameter<string | number>(this, 'sendOptions.agentId', '');
	if (!isPositiveInteger(agentId)) fail(this, `Agent "${String(agentId)}" is not an agent ID`, 'Pick the agent from the list, or give its numeric ID.');
	return withBody(requestOptions, { source: 'agent', agent_id: Number(agentId) });
}

export const isHttpUrl = (value: unknown) => /^https?:\/\/[^\s/$.?#][^\s]*$/i.test(String(value ?? '').trim());

export function requireHttpUrl(name: string, label: string): PreSendAction {
	return validate(name, isHttpUrl, (value) => `${label} "${String(value)}" is not an http(s) URL`, 'Give a public http:// or https:// URL that WhatsApp can download.');
}

/** The sends that WhatsApp only delivers inside the contact's 24-hour customer-service window. */
const FREE_FORM_SENDS = SEND_OPERATIONS.filter((value) => value !== 'sendTemplate');

export const sendCommonFields: INodeProperties[] = [
	{
		displayName:
			'WhatsApp delivers this message only within 24 hours of the contact\'s last message to you. To reach a contact outside that window, use Send Template.',
		name: 'sessionWindowNotice',
		type: 'notice',
		default: '',
		displayOptions: showForMessage(FREE_FORM_SENDS),
	},
	phoneField({
		name: 'to',
		displayName: 'To',
		description: 'WhatsApp number of the recipient.',
		displayOptions: showForMessage(SEND_OPERATIONS),
		bodyProperty: 'to',
	}),
];

export const sendOptionsField: INodeProperties = {
	displayName: 'Options',
	name: 'sendOptions',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	displayOptions: showForMessage(SEND_OPERATIONS),
	options: [
		{
			displayName: 'Attribute to Agent Name or ID',
			name: 'agentId',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getAgents' },
			default: '',
			description:
				'Show the message in Mottasl as sent by this agent. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			routing: { send: { preSend: [attributeToAgent] } },
		},
		{
			displayName: 'Create Contact If Missing',
			name: 'createContact',
			type: 'boolean',
			default: true,
			description: 'Whether to create the contact when the number is not a contact yet (otherwise the send fails for unknown numbers)',
			routing: { send: { type: 'query', property: 'create' } },
		},
		{
			displayName: 'Link Preview',
			name: 'previewUrl',
			type: 'boolean',
			default: true,
			displayOptions: { show: { '/operation': ['sendText'] } },
			description: 'Whether WhatsApp shows a preview of the first link in the text',
			routing: { send: { type: 'body', property: 'text.preview_url' } },
		},
	],
};
