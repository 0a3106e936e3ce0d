/**
 * What the Azeer node is when an AI Agent uses it as a tool ("Azeer Tool"): the description the
 * model reads for each operation, and the guards a business wants on an agent that can message
 * customers. Everything here is shown only on the tool variant (`@tool` display option), so the
 * plain Azeer node is unchanged.
 *
 * n8n uses a node's `toolDescription` parameter as the tool's description when the node has one
 * (n8n-workflow's getToolDescriptionForNode); without it the model only sees the operation's action,
 * e.g. "Send template message in Azeer". One `toolDescription` per operation gives every operation
 * a description written for a model: what it does, when to use it, and the format of its values.
 */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeProperties,
	PreSendAction,
} from 'n8n-workflow';

import { fail } from './requestHooks';
import { parameter } from '../routing/itemState';
import { normalizePhone } from '../../shared/phone';
import { parseTemplateRef } from './templates';

const PHONE_FORMAT = 'phone: the WhatsApp number with country code, digits only, e.g. 966501234567';

/** The description the model reads, by resource and operation. */
export const TOOL_DESCRIPTIONS: Record<string, Record<string, string>> = {
	message: {
		sendText: `Send a free-form WhatsApp text message to a contact. Use it to answer or inform a customer who wrote to you in the last 24 hours; outside that window WhatsApp rejects it and you must send a template instead. Values: ${PHONE_FORMAT}; text: plain text, at most 4096 characters.`,
		sendTemplate: `Send an approved WhatsApp template message (e.g. an offer or an order update) to a contact. Use it when the customer asks for a specific prepared message, or to reach a contact outside the 24-hour window. Each template goes out at most once per agent run. Values: ${PHONE_FORMAT}; one text value per template placeholder.`,
		sendImage: `Send an image (JPEG or PNG, up to 5 MB) from a public URL to a contact, with an optional caption. Use it to show a product or a picture the customer asked for, within 24 hours of their last message. Values: ${PHONE_FORMAT}; URL: an http(s) link; caption: text up to 1024 characters.`,
		sendVideo: `Send a video from a public URL to a contact, with an optional caption. Use it when the customer asked for a video, within 24 hours of their last message. Values: ${PHONE_FORMAT}; URL: an http(s) link; caption: text up to 1024 characters.`,
		sendAudio: `Send an audio file or voice note from a public URL to a contact. Use it when the customer asked for audio, within 24 hours of their last message. Values: ${PHONE_FORMAT}; URL: an http(s) link.`,
		sendDocument: `Send a document (PDF, invoice, catalogue, up to 100 MB) from a public URL to a contact. Use it when the customer asked for a file, within 24 hours of their last message. Values: ${PHONE_FORMAT}; URL: an http(s) link; file name: e.g. invoice.pdf.`,
		sendLocation: `Send a map pin to a contact. Use it when the customer asks where a store or pick-up point is, within 24 hours of their last message. Values: ${PHONE_FORMAT}; latitude and longitude: decimal degrees, e.g. 24.7136 and 46.6753; name and address: short text.`,
		sendContacts: `Send one or more contact cards (name and phone numbers) to a contact. Use it when the customer asks for someone's contact details, within 24 hours of their last message. Values: ${PHONE_FORMAT}; each card: a name and phone numbers with country code.`,
		sendInteractive: `Send a message with up to 3 reply buttons or a list menu of up to 10 rows; the customer's choice comes back as a new message. Use it to offer the customer a few clear choices, within 24 hours of their last message. Values: ${PHONE_FORMAT}; button titles up to 20 characters, list row titles up to 24 characters.`,
		sendAndWait: `Ask a contact a question with reply buttons, a list or as text, and pause the workflow until they answer; their answer is the result. Use it when a person must confirm or choose before the workflow goes on, within 24 hours of their last message. Values: ${PHONE_FORMAT}; question: text up to 1024 characters (4096 for a written answer).`,
		delete:
			'Delete one message the business sent, by its numeric message ID (from the output of a send). Use it only when the customer or the workflow asks to remove a message sent by mistake. Values: message ID: a whole number, e.g. 1234.',
		deleteMany:
			'Delete up to 100 messages the business sent, by their numeric message IDs. Use it only to remove several messages sent by mistake. Values: message IDs: whole numbers, e.g. [1234, 1235].',
	},
	template: {
		get: 'Get one WhatsApp template by name and language, with its text and the placeholders it needs. Use it before sending a template, to learn how many values it takes. Values: template: name and language code separated by "|", e.g. order_update|en.',
		getAll:
			'List the WhatsApp templates of the account (approved ones by default), with their names, languages and placeholders. Use it to find which template to send. Values: language: a code like en or ar; category: MARKETING, UTILITY or AUTHENTICATION.',
	},
	contact: {
		addTags: `Add tags (labels such as VIP) to a contact; returns all tag IDs the contact has now. Use it when the customer should be labelled, e.g. they ask to join the VIP list. Values: ${PHONE_FORMAT}; tag IDs: a list of whole numbers, e.g. [1] (not tag names).`,
		assign: `Hand the contact's conversation over to a human agent of the team. Use it when the customer asks for a person, or when you cannot help. Values: ${PHONE_FORMAT}; agent: the agent's email, e.g. agent@example.com.`,
		create: `Create a contact, or update the name, email and tags of an existing one. Use it when the customer gives you their details. Values: ${PHONE_FORMAT}; name: text; email: an email address; tag IDs: whole numbers.`,
		createMany: `Create many contacts in as few requests as possible. Use it only for imports of lists, not in a conversation. Values: per contact, ${PHONE_FORMAT}, and a name.`,
		get: `Look up a contact by phone number: name, email, tags and the assigned agent. Use it to learn who the customer is before answering or acting. Values: ${PHONE_FORMAT}.`,
	},
	agent: {
		create:
			'Invite a new agent (a team member) to the Mottasl inbox; this uses a paid seat. Use it only when an administrator asks to add a team member. Values: name: text; email: an email address; role: admin, agent or supervisor.',
		get: 'Get one agent of the team by numeric ID, with name, email, role and status. Use it to check who an agent is. Values: agent ID: a whole number, e.g. 2.',
		getAll:
			'List the agents (team members) of the account, with their IDs, emails and roles. Use it to find the right person to hand a conversation to. Values: none required.',
		update:
			"Change an agent's name, email, role or status (active or inactive). Use it only when an administrator asks for the change. Values: agent ID: a whole number; role: admin, agent or supervisor; status: active or inactive.",
	},
	tag: {
		create:
			'Create a new tag to label contacts with. Use it only when a needed tag does not exist yet (list the tags first). Values: name: short text, e.g. VIP; colour: a hex colour like #e74266.',
		getAll:
			'List the tags of the account with their numeric IDs and names. Use it to find the ID of a tag (e.g. VIP) before adding tags to a contact. Values: none required.',
	},
	customField: {
		getAll:
			'List the custom contact fields of the account (e.g. Company, City) with their IDs and types. Use it to learn which extra contact details exist. Values: none required.',
	},
	webhook: {
		create:
			'Register a URL that Azeer calls on an event such as an incoming message. Use it only when setting up an integration (the Azeer Trigger does this itself). Values: URL: an https link; event: an Azeer event name such as incoming_msg.',
		delete:
			'Remove a webhook so Azeer stops calling it. Use it only when an integration is retired. Values: webhook ID: a whole number.',
		get: 'Get one webhook by numeric ID: its URL, event and whether it is enabled. Use it to check an integration. Values: webhook ID: a whole number.',
		getAll:
			'List the webhooks of the account with their URLs and events. Use it to check which integrations receive events. Values: none required.',
	},
	userSession: {
		create:
			'Create a sign-in session for a user of a partner app (partner accounts only) and return its session URL. Use it only when a partner integration needs to sign a user in. Values: email: an email address; name: text; role: admin, agent or supervisor.',
	},
};

/** One `toolDescription` parameter per operation, shown only on the tool variant. */
export const toolDescriptionProperties: INodeProperties[] = Object.entries(
	TOOL_DESCRIPTIONS,
).flatMap(([resource, operations]) =>
	Object.entries(operations).map(([operation, description]): INodeProperties => ({
		displayName: 'Tool Description',
		name: 'toolDescription',
		type: 'string',
		typeOptions: { rows: 3 },
		default: description,
		description:
			'What the AI model reads about this tool: what it does, when to use it, and the format of its values',
		displayOptions: { show: { '@tool': [true], resource: [resource], operation: [operation] } },
	})),
);

/** The parameter that holds the contact's number, by operation (send operations use `to`). */
function targetPhoneParameter(context: IExecuteSingleFunctions): string | undefined {
	const resource = context.getNodeParameter('resource', '') as string;
	const operation = context.getNodeParameter('operation', '') as string;
	if (resource === 'message' && operation.startsWith('send')) return 'to';
	if (resource === 'contact' && ['addTags', 'assign', 'get', 'create'].includes(operation))
		return 'phone';
	return undefined;
}

async function refuseOtherPhones(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
) {
	const target = targetPhoneParameter(this);
	const configured = String(this.getNode().parameters.toolOnlyPhone ?? '').trim();
	if (!configured || !target) return requestOptions;
	const resolved = parameter<unknown>(this, 'toolOnlyPhone', '');
	const allowed = normalizePhone(resolved);
	// Set but not a number (e.g. the expression found no contactPhone): refuse rather than allow all.
	if (!allowed) {
		fail(
			this,
			`Refused: the conversation's number is not known ("Only This Phone Number" gave "${String(resolved ?? '')}")`,
			'The tool only acts for the current conversation. Answer the customer in text.',
		);
	}
	const given = parameter<string>(this, target, '');
	if (normalizePhone(given) !== allowed) {
		fail(
			this,
			`Refused: this tool may only contact ${allowed}, the number of the current conversation, not "${String(given)}"`,
			`Use the customer's own number (${allowed}); to reach anyone else, ask a human agent.`,
		);
	}
	return requestOptions;
}

/** Templates sent in each execution (one agent run), kept for the most recent executions only. */
const sentTemplates = new Map<string, Set<string>>();
const REMEMBERED_EXECUTIONS = 200;

function templateKey(context: IExecuteSingleFunctions): string | undefined {
	const ref = parseTemplateRef(parameter(context, 'template', ''));
	const to = normalizePhone(parameter<string>(context, 'to', ''));
	return ref && to ? `${to}|${ref.name}|${ref.language ?? ''}` : undefined;
}

function sentInThisRun(context: IExecuteSingleFunctions): Set<string> {
	const executionId = context.getExecutionId() ?? 'no-execution';
	let sent = sentTemplates.get(executionId);
	if (!sent) {
		sentTemplates.set(executionId, (sent = new Set()));
		if (sentTemplates.size > REMEMBERED_EXECUTIONS)
			sentTemplates.delete(sentTemplates.keys().next().value as string);
	}
	return sent;
}

/**
 * Counts a template as sent when its request is about to go out, not when the answer came back:
 * a send that failed midway may still have been delivered, and items of one run go out
 * concurrently, so checking and recording in one synchronous step is what keeps it to one send.
 */
async function refuseRepeatedTemplate(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
) {
	const key = parameter<boolean>(this, 'toolTemplateOnce', true) ? templateKey(this) : undefined;
	if (!key) return requestOptions;
	const sent = sentInThisRun(this);
	if (sent.has(key)) {
		const [to, name] = key.split('|');
		fail(
			this,
			`Refused: template ${name} was already sent to ${to} in this agent run, and each template goes out at most once per run`,
			'Do not send it again. Tell the customer it was sent, or answer in text.',
		);
	}
	sent.add(key);
	return requestOptions;
}

const PHONE_OPERATIONS_LIST = [
	'sendText',
	'sendTemplate',
	'sendImage',
	'sendDocument',
	'sendAudio',
	'sendVideo',
	'sendLocation',
	'sendContacts',
	'sendInteractive',
	'addTags',
	'assign',
	'get',
	'create',
];
const PHONE_OPERATIONS: IDataObject = { '@tool': [true], operation: PHONE_OPERATIONS_LIST };

/**
 * The guards' preSends for an operation run item by item, as the routing engine would pick them
 * from toolSafetyProperties: only on the tool variant, and for the operations they are shown for.
 */
export function toolGuardsFor(
	context: IExecuteSingleFunctions,
	resource: string,
	operation: string,
): PreSendAction[] {
	if (!context.getNode().type.endsWith('Tool')) return [];
	const guards: PreSendAction[] = [];
	if (['message', 'contact'].includes(resource) && PHONE_OPERATIONS_LIST.includes(operation))
		guards.push(refuseOtherPhones);
	if (resource === 'message' && operation === 'sendTemplate') guards.push(refuseRepeatedTemplate);
	return guards;
}

/** The tool's guards. They come last so their checks see the request every other field built. */
export const toolSafetyProperties: INodeProperties[] = [
	{
		displayName: 'Only This Phone Number',
		name: 'toolOnlyPhone',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.contactPhone }}',
		description:
			"Refuse any call whose phone number differs from this one, so the model cannot message or change other contacts. Put the conversation's number here with an expression, e.g. the contactPhone field of the Azeer Trigger's item. Empty allows any number.",
		displayOptions: { show: { ...PHONE_OPERATIONS, resource: ['message', 'contact'] } },
		routing: { send: { preSend: [refuseOtherPhones] } },
	},
	{
		displayName: 'Send Each Template Once per Run',
		name: 'toolTemplateOnce',
		type: 'boolean',
		default: true,
		description:
			'Whether to refuse sending the same template to the same number a second time in one workflow execution (one agent run), because agents can loop',
		displayOptions: {
			show: { '@tool': [true], resource: ['message'], operation: ['sendTemplate'] },
		},
		routing: { send: { preSend: [refuseRepeatedTemplate] } },
	},
];
