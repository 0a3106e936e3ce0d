/** The Azeer Trigger's delivery verification: per-webhook secrets, URL tokens and signatures. */
import { createHmac } from 'crypto';

import { isFreshTimestamp, safeEqual, signatureFor, UNIX_SECONDS } from '../shared/signing';

/** What a delivery claims, read from its URL, headers and body. */
export interface DeliveryEvidence {
	/** `webhook_event_type` of the JSON body. */
	event: unknown;
	/** `x-azeer-event` header. */
	headerEvent: unknown;
	/** `nonce` query parameter of the request URL: which activation registered the webhook. */
	nonce: unknown;
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

/** What the trigger knows without any stored state: the credential, its parameters, its own URL. */
export interface VerificationKey {
	/** The events this node listens for. */
	events: string[];
	/**
	 * The secret of this node's webhook for `nonce` and `event`: `webhookSecret(apiKey, nonce,
	 * event, path of the node's URL for the mode that received the delivery)`.
	 */
	secretFor(nonce: string, event: string): string;
}

interface VerifyOptions {
	requireSignature: boolean;
	nowSeconds: number;
	maxAgeSeconds?: number;
	/** Whether the webhook behind `nonce` and `event` has sent a signed delivery before. */
	signedBefore?: (nonce: string, event: string) => boolean;
}

type Verdict =
	| { ok: true; event: string; nonce: string; secret: string; signed: boolean }
	| { ok: false; reason: string };

const NONCE_PATTERN = /^[0-9a-f]{32}$/;

/**
 * The secret of one registered webhook: HMAC-SHA256 keyed with the credential's API key over the
 * activation's nonce, the event and the path of the node's webhook URL. It is the URL's `token`,
 * the webhook's `securetoken` and the key Azeer signs with. Anyone holding the API key could
 * register webhooks on the account anyway; without it, one secret tells nothing about another.
 */
export function webhookSecret(apiKey: string, nonce: string, event: string, path: string): string {
	return createHmac('sha256', apiKey)
		.update(`azeer-trigger/1\n${nonce}\n${event}\n${path}`)
		.digest('hex');
}

/** The path part of a URL, which stays the same when n8n's public origin changes. */
export function pathOf(url: string): string {
	return new URL(url).pathname;
}

/** A header or query value, only when it is exactly one string (duplicated ones are refused). */
function single(value: unknown): string | undefined {
	return typeof value === 'string' ? value : undefined;
}

function refuse(reason: string): Verdict {
	return { ok: false, reason };
}

/**
 * Decides whether a delivery comes from an Azeer webhook this node registered, from the
 * credential, the node's parameters and the delivery alone:
 *
 * 1. The body names an event (`webhook_event_type`) this node listens for; if the
 *    `x-azeer-event` header is present it must name the same event.
 * 2. The URL's `token` equals `key.secretFor(nonce, event)` for the URL's `nonce`
 *    (constant time).
 * 3. If the `x-azeer-securetoken` header is present, it equals that same secret.
 * 4. If the `x-azeer-signature` header is present, or signatures are required, or this
 *    webhook has sent a signed delivery before: `x-azeer-timestamp` is within
 *    `maxAgeSeconds` of now and the signature is HMAC-SHA256(secret, `${timestamp}.${rawBody}`).
 */
export function verifyDelivery(
	key: VerificationKey,
	evidence: DeliveryEvidence,
	options: VerifyOptions,
): Verdict {
	const event = single(evidence.event);
	if (!event) return refuse('the body names no event');
	if (evidence.headerEvent !== undefined && evidence.headerEvent !== event) {
		return refuse('the x-azeer-event header and the body name different events');
	}
	if (!key.events.includes(event))
		return refuse(`this trigger does not listen for event "${event}"`);

	const nonce = single(evidence.nonce);
	if (!nonce || !NONCE_PATTERN.test(nonce)) {
		return refuse(
			'the URL carries no valid nonce (webhooks registered by version 0.1.0 have none: deactivate and activate the workflow)',
		);
	}
	const token = single(evidence.token);
	if (!token) return refuse('the URL carries no token');
	const secret = key.secretFor(nonce, event);
	if (!safeEqual(token, secret)) {
		return refuse(
			'the URL token does not match (if the API key of the credential was changed, deactivate and activate the workflow to register its webhooks again)',
		);
	}

	if (evidence.headerToken !== undefined) {
		const headerToken = single(evidence.headerToken);
		if (!headerToken || !safeEqual(headerToken, secret)) {
			return refuse('the x-azeer-securetoken header does not match');
		}
	}

	const signatureExpected =
		evidence.signature !== undefined ||
		options.requireSignature ||
		options.signedBefore?.(nonce, event) === true;
	if (!signatureExpected) return { ok: true, event, nonce, secret, signed: false };

	const signature = single(evidence.signature);
	if (!signature) return refuse('the x-azeer-signature header is missing');
	const timestamp = single(evidence.timestamp);
	if (!timestamp || !UNIX_SECONDS.test(timestamp)) {
		return refuse('the x-azeer-timestamp header is missing or not unix seconds');
	}
	if (!isFreshTimestamp(timestamp, options.nowSeconds, options.maxAgeSeconds)) {
		return refuse('the x-azeer-timestamp header is outside the allowed window');
	}
	if (!safeEqual(signature, signatureFor(secret, timestamp, evidence.rawBody))) {
		return refuse('the x-azeer-signature header does not match');
	}
	return { ok: true, event, nonce, secret, signed: true };
}
