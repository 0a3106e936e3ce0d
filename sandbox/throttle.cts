/**
 * Rate limits of a real WhatsApp account, which Azeer does not document (contract: x-azeer-inferred):
 * an account rate for message sends (WhatsApp Cloud API's default tier is 80 messages/s) and a pair
 * rate per recipient (about one message per 6 s to the same number, Meta error 131056). Over either
 * limit the send answers 429 in Azeer's error envelope; every other 429 carries Retry-After, because
 * real APIs do both.
 */
import { ApiError } from './world.cjs';

export interface RateLimits {
	/** Message sends per second for the whole account; 0 = no account limit. */
	accountPerSecond: number;
	/** Seconds between two messages to the same recipient; 0 = no pair limit. */
	recipientIntervalSeconds: number;
	/** Which 429s carry Retry-After: every other one (default), all, or none. */
	retryAfter: 'sometimes' | 'always' | 'never';
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
	accountPerSecond: 80,
	recipientIntervalSeconds: 6,
	retryAfter: 'sometimes',
};
export const NO_RATE_LIMITS: RateLimits = {
	accountPerSecond: 0,
	recipientIntervalSeconds: 0,
	retryAfter: 'sometimes',
};

export interface ThrottleCounts {
	/** Sends answered 429 because of the account rate. */
	account: number;
	/** Sends answered 429 because of the pair rate. */
	recipient: number;
	/** Of those, how many carried Retry-After. */
	withRetryAfter: number;
}

export class Throttle {
	limits: RateLimits;
	counts: ThrottleCounts = { account: 0, recipient: 0, withRetryAfter: 0 };
	/** Token bucket of the account rate: holds at most one second of sends. */
	private tokens = 0;
	private refilledAt = 0;
	private readonly lastSendTo = new Map<string, number>();

	constructor(limits: RateLimits) {
		this.limits = { ...limits };
		this.reset();
	}

	set(limits: Partial<RateLimits>): RateLimits {
		this.limits = { ...this.limits, ...limits };
		this.reset();
		return this.limits;
	}

	/** Forgets the counts and the recipients' last sends, and fills the bucket. */
	reset(): void {
		this.counts = { account: 0, recipient: 0, withRetryAfter: 0 };
		this.tokens = this.limits.accountPerSecond;
		this.refilledAt = Date.now();
		this.lastSendTo.clear();
	}

	/** Throws the 429 for a message send to `to` over a limit; otherwise counts the send. */
	admit(to: string | undefined, now = Date.now()): void {
		const { accountPerSecond, recipientIntervalSeconds } = this.limits;
		if (accountPerSecond > 0) {
			this.tokens = Math.min(
				accountPerSecond,
				this.tokens + ((now - this.refilledAt) / 1000) * accountPerSecond,
			);
			this.refilledAt = now;
			if (this.tokens < 1) {
				this.counts.account++;
				throw this.tooMany(
					'rate_limited',
					`Too many messages for this account (limit ${accountPerSecond} per second)`,
					(1 - this.tokens) / accountPerSecond,
				);
			}
		}
		if (recipientIntervalSeconds > 0 && to !== undefined) {
			const last = this.lastSendTo.get(to);
			const waitSeconds = last === undefined ? 0 : recipientIntervalSeconds - (now - last) / 1000;
			if (waitSeconds > 0) {
				this.counts.recipient++;
				throw this.tooMany(
					'recipient_rate_limited',
					`Too many messages to ${to} (one per ${recipientIntervalSeconds} s to the same number)`,
					waitSeconds,
				);
			}
			this.lastSendTo.set(to, now);
		}
		if (accountPerSecond > 0) this.tokens--;
	}

	private tooMany(code: string, message: string, waitSeconds: number): ApiError {
		const total = this.counts.account + this.counts.recipient;
		const withHeader =
			this.limits.retryAfter === 'always' ||
			(this.limits.retryAfter === 'sometimes' && total % 2 === 0);
		if (!withHeader) return new ApiError(429, code, message);
		this.counts.withRetryAfter++;
		return new ApiError(429, code, message, [], {
			'retry-after': String(Math.max(1, Math.ceil(waitSeconds))),
		});
	}
}
