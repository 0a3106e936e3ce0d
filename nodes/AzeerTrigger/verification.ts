import { createHash, createHmac, timingSafeEqual } from 'crypto';

/** One Azeer webhook this node registered, as kept in the node's static data. */
export interface TrackedWebhook {
	id: string | number;
	event: string;
	secret: string;
	/** The URL registered on Azeer: this node's webhook URL plus `?token=<secret>`. */
	url: string;
	/** Set once a correctly signed delivery arrived; from then on unsigned ones are refused. */
	signed?: boolean;
}

/** What a delivery claims, read from its URL, headers and body. */
export interface DeliveryEvidence {
	/** `webhook_event_type` of the JSON body. */
	event: unknown;
	/** `x-azeer-event` header. */
	headerEvent: unknown;
	/** `token` query parameter of the request URL. */
	token: unknown;
	/** `x-azeer-securetoken` header. */
	headerToken: unknown;
	/** `x-azeer-signature` header, `sha256=<hex>`. */
	signature: unknown;
	/** `x-azeer-timestamp` header, unix seconds. */
	timestamp: unknown;
	rawBody: string | Buffer;
}

export interface VerifyOptions {
	requireSignature: boolean;
	nowSeconds: number;
	maxAgeSeconds?: number;
}

export type Verdict =
	| { ok: true; webhook: TrackedWebhook; signed: boolean }
	| { ok: false; reason: string };

export const SIGNATURE_MAX_AGE_SECONDS = 300;

/**
 * Constant-time string equality. Both sides are hashed first so that neither the comparison
 * nor an early length check reveals how much of a guess was right, or how long the secret is.
 */
export function safeEqual(actual: string, expected: string): boolean {
	const a = createHash('sha256').update(actual).digest();
	const b = createHash('sha256').update(expected).digest();
	return timingSafeEqual(a, b);
}

export function signatureFor(secret: string, timestamp: string, rawBody: string | Buffer): string {
	const hmac = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody);
	return `sha256=${hmac.digest('hex')}`;
}

/** A header or query value, only when it is exactly one string (duplicated ones are refused). */
function single(value: unknown): string | undefined {
	return typeof value === 'string' ? value : undefined;
}

function refuse(reason: string): Verdict {
	return { ok: false, reason };
}

/**
 * Decides whether a delivery comes from one of the Azeer webhooks this node registered.
 *
 * 1. The body names an event (`webhook_event_type`) that this node registered a webhook for;
 *    if the `x-azeer-event` header is present it must name the same event.
 * 2. The URL's `token` query parameter equals the secret of the webhook registered for that
 *    event (constant time, compared against every candidate without stopping early).
 * 3. If the `x-azeer-securetoken` header is present, it equals that same secret.
 * 4. If the `x-azeer-signature` header is present, or signatures are required, or this
 *    webhook has sent a signed delivery before: `x-azeer-timestamp` is within
 *    `maxAgeSeconds` of now and the signature is HMAC-SHA256(secret, `${timestamp}.${rawBody}`).
 */
export function verifyDelivery(
	webhooks: TrackedWebhook[],
	evidence: DeliveryEvidence,
	options: VerifyOptions,
): Verdict {
	const event = single(evidence.event);
	if (!event) return refuse('the body names no event');
	if (evidence.headerEvent !== undefined && evidence.headerEvent !== event) {
		return refuse('the x-azeer-event header and the body name different events');
	}
	const candidates = webhooks.filter((webhook) => webhook.event === event);
	if (candidates.length === 0) return refuse(`no webhook is registered for event "${event}"`);

	const token = single(evidence.token);
	if (!token) return refuse('the URL carries no token');
	let matched: TrackedWebhook | undefined;
	for (const candidate of candidates) {
		if (safeEqual(token, candidate.secret)) matched = candidate;
	}
	if (!matched) return refuse('the URL token does not match');

	if (evidence.headerToken !== undefined) {
		const headerToken = single(evidence.headerToken);
		if (!headerToken || !safeEqual(headerToken, matched.secret)) {
			return refuse('the x-azeer-securetoken header does not match');
		}
	}

	const signatureExpected =
		evidence.signature !== undefined || options.requireSignature || matched.signed === true;
	if (!signatureExpected) return { ok: true, webhook: matched, signed: false };

	const signature = single(evidence.signature);
	if (!signature) return refuse('the x-azeer-signature header is missing');
	const timestamp = single(evidence.timestamp);
	if (!timestamp || !/^\d{1,12}$/.test(timestamp)) {
		return refuse('the x-azeer-timestamp header is missing or not unix seconds');
	}
	const maxAge = options.maxAgeSeconds ?? SIGNATURE_MAX_AGE_SECONDS;
	if (Math.abs(options.nowSeconds - Number(timestamp)) > maxAge) {
		return refuse('the x-azeer-timestamp header is outside the allowed window');
	}
	if (!safeEqual(signature, signatureFor(matched.secret, timestamp, evidence.rawBody))) {
		return refuse('the x-azeer-signature header does not match');
	}
	return { ok: true, webhook: matched, signed: true };
}
