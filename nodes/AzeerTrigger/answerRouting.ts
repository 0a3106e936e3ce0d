/**
 * The Azeer Trigger as the account-level listener of Message → Send and Wait for Response: a
 * verified incoming button or list reply whose ID is a signed answer reference is forwarded to
 * the waiting execution it names, and starts nothing in the trigger's own workflow. One Azeer
 * webhook serves every pending question, however many there are.
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
import { normalizePhone } from '../Azeer/shared/phone';
import { CREDENTIAL_TYPE } from '../shared/baseUrl';

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
	if (event !== 'incoming_msg' || !looksLikeAnswerId(payload.interactive_reply_id))
		return undefined;
	const contact = normalizePhone(payload.from);
	const reference = contact ? parseAnswerId(payload.interactive_reply_id, contact) : undefined;
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);
	const key = answerKey(String(credentials.apiKey ?? ''));
	if (!reference || !verifyAnswerReference(key, reference)) {
		context.logger.warn(
			`Azeer Trigger: ignored a reply with an answer reference that is not valid for contact ${String(payload.from)} (forged, sent to another contact, or made with another Azeer credential)`,
		);
		return 'answer reference not valid for this contact';
	}

	const forwarded: ForwardedAnswer = {
		replyId: payload.interactive_reply_id,
		from: reference.contact,
		text: optionalText(payload.text),
		contactName: optionalText(payload.contact_name),
		messageId: payload.message_id as number | undefined,
		whatsappMessageId: optionalText(payload.id),
		timestamp: optionalText(payload.timestamp),
	};
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
	if (status === 429 || status >= 500) {
		// n8n is busy or restarting: fail the delivery so that Azeer delivers the answer again.
		throw new Error(
			`the waiting execution ${reference.executionId} could not be reached (HTTP ${status}); Azeer will retry`,
		);
	}
	if (status >= 200 && status < 300 && resumed(response.body)) {
		return `answer forwarded to waiting execution ${reference.executionId}`;
	}
	if (status === 401 || status === 403) {
		context.logger.error(
			`Azeer Trigger: n8n refused the answer for execution ${reference.executionId} (HTTP ${status}); was n8n's encryption key changed while it waited?`,
		);
	} else {
		// 404/409, or n8n's "no action required" page: finished, timed out or already answered.
		context.logger.info(
			`Azeer Trigger: execution ${reference.executionId} is no longer waiting (HTTP ${status}); the answer starts nothing`,
		);
	}
	return `execution ${reference.executionId} is no longer waiting (HTTP ${status})`;
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
