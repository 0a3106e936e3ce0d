/**
 * Pacing of every send and write to Azeer. Azeer documents no rate limits, but a WhatsApp account
 * has them (80 messages/s per business number by default, up to 1,000; about one message per 6 s to
 * the same number), so the node finds the account's pace from its 429 answers:
 *
 * - one Pacer per process per account (base URL + a hash of the key), shared by every execution;
 * - it bounds the requests in flight and spaces their starts at its current rate;
 * - it starts at WhatsApp's default tier (80/s) and speeds up quickly while no 429 comes, up to
 *   the highest tier (1,000/s); on a 429 for the account it lowers the rate and pauses every
 *   waiting request of the account together (for Retry-After, or a short back-off without it);
 *   after that the rate recovers step by step;
 * - a 429 for one recipient (pair rate) holds back that request only;
 * - a 429 means the request was not processed, so it is sent again (first in its lane);
 *   nothing else is retried: a 5xx or a dropped connection may have sent the message;
 * - requests wait in lanes, one per run of a node, which take turns: a run of one item (an echo
 *   bot's reply) goes out in the next slot or so, not after every queued item of a broadcast.
 */
import { createHash } from 'crypto';

import type { IN8nHttpFullResponse } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

export const PACING = {
	startPerSecond: 80,
	maxPerSecond: 1000,
	minPerSecond: 1,
	maxInFlight: 32,
	/** On an account 429: the rate is multiplied by this, at most once per `cutEveryMs`. */
	cutFactor: 0.7,
	cutEveryMs: 500,
	/**
	 * Every `recoverEveryMs` with a success, the rate grows by `probeFactor` until the first 429,
	 * by `recoverFactor` after it (once `holdAfterCutMs` passed without a cut).
	 */
	probeFactor: 1.25,
	recoverFactor: 1.02,
	recoverEveryMs: 100,
	holdAfterCutMs: 1000,
	/** Pause of the account after a 429 without Retry-After. */
	backoffMs: 500,
	/** Wait of one request after a pair-rate 429 without Retry-After (WhatsApp: ~1 message per 6 s). */
	recipientWaitMs: 6000,
	/** Longest wait a Retry-After may impose. */
	maxWaitMs: 60_000,
	/** 429s one request may get before it fails. */
	maxRateLimitRetries: 20,
	/** How far the schedule may catch up after a late timer. */
	catchUpMs: 50,
};

/** Thrown by a request that Azeer answered 429; `answer` is what the caller hands on if retries run out. */
export class RateLimited<T = unknown> {
	constructor(
		readonly answer: T,
		/** Retry-After in milliseconds, when the answer had one. */
		readonly retryAfterMs: number | undefined,
		/** The 429 is about one recipient (pair rate), not the account. */
		readonly recipient: boolean,
	) {}
}

/** Milliseconds of a Retry-After header (seconds or an HTTP date), or undefined without a usable one. */
export function retryAfterMs(header: unknown): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (value === undefined || value === null || value === '') return undefined;
	const seconds = Number(value);
	const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(String(value)) - Date.now();
	if (Number.isNaN(ms)) return undefined;
	return Math.min(Math.max(ms, 0), PACING.maxWaitMs);
}

/** A 429 answer as the pacer sees it. */
export function rateLimitedAnswer(
	response: IN8nHttpFullResponse,
): RateLimited<IN8nHttpFullResponse> {
	const code = (response.body as { code?: unknown } | undefined)?.code;
	return new RateLimited(
		response,
		retryAfterMs(response.headers?.['retry-after']),
		code === 'recipient_rate_limited',
	);
}

/** Thrown instead of sending when the request was cancelled while it waited for its turn. */
export class Cancelled extends Error {}

interface SendOptions {
	/** Checked when the turn comes: true = do not send (throws Cancelled). */
	cancelled?: () => boolean;
	/**
	 * Not spaced and not bounded in flight, only held during a pause of the account: reads, and a
	 * follow-up request of one that already holds a turn (which could otherwise wait for itself).
	 */
	unpaced?: boolean;
	/**
	 * The run the request belongs to: runs take turns, in each run its requests go in order.
	 * Requests without one share a lane.
	 */
	lane?: object;
}

interface Waiter {
	go: (send: boolean) => void;
	cancelled?: () => boolean;
}

export class Pacer {
	private inFlight = 0;
	/** Unpaced requests waiting, served before any lane. */
	private readonly unpacedQueue: Waiter[] = [];
	/** Paced requests waiting, by lane; the lanes in the order of their next turn. */
	private readonly lanes = new Map<object, Waiter[]>();
	private readonly sharedLane = {};
	private nextAt = 0;
	private pausedUntil = 0;
	private waking = false;
	private lastCutAt = -Infinity;
	private lastRecoverAt = 0;

	constructor(
		public perSecond: number,
		private readonly maxInFlight: number,
		/** Whether 429s lower the rate (the account's pacer) or not (a user's fixed cap). */
		private readonly adaptive: boolean,
	) {}

	/**
	 * Runs `attempt` in its turn. An attempt that throws RateLimited is run again in a later turn,
	 * first in its lane; after `maxRateLimitRetries` the RateLimited is thrown on.
	 */
	async send<T>(attempt: () => Promise<T>, options: SendOptions = {}): Promise<T> {
		for (let retry = 0; ; retry++) {
			if (!(await this.turn(retry > 0, options)))
				throw new Cancelled('Not sent: cancelled while waiting for its turn');
			const settled = await attempt().then(
				(value) => ({ ok: true as const, value }),
				(error: unknown) => ({ ok: false as const, error }),
			);
			this.inFlight--;
			if (settled.ok) {
				this.succeeded();
				this.pump();
				return settled.value;
			}
			const limited =
				settled.error instanceof RateLimited && retry < PACING.maxRateLimitRetries
					? settled.error
					: undefined;
			const ownWait = limited ? this.throttled(limited) : 0;
			// A retry due now takes the freed slot: its turn() pumps once it is first in its lane.
			if (!limited || ownWait > 0) this.pump();
			if (!limited) return await Promise.reject(settled.error);
			if (ownWait > 0) await sleep(ownWait);
		}
	}

	/** What the pacer does now, for tests and diagnostics. */
	state() {
		return {
			perSecond: this.perSecond,
			inFlight: this.inFlight,
			waiting:
				this.unpacedQueue.length +
				[...this.lanes.values()].reduce((sum, waiters) => sum + waiters.length, 0),
			pausedForMs: Math.max(0, this.pausedUntil - Date.now()),
		};
	}

	/** Resolves true when it is this request's turn, false when it was cancelled meanwhile. */
	private turn(retried: boolean, options: SendOptions): Promise<boolean> {
		return new Promise((go) => {
			const waiter = { go, cancelled: options.cancelled };
			if (options.unpaced) {
				this.unpacedQueue.push(waiter);
			} else {
				const lane = options.lane ?? this.sharedLane;
				const waiters = this.lanes.get(lane);
				if (!waiters) this.lanes.set(lane, [waiter]);
				else if (retried) waiters.unshift(waiter);
				else waiters.push(waiter);
			}
			this.pump();
		});
	}

	/** Lets every waiter that is cancelled now leave at once, without taking a turn. */
	releaseCancelled(): void {
		for (const [lane, waiters] of [
			[undefined, this.unpacedQueue],
			...this.lanes.entries(),
		] as const) {
			for (let i = waiters.length - 1; i >= 0; i--) {
				if (waiters[i].cancelled?.()) waiters.splice(i, 1)[0].go(false);
			}
			if (lane && !waiters.length) this.lanes.delete(lane);
		}
		this.pump();
	}

	private pump(): void {
		if (this.waking) return;
		for (;;) {
			const unpaced = this.unpacedQueue.length > 0;
			const lane = unpaced ? undefined : this.lanes.keys().next().value;
			if (!unpaced && (!lane || this.inFlight >= this.maxInFlight)) return;
			const waiters = lane ? this.lanes.get(lane)! : this.unpacedQueue;
			const head = waiters[0];
			if (head.cancelled?.()) {
				this.take(lane, waiters).go(false);
				continue;
			}
			const now = Date.now();
			const at = unpaced ? this.pausedUntil : Math.max(this.nextAt, this.pausedUntil);
			if (at > now) {
				this.waking = true;
				void sleep(at - now).then(() => {
					this.waking = false;
					this.pump();
				});
				return;
			}
			if (!unpaced)
				this.nextAt = Math.max(this.nextAt, now - PACING.catchUpMs) + 1000 / this.perSecond;
			this.inFlight++;
			this.take(lane, waiters).go(true);
		}
	}

	/** Takes the first waiter of a lane, which then waits for the other lanes' turns. */
	private take(lane: object | undefined, waiters: Waiter[]): Waiter {
		const head = waiters.shift()!;
		if (lane) {
			this.lanes.delete(lane);
			if (waiters.length) this.lanes.set(lane, waiters);
		}
		return head;
	}

	private succeeded(): void {
		if (!this.adaptive || this.perSecond >= PACING.maxPerSecond) return;
		const now = Date.now();
		if (
			now - this.lastCutAt < PACING.holdAfterCutMs ||
			now - this.lastRecoverAt < PACING.recoverEveryMs
		)
			return;
		this.lastRecoverAt = now;
		const factor = this.lastCutAt === -Infinity ? PACING.probeFactor : PACING.recoverFactor;
		this.perSecond = Math.min(PACING.maxPerSecond, this.perSecond * factor);
	}

	/** Reacts to a 429; returns how long this one request waits on its own. */
	private throttled(limited: RateLimited): number {
		if (limited.recipient) return limited.retryAfterMs ?? PACING.recipientWaitMs;
		const now = Date.now();
		if (this.adaptive && now - this.lastCutAt >= PACING.cutEveryMs) {
			this.lastCutAt = now;
			this.perSecond = Math.max(PACING.minPerSecond, this.perSecond * PACING.cutFactor);
		}
		this.pausedUntil = Math.max(this.pausedUntil, now + (limited.retryAfterMs ?? PACING.backoffMs));
		return 0;
	}
}

const accountPacers = new Map<string, Pacer>();

/**
 * The pacer of one account in this process, for the base URL and key as baseUrl.ts reads them.
 * The key is never kept, only a hash of it.
 */
export function accountPacer(baseUrl: string, apiKey: string): Pacer {
	const id = `${baseUrl}#${createHash('sha256').update(apiKey).digest('hex').slice(0, 32)}`;
	let pacer = accountPacers.get(id);
	if (!pacer)
		accountPacers.set(id, (pacer = new Pacer(PACING.startPerSecond, PACING.maxInFlight, true)));
	return pacer;
}

/** A user's cap on messages per second for one run of a node (not adaptive, no bound in flight). */
export function capPacer(perSecond: number): Pacer {
	return new Pacer(perSecond, Number.POSITIVE_INFINITY, false);
}
