/**
 * The one signing scheme of the package and its checks: HMAC-SHA256 over `${timestamp}.${rawBody}`
 * written `sha256=<hex>`, a timestamp window for signed requests, and constant-time comparison.
 * Azeer signs its deliveries this way (the trigger verifies them) and the Azeer Trigger signs the
 * answers it forwards to a waiting Send and Wait execution the same way.
 */
import { createHash, createHmac, timingSafeEqual } from 'crypto';

/** A signature's timestamp: unix seconds. */
export const UNIX_SECONDS = /^\d{1,12}$/;

/** A signed request whose timestamp is further than this from now is refused (a replay). */
const SIGNATURE_MAX_AGE_SECONDS = 300;

/**
 * Constant-time string equality. Both sides are hashed first so that neither the comparison
 * nor an early length check reveals how much of a guess was right, or how long the secret is.
 */
export function safeEqual(actual: string, expected: string): boolean {
	const a = createHash('sha256').update(actual).digest();
	const b = createHash('sha256').update(expected).digest();
	return timingSafeEqual(a, b);
}

/** `sha256=<hex>` of HMAC-SHA256(key, `${timestamp}.${rawBody}`). */
export function signatureFor(
	key: string | Buffer,
	timestamp: string,
	rawBody: string | Buffer,
): string {
	const hmac = createHmac('sha256', key).update(`${timestamp}.`).update(rawBody);
	return `sha256=${hmac.digest('hex')}`;
}

/** Whether `timestamp` is unix seconds within `maxAgeSeconds` of `nowSeconds`. */
export function isFreshTimestamp(
	timestamp: string,
	nowSeconds: number,
	maxAgeSeconds = SIGNATURE_MAX_AGE_SECONDS,
): boolean {
	return UNIX_SECONDS.test(timestamp) && Math.abs(nowSeconds - Number(timestamp)) <= maxAgeSeconds;
}
