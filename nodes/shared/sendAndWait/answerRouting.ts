/**
 * The Azeer Trigger as the account-level listener of Message → Send and Wait for Response: a
 * verified incoming button or list reply whose ID is a signed answer reference is forwarded to
 * the waiting execution it names, and starts nothing in the trigger's own workflow. A message
 * without such an ID is forwarded as a typed reply when a question asked in this process takes
 * one from that contact (Azeer/shared/pendingQuestions.ts). One Azeer webhook serves every
 * pending question, however many there are.
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import {
	answerKey,
	FORWARD_SIGNATURE_HEADER,
	FORWARD_TIMESTAMP_HEADER,
	forwardSignature,
	looksLikeAnswerId,
	parseAnswerId,
	verifyAnswerReference,
} from '../Azeer/shared/answerReference';
import type { ForwardedAnswer } from '../Azeer/shared/answerReference';
import {
	claimTypedReply,
	forgetPendingQuestion,
	mayHavePendingQuestion,
} from '../Azeer/shared/pendingQuestions';
import type { PendingQuestion } from '../Azeer/shared/pendingQuestions';
import { normalizePhone } from '../Azeer/shared/phone';
import { CREDENTIAL_TYPE } from '../shared/baseUrl';
import { isOwnMessage } from './simplify';

/**
 * n8n's waiting-webhook base URL, next to this trigger's own webhook URL:
 * `<base>/webhook/<id>/webhook` (or `/webhook-test/…`) → `<base>/webhook-waiting`.
 */
export function waitingBaseUrl(triggerWebhookUrl: string): string {
	const withoutPath = triggerWebhookUrl.split('?')[0].replace(/\/[^/]+\/[^/]+$/, '');
	return withoutPath.replace(/\/[^/]+$/, '/webhook-waiting');
}

function optionalText(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

async function answerKeyOf(context: IWebhookFunctions): Promise<Buffer> {
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);
	return answerKey(String(credentials.apiKey ?? ''));
}

/** The payload's fields every forwarded answer carries. */
function messageFields(payload: IDataObject) {
	return {
		text: optionalText(payload.text),
		contactName: optionalText(payload.contact_name),
		messageId: payload.message_id as number | undefined,
		whatsappMessageId: optionalText(payload.id),
		timestamp: optionalText(payload.timestamp),
	};
}

/**
 * Routes an answer; returns why the delivery starts nothing here, or undefined when it is not an
 * answer to a Send and Wait question (then the trigger handles it as usual). Throws when n8n
 * could not take the answer right now (network error, 429, 5xx), so that Azeer retries.
 */
export async function routeAnswer(
	context: IWebhookFunctions,
	event: string,
	payload: IDataObject,
): Promise<string | undefined> {
	if (event !== 'incoming_msg') return undefined;
	if (looksLikeAnswerId(payload.interactive_reply_id))
		return await routeTap(context, payload, payload.interactive_reply_id);
	if (isOwnMessage(payload)) return undefined;
	return await routeTypedReply(context, payload);
}

async function routeTap(
	context: IWebhookFunctions,
	payload: IDataObject,
	replyId: string,
): Promise<string> {
	const contact = normalizePhone(payload.from);
	const reference = contact ? parseAnswerId(replyId, contact) : undefined;
	const key = await answerKeyOf(context);
	if (!reference || !verifyAnswerReference(key, reference)) {
		context.logger.warn(
			`Azeer Trigger: ignored a reply with an answer reference that is not valid for contact ${String(payload.from)} (forged, sent to another contact, or made with another Azeer credential)`,
		);
		return 'answer reference not valid for this contact';
	}
	const outcome = await forwardAnswer(context, key, reference, {
		replyId,
		from: reference.contact,
		...messageFields(payload),
	});
	// Answered or gone: the question no longer takes a typed reply either.
	forgetPendingQuestion(key, reference.contact, reference.executionId, reference.nodeId);
	return outcome.taken
		? `answer forwarded to waiting execution ${reference.executionId}`
		: `execution ${reference.executionId} is no longer waiting (HTTP ${outcome.status})`;
}

/**
 * A message without an answer ID, from a contact with a pending question that takes typed
 * replies: forwarded as its answer. When that execution no longer waits, the message is an
 * ordinary one and reaches the trigger's workflow (undefined).
 */
async function routeTypedReply(
	context: IWebhookFunctions,
	payload: IDataObject,
): Promise<string | undefined> {
	const contact = normalizePhone(payload.from);
	if (!contact || !mayHavePendingQuestion(contact)) return undefined;
	const key = await answerKeyOf(context);
	const messageKey =
		optionalText(payload.id) ??
		(payload.message_id === undefined ? undefined : String(payload.message_id));
	const claim = claimTypedReply(key, contact, messageKey, Date.now());
	if (claim === undefined) return undefined;
	if ('outcome' in claim) return await claim.outcome;
	const routing = forwardTypedReply(context, key, claim.question, payload);
	routing.then(claim.settle, claim.fail);
	return await routing;
}

async function forwardTypedReply(
	context: IWebhookFunctions,
	key: Buffer,
	question: PendingQuestion,
	payload: IDataObject,
): Promise<string | undefined> {
	const outcome = await forwardAnswer(context, key, question, {
		replyId: question.reference,
		from: question.contact,
		typed: true,
		...messageFields(payload),
		mediaType: payload.filename_url ? optionalText(payload.message_type) : undefined,
		mediaUrl: optionalText(payload.filename_url),
		mediaMimeType: optionalText(payload.mime_type),
		mediaId: optionalText(payload.media_id),
	});
	forgetPendingQuestion(key, question.contact, question.executionId, question.nodeId);
	return outcome.taken
		? `typed reply forwarded to waiting execution ${question.executionId}`
		: undefined;
}

/**
 * POSTs the answer to the execution's waiting webhook, signed. `taken`: true when it resumed the
 * execution, false when the execution no longer waits or refused it. Throws while n8n cannot
 * take it (429, 5xx, no connection).
 */
async function forwardAnswer(
	context: IWebhookFunctions,
	key: Buffer,
	reference: { executionId: string; nodeId: string; resumeSignature: string },
	forwarded: ForwardedAnswer,
): Promise<{ taken: boolean; status: number }> {
	const rawBody = JSON.stringify(forwarded);
	const timestamp = String(Math.floor(Date.now() / 1000));
	const signature = reference.resumeSignature ? `?signature=${reference.resumeSignature}` : '';
	const url = `${waitingBaseUrl(context.getNodeWebhookUrl('default') ?? '')}/${reference.executionId}/${reference.nodeId}${signature}`;
	const response = (await context.helpers.httpRequest({
		method: 'POST',
		url,
		body: rawBody,
		headers: {
			'content-type': 'application/json',
			[FORWARD_SIGNATURE_HEADER]: forwardSignature(key, timestamp, rawBody),
			[FORWARD_TIMESTAMP_HEADER]: timestamp,
		},
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	})) as { statusCode: number; body: unknown };
	const status = response.statusCode;
	// A quick answer can arrive before n8n has saved the execution as waiting: n8n answers
	// 409 "is running already" until then.
	const stillStarting = status === 409 && bodyText(response.body).includes('is running already');
	if (status === 429 || status >= 500 || stillStarting) {
		// n8n is busy, restarting or still putting the execution to wait: fail the delivery so that
		// Azeer delivers the answer again.
		throw new Error(
			`the waiting execution ${reference.executionId} could not take the answer yet (HTTP ${status}); Azeer will retry`,
		);
	}
	if (status >= 200 && status < 300 && resumed(response.body)) return { taken: true, status };
	if (status === 401 || status === 403) {
		context.logger.error(
			`Azeer Trigger: n8n refused the answer for execution ${reference.executionId} (HTTP ${status}); was n8n's encryption key changed while it waited?`,
		);
	} else {
		// 404/409, or n8n's "no action required" page: finished, timed out or already answered.
		context.logger.info(
			`Azeer Trigger: execution ${reference.executionId} is no longer waiting (HTTP ${status}); the answer does not resume it`,
		);
	}
	return { taken: false, status };
}

function bodyText(body: unknown): string {
	return typeof body === 'string' || Buffer.isBuffer(body) ? body.toString() : JSON.stringify(body);
}

/** Whether the waiting node took the answer: it answers `{ "resumed": true }`. */
function resumed(body: unknown): boolean {
	try {
		const parsed = (
			typeof body === 'string' || Buffer.isBuffer(body) ? JSON.parse(body.toString()) : body
		) as IDataObject;
		return parsed?.resumed === true;
	} catch {
		return false;
	}
}
