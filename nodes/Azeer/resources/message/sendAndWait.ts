/**
 * Message → Send and Wait for Response, a custom operation of the Azeer node: sends a question
 * with reply buttons or a list whose IDs are signed answer references (see
 * shared/answerReference.ts), or as text, puts the execution into n8n's waiting state, and resumes
 * through the node's webhook when the Azeer Trigger forwards the contact's tap, or their typed
 * reply (found through shared/pendingQuestions.ts).
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError, WAIT_INDEFINITELY } from 'n8n-workflow';

import {
	answerId,
	answerKey,
	FORWARD_SIGNATURE_HEADER,
	FORWARD_TIMESTAMP_HEADER,
	parseAnswerId,
	verifyAnswerReference,
	verifyForwardSignature,
} from '../../shared/answerReference';
import type { AnswerTarget, ForwardedAnswer } from '../../shared/answerReference';
import { registerPendingQuestion } from '../../shared/pendingQuestions';
import { invalidInput } from '../../../shared/errors';
import {
	buildInteractive,
	INTERACTIVE_LIMITS,
	interactiveProblems,
} from '../../shared/interactive';
import type { InteractiveInput } from '../../shared/interactive';
import { normalizePhone, PHONE_HINT } from '../../shared/phone';
import { showFor } from '../../shared/descriptions';
import { CREDENTIAL_TYPE } from '../../../shared/baseUrl';
import { azeerApiRequest } from '../../../shared/transport';

/** The value n8n gives its own send-and-wait operations (SEND_AND_WAIT_OPERATION). */
export const SEND_AND_WAIT = 'sendAndWait';

/** The choice IDs of an Approval question. */
const APPROVE = 'approve';
const DECLINE = 'decline';
const FREE_TEXT = 'freeText';
/** The choice signed into the reference a typed reply is forwarded with. */
const TYPED_REPLY = 'typed-reply';
const TEXT_LIMIT = 4096;

/** A choice ID travels inside the signed reference, so it is kept short and free of separators. */
const CHOICE_ID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;

export const sendAndWaitOperation: INodePropertyOptions = {
	name: 'Send and Wait for Response',
	value: SEND_AND_WAIT,
	action: 'Send message and wait for response',
	description:
		'Ask the contact a question with reply buttons, a list or as text, pause the workflow, and continue with their answer (an active Azeer Trigger routes the replies)',
};

interface Choice {
	id: string;
	title: string;
	description?: string;
}

const text = (value: unknown) => String(value ?? '').trim();

function approvalChoices(context: IExecuteFunctions): Choice[] {
	const approval = context.getNodeParameter('approvalOptions', 0, {}) as IDataObject;
	const choices = [{ id: APPROVE, title: text(approval.approveLabel ?? 'Approve') }];
	if ((approval.approvalType ?? 'double') === 'double') {
		choices.push({ id: DECLINE, title: text(approval.declineLabel ?? 'Decline') });
	}
	return choices;
}

function listedChoices(context: IExecuteFunctions): Choice[] {
	const rows = context.getNodeParameter('choices.choice', 0, []) as IDataObject[];
	return rows.map((row) => ({
		id: text(row.id),
		title: text(row.title),
		description: text(row.description) || undefined,
	}));
}

function fail(context: IExecuteFunctions, message: string, description?: string): never {
	throw invalidInput(context.getNode(), 0, message, description);
}

interface Question {
	to: string;
	/** The interactive message without its choices; undefined for Free Text (a text message). */
	input?: Omit<InteractiveInput, 'buttons' | 'sections'>;
	body: string;
	choices: Choice[];
}

/** Whether a message without an answer ID answers the question (Free Text, or "Accept"). */
function takesTypedReplies(responseType: string, otherReplies: string): boolean {
	return responseType === FREE_TEXT || otherReplies === 'accept';
}

/** Reads and checks the question before anything is sent. */
function readQuestion(context: IExecuteFunctions): Question {
	const rawTo = context.getNodeParameter('to', 0, '') as string;
	const to = normalizePhone(rawTo);
	if (!to) fail(context, `"${String(rawTo)}" is not a valid phone number`, PHONE_HINT);
	const responseType = context.getNodeParameter('responseType', 0, 'approval') as string;
	const body = text(context.getNodeParameter('question', 0, ''));
	if (responseType === FREE_TEXT) {
		if (body.length === 0 || body.length > TEXT_LIMIT) {
			fail(
				context,
				`The question must have 1 to ${TEXT_LIMIT} characters (it has ${body.length})`,
				'Write the question the contact answers by typing their reply.',
			);
		}
		return { to, body, choices: [] };
	}
	const choices = responseType === 'approval' ? approvalChoices(context) : listedChoices(context);
	const badIds = choices
		.filter((choice) => !CHOICE_ID_PATTERN.test(choice.id))
		.map((choice) => `"${choice.id}"`);
	if (badIds.length) {
		fail(
			context,
			`Choice ID ${badIds.join(', ')} cannot be used`,
			'Give every choice an ID of 1 to 40 letters, digits, "-" or "_"; it comes back in the output when the contact picks it.',
		);
	}
	const asList =
		responseType === 'choice' && context.getNodeParameter('choiceStyle', 0, 'buttons') === 'list';
	const footer = text(context.getNodeParameter('waitOptions.footer', 0, '')) || undefined;
	return {
		to,
		body,
		choices,
		input: {
			type: asList ? 'list' : 'button',
			body,
			footer,
			listButton: asList ? text(context.getNodeParameter('listButton', 0, '')) : undefined,
		},
	};
}

/** The interactive message, each choice's ID replaced by its signed reference. */
function signedInteractive(
	input: NonNullable<Question['input']>,
	choices: Choice[],
	key: Buffer,
	target: AnswerTarget,
): InteractiveInput {
	const withReference = (choice: Choice) => ({ ...choice, id: answerId(key, target, choice.id) });
	if (input.type === 'button') return { ...input, buttons: choices.map(withReference) };
	return { ...input, sections: [{ rows: choices.map(withReference) }] };
}

const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

function waitTill(context: IExecuteFunctions): Date {
	const limit = context.getNodeParameter('waitOptions.limitWaitTime.values', 0, {}) as IDataObject;
	if (Object.keys(limit).length === 0) return WAIT_INDEFINITELY;
	const until =
		limit.limitType === 'atSpecifiedTime'
			? new Date(String(limit.maxDateAndTime ?? ''))
			: new Date(
					Date.now() +
						Number(limit.resumeAmount ?? 1) *
							(UNIT_SECONDS[String(limit.resumeUnit ?? 'hours')] ?? 3600) *
							1000,
				);
	if (Number.isNaN(until.getTime())) {
		fail(
			context,
			`Limit Wait Time "${String(limit.maxDateAndTime)}" is not a date and time`,
			'Give a date and time such as 2026-12-01T10:00:00.',
		);
	}
	return until;
}

/**
 * n8n 2.x lets a waiting execution resume only through a URL that carries its signature
 * (`getSignedResumeUrl`); the listener needs it to reach the execution. Older n8n has none.
 */
function resumeSignature(context: IExecuteFunctions): string {
	if (typeof context.getSignedResumeUrl !== 'function') return '';
	return new URL(context.getSignedResumeUrl()).searchParams.get('signature') ?? '';
}

/** The question's interactive message, checked against WhatsApp's limits. */
function checkedInteractive(
	context: IExecuteFunctions,
	input: NonNullable<Question['input']>,
	choices: Choice[],
	key: Buffer,
	target: AnswerTarget,
): IDataObject {
	const interactive = signedInteractive(input, choices, key, target);
	const problems = interactiveProblems(interactive);
	if (problems.length) {
		fail(
			context,
			`The question breaks WhatsApp's limits: ${problems.join('; ')}`,
			`WhatsApp allows 1-3 reply buttons (title up to ${INTERACTIVE_LIMITS.buttonTitle} characters) or a list of up to ${INTERACTIVE_LIMITS.rows} rows (title up to ${INTERACTIVE_LIMITS.rowTitle} characters).`,
		);
	}
	return buildInteractive(interactive);
}

/** Sends the question, then waits. */
export async function sendAndWaitExecute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length !== 1) {
		throw new NodeOperationError(
			this.getNode(),
			`Send and Wait asks one contact per execution, but it received ${items.length} items`,
			{
				description:
					'Each waiting execution resumes on one answer. To ask many contacts, start one execution per contact: e.g. an Execute Workflow node in "Run once for each item" mode calling a workflow that contains this node.',
			},
		);
	}
	const question = readQuestion(this);
	const executionId = this.getExecutionId();
	if (!executionId) {
		throw new NodeOperationError(
			this.getNode(),
			'n8n gave this execution no ID, so no answer could find it',
		);
	}
	const limitUntil = waitTill(this);
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const key = answerKey(String(credentials.apiKey ?? ''));
	const target: AnswerTarget = {
		executionId,
		nodeId: this.getNode().id,
		contact: question.to,
		resumeSignature: resumeSignature(this),
	};
	const message = question.input
		? {
				type: 'interactive',
				interactive: checkedInteractive(this, question.input, question.choices, key, target),
			}
		: { type: 'text', text: { body: question.body } };
	const createContact = this.getNodeParameter('waitOptions.createContact', 0, false) as boolean;
	const response = await azeerApiRequest(this, 'sendMessage', {
		qs: { create: createContact },
		body: { recipient_type: 'individual', to: question.to, ...message },
		itemIndex: 0,
	});
	const sent = (response.data ?? response) as IDataObject;
	const responseType = this.getNodeParameter('responseType', 0, 'approval') as string;
	const otherReplies = this.getNodeParameter('waitOptions.otherReplies', 0, 'ignore') as string;
	if (takesTypedReplies(responseType, otherReplies)) {
		// Only once the question went out: the contact's next message here is then its answer.
		registerPendingQuestion(
			key,
			{ ...target, reference: answerId(key, target, TYPED_REPLY) },
			limitUntil,
			Date.now(),
		);
	}
	// n8n resumes a timed-out wait by passing this node's input on: that input becomes the
	// "no answer" item. An answer replaces it with what webhook() returns.
	items[0] = {
		json: {
			answered: false,
			timedOut: true,
			contactPhone: question.to,
			questionMessageId: sent.message_id,
			questionWhatsappMessageId: sent.id,
			askedAt: new Date().toISOString(),
		},
		pairedItem: { item: 0 },
	};
	await this.putExecutionToWait(limitUntil);
	return [items];
}

function unauthorized(context: IWebhookFunctions, reason: string): IWebhookResponseData {
	context.logger.warn(`Azeer Send and Wait: refused an answer (401): ${reason}`);
	context.getResponseObject().status(401).json({ message: 'Unauthorized' });
	return { noWebhookResponse: true };
}

/**
 * The waiting node's webhook: accepts an answer only when the Azeer Trigger forwarded it (its
 * signature), for this execution and node, from the contact the question went to (the reference).
 */
export async function sendAndWaitWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const request = this.getRequestObject() as unknown as {
		rawBody?: Buffer;
		originalUrl?: string;
		url?: string;
	};
	const headers = this.getHeaderData();
	const body = this.getBodyData() as unknown as ForwardedAnswer;
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const key = answerKey(String(credentials.apiKey ?? ''));
	const signed = verifyForwardSignature(
		key,
		headers[FORWARD_SIGNATURE_HEADER],
		headers[FORWARD_TIMESTAMP_HEADER],
		request.rawBody ?? JSON.stringify(body),
		Math.floor(Date.now() / 1000),
	);
	if (!signed)
		return unauthorized(
			this,
			'the answer was not forwarded by an Azeer Trigger with the same credential',
		);
	const contact = normalizePhone(body.from);
	const reference =
		contact && typeof body.replyId === 'string' ? parseAnswerId(body.replyId, contact) : undefined;
	if (!reference || !verifyAnswerReference(key, reference))
		return unauthorized(this, 'the answer reference is not valid for this contact');
	const pathSegments = String(request.originalUrl ?? request.url ?? '')
		.split('?')[0]
		.split('/')
		.map(decodeURIComponent);
	if (reference.nodeId !== this.getNode().id || !pathSegments.includes(reference.executionId)) {
		return unauthorized(this, 'the answer belongs to another execution or node');
	}
	const responseType = this.getNodeParameter('responseType', 'approval') as string;
	const otherReplies = this.getNodeParameter('waitOptions.otherReplies', 'ignore') as string;
	const typed = body.typed === true;
	const fits = typed
		? reference.choice === TYPED_REPLY && takesTypedReplies(responseType, otherReplies)
		: responseType !== FREE_TEXT;
	if (!fits) return unauthorized(this, 'the answer does not fit this question (typed or tapped)');
	const json: IDataObject = {
		answered: true,
		timedOut: false,
		answer: typed ? typedAnswer(body) : { id: reference.choice, title: body.text },
		contactPhone: contact,
		contactName: body.contactName,
		answeredAt: body.timestamp ?? new Date().toISOString(),
		messageId: body.messageId,
		whatsappMessageId: body.whatsappMessageId,
	};
	if (responseType === 'approval' && !typed) json.approved = reference.choice === APPROVE;
	for (const field of Object.keys(json)) if (json[field] === undefined) delete json[field];
	return { webhookResponse: { resumed: true }, workflowData: [[{ json }]] };
}

/** A typed reply as the answer: its text (a media caption), and its media if it has one. */
function typedAnswer(body: ForwardedAnswer): IDataObject {
	const answer: IDataObject = {
		text: body.text,
		mediaType: body.mediaType,
		mediaUrl: body.mediaUrl,
		mediaMimeType: body.mediaMimeType,
		mediaId: body.mediaId,
	};
	for (const field of Object.keys(answer)) if (answer[field] === undefined) delete answer[field];
	return answer;
}

const shownForSendAndWait = showFor('message', SEND_AND_WAIT);
const showForResponse = (responseType: string, extra: IDataObject = {}) => ({
	show: { ...shownForSendAndWait.show, responseType: [responseType], ...extra },
});

export const sendAndWaitFields: INodeProperties[] = [
	{
		displayName:
			'Answers reach this node through an active workflow with an Azeer Trigger on "Message Received" that uses the same Azeer credential. WhatsApp delivers the question only within 24 hours of the contact\'s last message.',
		name: 'sendAndWaitNotice',
		type: 'notice',
		default: '',
		displayOptions: shownForSendAndWait,
	},
	{
		displayName: 'To',
		name: 'to',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +966 54 435 1828',
		description:
			'WhatsApp number of the contact to ask, with country code; "+", spaces, dashes and a leading 00 are fine',
		displayOptions: shownForSendAndWait,
	},
	{
		displayName: 'Question',
		name: 'question',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
		description: `The message text above the buttons or list (up to ${INTERACTIVE_LIMITS.bodyText} characters), or the whole message for Free Text (up to ${TEXT_LIMIT})`,
		displayOptions: shownForSendAndWait,
	},
	{
		displayName: 'Response Type',
		name: 'responseType',
		type: 'options',
		noDataExpression: true,
		default: 'approval',
		description: 'How the contact answers: by tapping a button or a list row, or by typing',
		options: [
			{
				name: 'Approval',
				value: 'approval',
				description: 'An approve button and, optionally, a decline button',
			},
			{
				name: 'Choice',
				value: 'choice',
				description: 'Up to 3 reply buttons, or a list of up to 10 rows',
			},
			{
				name: 'Free Text',
				value: FREE_TEXT,
				description:
					"The question as a text message; the contact's next message is the answer (routed only by an Azeer Trigger in the same n8n process)",
			},
		],
		displayOptions: shownForSendAndWait,
	},
	{
		displayName: 'Approval Options',
		name: 'approvalOptions',
		type: 'collection',
		placeholder: 'Change the buttons',
		default: {},
		description:
			'The labels of the approve and decline buttons, and whether there is a decline button',
		displayOptions: showForResponse('approval'),
		options: [
			{
				displayName: 'Approve Button Label',
				name: 'approveLabel',
				type: 'string',
				default: 'Approve',
				description: `Up to ${INTERACTIVE_LIMITS.buttonTitle} characters; its answer ID is "${APPROVE}"`,
			},
			{
				displayName: 'Buttons',
				name: 'approvalType',
				type: 'options',
				default: 'double',
				description: 'Whether the contact can also decline',
				options: [
					{ name: 'Approve and Decline', value: 'double' },
					{ name: 'Approve Only', value: 'single' },
				],
			},
			{
				displayName: 'Decline Button Label',
				name: 'declineLabel',
				type: 'string',
				default: 'Decline',
				description: `Up to ${INTERACTIVE_LIMITS.buttonTitle} characters; its answer ID is "${DECLINE}"`,
			},
		],
	},
	{
		displayName: 'Show Choices As',
		name: 'choiceStyle',
		type: 'options',
		default: 'buttons',
		options: [
			{ name: 'Reply Buttons (up to 3)', value: 'buttons' },
			{ name: 'List (up to 10 Rows)', value: 'list' },
		],
		displayOptions: showForResponse('choice'),
	},
	{
		displayName: 'List Button Text',
		name: 'listButton',
		type: 'string',
		required: true,
		default: 'Choose',
		description: `Label of the button that opens the list (up to ${INTERACTIVE_LIMITS.listButton} characters)`,
		displayOptions: showForResponse('choice', { choiceStyle: ['list'] }),
	},
	{
		displayName: 'Choices',
		name: 'choices',
		type: 'fixedCollection',
		typeOptions: {
			multipleValues: true,
			sortable: true,
			maxAllowedFields: INTERACTIVE_LIMITS.rows,
		},
		placeholder: 'Add choice',
		default: {},
		displayOptions: showForResponse('choice'),
		options: [
			{
				displayName: 'Choice',
				name: 'choice',
				values: [
					{
						displayName: 'ID',
						name: 'id',
						type: 'string',
						default: '',
						required: true,
						description:
							'Returned as answer.ID when the contact picks it: 1 to 40 letters, digits, "-" or "_"',
					},
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						required: true,
						description: `Shown to the contact (buttons up to ${INTERACTIVE_LIMITS.buttonTitle}, list rows up to ${INTERACTIVE_LIMITS.rowTitle} characters)`,
					},
					{
						displayName: 'Description',
						name: 'description',
						type: 'string',
						default: '',
						description: `Second line of a list row (up to ${INTERACTIVE_LIMITS.rowDescription} characters); not shown on buttons`,
					},
				],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'waitOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		description:
			'Optional settings of the question: contact creation, footer, how long to wait, and what other replies do',
		options: [
			{
				displayName: 'Create Contact If Missing',
				name: 'createContact',
				type: 'boolean',
				default: false,
				description: 'Whether to create the contact when the number is not a contact yet',
			},
			{
				displayName: 'Footer',
				name: 'footer',
				type: 'string',
				default: '',
				displayOptions: { show: { '/responseType': ['approval', 'choice'] } },
				description: `Small grey text under the question (up to ${INTERACTIVE_LIMITS.footerText} characters)`,
			},
			{
				displayName: 'Limit Wait Time',
				name: 'limitWaitTime',
				type: 'fixedCollection',
				default: {
					values: { limitType: 'afterTimeInterval', resumeAmount: 1, resumeUnit: 'days' },
				},
				description:
					'Stop waiting after a while: the node then outputs { answered: false, timedOut: true } so the workflow can branch on it',
				options: [
					{
						displayName: 'Values',
						name: 'values',
						values: [
							{
								displayName: 'Limit Type',
								name: 'limitType',
								type: 'options',
								default: 'afterTimeInterval',
								options: [
									{ name: 'After Time Interval', value: 'afterTimeInterval' },
									{ name: 'At Specified Time', value: 'atSpecifiedTime' },
								],
							},
							{
								displayName: 'Amount',
								name: 'resumeAmount',
								type: 'number',
								default: 1,
								typeOptions: { minValue: 0, numberPrecision: 2 },
								displayOptions: { show: { limitType: ['afterTimeInterval'] } },
							},
							{
								displayName: 'Unit',
								name: 'resumeUnit',
								type: 'options',
								default: 'days',
								options: [
									{ name: 'Seconds', value: 'seconds' },
									{ name: 'Minutes', value: 'minutes' },
									{ name: 'Hours', value: 'hours' },
									{ name: 'Days', value: 'days' },
								],
								displayOptions: { show: { limitType: ['afterTimeInterval'] } },
							},
							{
								displayName: 'Max Date and Time',
								name: 'maxDateAndTime',
								type: 'dateTime',
								default: '',
								displayOptions: { show: { limitType: ['atSpecifiedTime'] } },
							},
						],
					},
				],
			},
			{
				displayName: 'On Other Replies',
				name: 'otherReplies',
				type: 'options',
				default: 'ignore',
				displayOptions: { show: { '/responseType': ['approval', 'choice'] } },
				description:
					'What a message from the contact that is not a tap on these buttons does (text, media, …)',
				options: [
					{
						name: 'Accept as the Answer',
						value: 'accept',
						description:
							'The node continues with answer.text, without approved (routed only by an Azeer Trigger in the same n8n process)',
					},
					{
						name: 'Ignore and Keep Waiting',
						value: 'ignore',
						description: "The message reaches the trigger's workflow as usual",
					},
				],
			},
		],
		displayOptions: shownForSendAndWait,
	},
];

/**
 * The node's waiting webhook, as n8n's own Send and Wait nodes declare it: n8n serves it at
 * /webhook-waiting/<executionId>/<nodeId> only while an execution waits on this node
 * (restartWebhook), so there is nothing to register on Azeer and no webhookMethods lifecycle.
 */
export const sendAndWaitWebhooks: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		// Empty: n8n then answers with webhookResponse ({ resumed: true }), which the trigger checks.
		responseData: '',
		path: '={{ $nodeId }}',
		restartWebhook: true,
		isFullPath: true,
	},
];
