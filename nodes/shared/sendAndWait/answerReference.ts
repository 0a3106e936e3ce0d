/**
 * Signed answer references for Message → Send and Wait for Response.
 *
 * Every button or list row of a question carries, as its WhatsApp reply ID, a reference to the
 * waiting execution: `azw1.<executionId>.<nodeId>.<choiceId>.<mac>.<resumeSignature>`. The MAC binds the execution,
 * the waiting node, the contact the question went to and the choice, under a key derived from the
 * Azeer credential's API key; nobody without that key can make a reference, and a reference only
 * counts when it comes back from the contact it was sent to.
 *
 * The Azeer Trigger (the account-level listener) verifies a reply's reference and forwards the
 * answer to the execution's resume URL, signing what it forwards with the same key; the waiting
 * node accepts only forwarded answers with a valid signature and a valid reference.
 */
import { createHash, createHmac, timingSafeEqual } from 'crypto';

const ANSWER_PREFIX = 'azw1';
/** Header of a forwarded answer: `sha256=<hex>` over `${timestamp}.${rawBody}`. */
export const FORWARD_SIGNATURE_HEADER = 'x-azeer-answer-signature';
export const FORWARD_TIMESTAMP_HEADER = 'x-azeer-answer-timestamp';
/** A forwarded answer older than this is refused (it could only be a replay). */
const FORWARD_MAX_AGE_SECONDS = 300;

const MAC_BYTES = 16;

export interface AnswerTarget {
	executionId: string;
	nodeId: string;
	/** The contact's phone number, digits only. */
	contact: string;
	/** n8n's signature of the execution's resume URL (empty on n8n versions without one). */
	resumeSignature: string;
}

interface AnswerReference extends AnswerTarget {
	/** The choice's own ID, as the workflow defined it (e.g. "approve"). */
	choice: string;
	mac: string;
}

/** The key both ends derive from the credential: the API key itself is never used as a MAC key. */
export function answerKey(apiKey: string): Buffer {
	return createHmac('sha256', apiKey).update('n8n-nodes-azeer/send-and-wait/v1').digest();
}

function macOf(key: Buffer, target: AnswerTarget, choice: string): string {
	return createHmac('sha256', key)
		.update([ANSWER_PREFIX, target.executionId, target.nodeId, target.contact, choice].join('|'))
		.digest()
		.subarray(0, MAC_BYTES)
		.toString('base64url');
}

/** Constant-time equality that reveals neither how much matched nor the expected length. */
function safeEqual(actual: string, expected: string): boolean {
	const a = createHash('sha256').update(actual).digest();
	const b = createHash('sha256').update(expected).digest();
	return timingSafeEqual(a, b);
}

export function answerId(key: Buffer, target: AnswerTarget, choice: string): string {
	const parts = [
		ANSWER_PREFIX,
		target.executionId,
		target.nodeId,
		choice,
		macOf(key, target, choice),
		target.resumeSignature,
	];
	return parts.join('.');
}

export function looksLikeAnswerId(value: unknown): value is string {
	return typeof value === 'string' && value.startsWith(`${ANSWER_PREFIX}.`);
}

/** The parts of a reference as written; the contact is not in it and comes from the reply. */
export function parseAnswerId(value: string, contact: string): AnswerReference | undefined {
	const parts = value.split('.');
	if (parts.length !== 6 || parts[0] !== ANSWER_PREFIX) return undefined;
	const [, executionId, nodeId, choice, mac, resumeSignature] = parts;
	if (!/^[0-9A-Za-z_-]{1,64}$/.test(executionId) || !/^[0-9A-Za-z-]{1,64}$/.test(nodeId))
		return undefined;
	if (!/^[0-9A-Za-z_-]{1,40}$/.test(choice) || !/^[0-9A-Za-z_-]{22}$/.test(mac)) return undefined;
	if (!/^[0-9a-f]{0,128}$/.test(resumeSignature)) return undefined;
	return { executionId, nodeId, contact, choice, mac, resumeSignature };
}

/** Whether the reference was made with this key for this contact (constant time). */
export function verifyAnswerReference(key: Buffer, reference: AnswerReference): boolean {
	return safeEqual(reference.mac, macOf(key, reference, reference.choice));
}

export function forwardSignature(key: Buffer, timestamp: string, rawBody: string | Buffer): string {
	return `sha256=${createHmac('sha256', key).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

export function verifyForwardSignature(
	key: Buffer,
	signature: unknown,
	timestamp: unknown,
	rawBody: string | Buffer,
	nowSeconds: number,
): boolean {
	if (
		typeof signature !== 'string' ||
		typeof timestamp !== 'string' ||
		!/^\d{1,12}$/.test(timestamp)
	)
		return false;
	if (Math.abs(nowSeconds - Number(timestamp)) > FORWARD_MAX_AGE_SECONDS) return false;
	return safeEqual(signature, forwardSignature(key, timestamp, rawBody));
}

/** What the listener forwards to the waiting execution. */
export interface ForwardedAnswer {
	/** The tapped answer ID, or for a typed reply the reference the question registered. */
	replyId: string;
	from: string;
	/** A message without an answer ID (Free Text, or "Accept as the Answer"). */
	typed?: boolean;
	text?: string;
	/** A typed reply's media: the message type (image, audio, …) and the payload's media fields. */
	mediaType?: string;
	mediaUrl?: string;
	mediaMimeType?: string;
	mediaId?: string;
	contactName?: string;
	messageId?: number | string;
	whatsappMessageId?: string;
	timestamp?: string;
}
