/**
 * The Azeer Trigger as the account-level listener of Message → Send and Wait for Response: a
 * verified incoming button or list reply whose ID is a signed answer reference is forwarded to
 * the waiting execution it names, and starts nothing in the trigger's own workflow. A message
 * without such an ID is forwarded as a written reply when a question asked in this process takes
 * one from that contact (pendingQuestions.ts). One Azeer webhook serves every pending question,
 * however many there are.
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { credentialApiKey } from '../credential';
import { isOwnMessage } from '../events';
import { normalizePhone } from '../phone';
import {
	answerKey,
	looksLikeAnswerId,
	parseAnswerId,
	verifyAnswerReference,
} from './answerReference';
import type { AnswerReference } from './answerReference';
import { forwardAnswer } from './forward';
import {
	claimTap,
	claimTypedReply,
	forgetPendingQuestion,
	mayHavePendingQuestion,
} from './pendingQuestions';
import type { PendingQuestion } from './pendingQuestions';

function optionalText(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

async function answerKeyOf(context: IWebhookFunctions): Promise<Buffer> {
	return answerKey(await credentialApiKey(context));
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
	const claim = claimTap(key, reference.contact, messageKeyOf(payload), Date.now());
	if ('outcome' in claim) return (await claim.outcome) ?? 'answer routed by another Azeer Trigger';
	return await claim.route(forwardTap(context, key, reference, replyId, payload));
}

async function forwardTap(
	context: IWebhookFunctions,
	key: Buffer,
	reference: AnswerReference,
	replyId: string,
	payload: IDataObject,
): Promise<string> {
	const outcome = await forwardAnswer(context, key, reference, {
		replyId,
		from: reference.contact,
		...messageFields(payload),
	});
	// Answered or gone: the question no longer takes a written reply either.
	forgetPendingQuestion(key, reference.contact, reference.executionId, reference.nodeId);
	return outcome.taken
		? `answer forwarded to waiting execution ${reference.executionId}`
		: `execution ${reference.executionId} is no longer waiting (HTTP ${outcome.status})`;
}

/** The message's own ID (WhatsApp's, else Azeer's), which every trigger it reaches sees alike. */
function messageKeyOf(payload: IDataObject): string | undefined {
	return (
		optionalText(payload.id) ??
		(payload.message_id === undefined ? undefined : String(payload.message_id))
	);
}

/**
 * A message without an answer ID, from a contact with a pending question that takes written
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
	const claim = claimTypedReply(key, contact, messageKeyOf(payload), Date.now());
	if (claim === undefined) return undefined;
	if ('outcome' in claim) return await claim.outcome;
	return await claim.route(forwardTypedReply(context, key, claim.question, payload));
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
		written: true,
		...messageFields(payload),
		mediaType: payload.filename_url ? optionalText(payload.message_type) : undefined,
		mediaUrl: optionalText(payload.filename_url),
		mediaMimeType: optionalText(payload.mime_type),
		mediaId: optionalText(payload.media_id),
	});
	forgetPendingQuestion(key, question.contact, question.executionId, question.nodeId);
	return outcome.taken
		? `written reply forwarded to waiting execution ${question.executionId}`
		: undefined;
}
