/** What every Message → Send operation shares: the send spec, its run, the recipient and the send options. */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeProperties,
	INodePropertyOptions,
	PreSendAction,
} from 'n8n-workflow';

import type { DisplayOptions } from '../../shared/descriptions';
import { phoneField, showFor, templateLocator } from '../../shared/descriptions';
import { operation } from '../../routing/operation';
import {
	fail,
	isPositiveInteger,
	normalizePhoneInBody,
	unwrapData,
	validate,
	withBody,
	withRequestOptions,
} from '../../shared/requestHooks';
import { answerBody, parameter } from '../../routing/itemState';
import { toolGuardsFor } from '../../shared/agentTool';
import { perItemOperation } from '../../shared/operationRun';
import { endpointRequest } from '../../../shared/endpoints';
import { SEND_TEMPLATE_INSTEAD, sendTemplateInstead } from './sessionFallback';

/** One "Send ..." operation: POST /message/send with `type`, the recipient and the send options. */
interface SendSpec {
	name: string;
	value: string;
	action: string;
	description: string;
	/** The message `type` of the body, e.g. "text". */
	type: string;
	/**
	 * The body's part of this type, from the item's parameters: what the `routing.send` of the
	 * operation's fields describe (the same request, checked in test/nodes/Azeer/resources/message).
	 */
	content?: (context: IExecuteSingleFunctions) => IDataObject;
	preSend?: PreSendAction[];
}

/** A send operation: its description option, and its run over the items (a custom operation). */
export interface Send {
	option: INodePropertyOptions;
	run: ReturnType<typeof perItemOperation>;
}

/** The send options as the item's request carries them. */
interface SendOptions {
	agentId?: unknown;
	createContact?: boolean;
	previewUrl?: boolean;
}

const normalizeRecipient = normalizePhoneInBody('To', 'to');

export function sendOperation(spec: SendSpec): Send {
	const recover = spec.type === 'template' ? undefined : sendTemplateInstead;
	const option = operation({
		...spec,
		endpoint: 'sendMessage',
		qs: { create: true },
		body: { recipient_type: 'individual', type: spec.type },
		postReceive: [unwrapData],
		recover,
	});
	const run = perItemOperation({
		// The request as the description's routing builds it, then the same preSend chain in the
		// same order: the operation's, the recipient's, the send options', the AI tool's guards.
		async build(context) {
			const options = parameter<SendOptions>(context, 'sendOptions', {});
			const body: IDataObject = {
				recipient_type: 'individual',
				type: spec.type,
				to: parameter(context, 'to', ''),
				...spec.content?.(context),
			};
			if (spec.value === 'sendText' && options.previewUrl !== undefined)
				(body.text as IDataObject).preview_url = options.previewUrl;
			let request = withRequestOptions(context, {
				...endpointRequest('sendMessage'),
				qs: { create: options.createContact ?? true },
				body,
				headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
				json: true,
			});
			const chain = [
				...(spec.preSend ?? []),
				normalizeRecipient,
				...(options.agentId !== undefined ? [attributeToAgent] : []),
				...toolGuardsFor(context, 'message', spec.value),
			];
			for (const preSend of chain) request = await preSend.call(context, request);
			return request;
		},
		async receive(context, response, request) {
			const answer = await answerBody(context, response, request, recover);
			const data = answer.data;
			return (Array.isArray(data) ? data : [data]).map((json) => ({ json: json as IDataObject }));
		},
	});
	return { option, run };
}

async function attributeToAgent(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
) {
	const agentId = parameter<string | number>(this, 'sendOptions.agentId', '');
	if (!isPositiveInteger(agentId))
		fail(
			this,
			`Agent "${String(agentId)}" is not an agent ID`,
			'Pick the agent from the list, or give its numeric ID.',
		);
	return withBody(requestOptions, { source: 'agent', agent_id: Number(agentId) });
}

const isHttpUrl = (value: unknown) =>
	/^https?:\/\/[^\s/$.?#][^\s]*$/i.test(String(value ?? '').trim());

export function requireHttpUrl(name: string, label: string): PreSendAction {
	return validate(
		name,
		isHttpUrl,
		(value) => `${label} "${String(value)}" is not an http(s) URL`,
		'Give a public http:// or https:// URL that WhatsApp can download.',
	);
}

/** The sends that WhatsApp only delivers inside the contact's 24-hour customer-service window. */
const freeFormOf = (sends: string[]) => sends.filter((value) => value !== 'sendTemplate');

/** The fields of every send; `sends` are the values of the send operations (see index.ts). */
export const sendCommonFields = (sends: string[]): INodeProperties[] => [
	{
		displayName:
			"WhatsApp delivers this message only within 24 hours of the contact's last message to you. To reach a contact outside that window, use Send Template.",
		name: 'sessionWindowNotice',
		type: 'notice',
		default: '',
		displayOptions: showFor('message', freeFormOf(sends)),
	},
	phoneField({
		name: 'to',
		displayName: 'To',
		description: 'WhatsApp number of the recipient.',
		displayOptions: showFor('message', sends),
		bodyProperty: 'to',
	}),
];

/** The send options; `sends` as for sendCommonFields. */
export function sendOptionsField(sends: string[]): INodeProperties {
	/**
	 * Not also conditioned on "Outside the 24-Hour Window": n8n resolves a collection option's
	 * displayOptions against the node's top-level parameters when it reads the value at run time.
	 */
	const showForFreeFormSends: DisplayOptions = { show: { '/operation': freeFormOf(sends) } };
	return {
		displayName: 'Options',
		name: 'sendOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		description:
			'Optional settings of the send: the agent it is shown from, contact creation, and what to do outside the 24-hour window',
		displayOptions: showFor('message', sends),
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
				description:
					'Whether to create the contact when the number is not a contact yet (on unless turned off here; off, a send to an unknown number fails)',
				routing: { send: { type: 'query', property: 'create' } },
			},
			{
				displayName: 'Fallback Body Values',
				name: 'fallbackBodyValues',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true, sortable: true },
				placeholder: 'Add Body Value',
				default: {},
				displayOptions: showForFreeFormSends,
				description:
					'Used with "Send a Template Instead": one value per {{n}} placeholder in the fallback template\'s body, in order: the first value is {{1}}',
				options: [
					{
						displayName: 'Value',
						name: 'values',
						values: [{ displayName: 'Value', name: 'value', type: 'string', default: '' }],
					},
				],
			},
			{
				...templateLocator(showForFreeFormSends),
				displayName: 'Fallback Template',
				name: 'fallbackTemplate',
				required: false,
				description:
					'Used with "Send a Template Instead": the approved template to send when the 24-hour window is closed. From the list, or by name and language like order_update|en (Template → Get Many lists them).',
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
			{
				displayName: 'Max Messages per Second',
				name: 'maxPerSecond',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 2 },
				default: 0,
				description:
					'Cap on how fast this node sends; 0 = as fast as the account allows. The node always paces sends to the account\'s limit (it slows down when Azeer answers "too many requests"); set a cap to leave room for other workflows on the same account.',
			},
			{
				displayName: 'Outside the 24-Hour Window',
				name: 'outsideWindow',
				type: 'options',
				default: 'fail',
				displayOptions: showForFreeFormSends,
				description:
					'What to do when WhatsApp rejects the message because the contact has not written in the last 24 hours',
				options: [
					{
						name: 'Fail',
						value: 'fail',
						description: 'Stop with an error (or continue with it, if the node is set to)',
					},
					{
						name: 'Send a Template Instead',
						value: SEND_TEMPLATE_INSTEAD,
						description:
							'Send the fallback template to the same number; the output then has a "fallback" field',
					},
				],
			},
		],
	};
}
