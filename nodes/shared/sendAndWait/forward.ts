/**
 * The signed forward of an answer from the Azeer Trigger to the waiting execution, both ends: the
 * trigger POSTs it to the execution's waiting webhook signed with the key derived from the
 * credential (forwardAnswer), and the waiting node checks that signature (verifyForwardSignature).
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { isFreshTimestamp, safeEqual, signatureFor } from '../signing';

/** Header of a forwarded answer: `sha256=<hex>` over `${timestamp}.${rawBody}`. */
export const FORWARD_SIGNATURE_HEADER = 'x-azeer-answer-signature';
export const FORWARD_TIMESTAMP_HEADER = 'x-azeer-answer-timestamp';

/** The signature the trigger puts on a forward (signing.ts's scheme, keyed with the answer key). */
export function forwardSignature(key: Buffer, timestamp: string, rawBody: string | Buffer): string {
	return signatureFor(key, timestamp, rawBody);
}

/** Whether a forward was signed with this key within the signature window (constant time). */
export function verifyForwardSignature(
	key: Buffer,
	signature: unknown,
	timestamp: unknown,
	rawBody: string | Buffer,
	nowSeconds: number,
): boolean {
	if (typeof signature !== 'string' || typeof timestamp !== 'string') return false;
	if (!isFreshTimestamp(timestamp, nowSeconds)) return false;
	return safeEqual(signature, forwardSignature(key, timestamp, rawBody));
}

/** What the listener forwards to the waiting execution. */
export interface ForwardedAnswer {
	/** The tapped answer ID, or for a written reply the reference the question registered. */
	replyId: string;
	from: string;
	/** A message without an answer ID (Free Text, or "Accept as the Answer"). */
	written?: boolean;
	text?: string;
	/** A written reply's media: the message type (image, audio, …) and the payload's media fields. */
	mediaType?: string;
	mediaUrl?: string;
	mediaMimeType?: string;
	mediaId?: string;
	contactName?: string;
	messageId?: number | string;
	whatsappMessageId?: string;
	timestamp?: string;
}

/**
 * n8n's waiting-webhook base URL, next to this trigger's own webhook URL:
 * `<base>/webhook/<id>/webhook` (or `/webhook-test/…`) → `<base>/webhook-waiting`.
 */
export function waitingBaseUrl(triggerWebhookUrl: string): string {
	const withoutPath = triggerWebhookUrl.split('?')[0].replace(/\/[^/]+\/[^/]+$/, '');
	return withoutPath.replace(/\/[^/]+$/, '/webhook-waiting');
}

/**
 * POSTs the answer to the execution's waiting webhook, signed. `taken`: true when it resumed the
 * execution, false when the execution no longer waits or refused it. Throws while n8n cannot
 * take it (429, 5xx, no connection).
 */
export async function forwardAnswer(
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
