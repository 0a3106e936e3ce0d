/**
 * The glue between the Azeer node and n8n's routing engine (n8n-core's RoutingNode), in this
 * folder only: it is what an n8n upgrade can break. The operations that keep the declarative
 * path (reads, single writes) travel it like this (CONTRIBUTING.md, "One request's path"):
 *
 * - RoutingNode builds every item's request from the `routing` blocks of the description (see
 *   operation.ts), one ExecuteSingleContext per item, in one synchronous loop over the items;
 * - every preSend is wrapped (`guardPreSends`): the first call registers the item with its run
 *   (operationRun.ts), a failure marks the item invalid;
 * - the hidden `requestTracking` property comes last, so its preSend remembers the request as sent
 *   (itemState.ts, keyed by the item's context, which routing also hands the item's postReceive);
 * - the request itself goes through `pacedSend`, the operation's pagination function (routing calls
 *   it with the request fully built instead of sending it): it waits until every item of the run
 *   has passed or failed its checks, sends nothing if one failed, then sends through the account's
 *   pacer;
 * - the postReceive `azeerResponseHandler` (itemState.ts) hands a 429 back to the pacer and turns
 *   an error answer into the API's error with advice.
 *
 * The sends and the contact writes (Create, Add Tags, Assign, Create Many) do not take this path:
 * they are custom operations that run item by item (operationRun.ts `runPerItem`), because
 * RoutingNode's loop holds the event loop for all items.
 */
import type {
	DeclarativeRestApiSettings,
	IExecuteData,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	INodeProperties,
	PreSendAction,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { apiErrorFromResponse } from '../../shared/errors';
import { Cancelled, capPacer, RateLimited } from '../../shared/pacer';
import type { Pacer } from '../../shared/pacer';
import { pacerOf } from '../../shared/transport';
import {
	asNodeError,
	capPerSecond,
	errorItem,
	invalidItemsError,
	partialFailureError,
	runOf,
} from '../shared/operationRun';
import type { Run } from '../shared/operationRun';

type Outcome = 'sent' | 'failed' | 'notSent';

interface Deferred<T> {
	promise: Promise<T>;
	resolve: (value: T) => void;
}

function deferred<T>(): Deferred<T> {
	let resolve!: (value: T) => void;
	const promise = new Promise<T>((r) => (resolve = r));
	return { promise, resolve };
}

/** One try of the node: routing's loop over the items, then their requests. */
class Attempt {
	readonly entered = new Set<number>();
	private readonly arrived = new Set<number>();
	private readonly invalid = new Map<number, Error>();
	private readonly outcomes = new Map<number, Outcome>();
	private readonly failures = new Map<number, Error>();
	private loopDone = false;
	private loopCheckQueued = false;
	/** Counts the waits for a next batch of the loop; only the latest one may end the loop. */
	private loopWaits = 0;
	/** Resolves true when the checked items may be sent, false when nothing may be sent. */
	private readonly verdict = deferred<boolean>();
	private readonly allSettled = deferred<void>();
	private validationError?: Error;
	private summaryError?: Error;
	stopped = false;
	continueOnFail = false;
	batchIntervalMs = 0;
	private readonly pacers = new Set<Pacer>();
	/** The account's pacer and the user's cap, looked up once per try (the credential and option are the node's). */
	private pacing?: Promise<{ pacer: Pacer; cap?: Pacer }>;

	constructor(readonly run: Run) {}

	enter(itemIndex: number): void {
		this.entered.add(itemIndex);
		if (this.loopCheckQueued) return;
		this.loopCheckQueued = true;
		// RoutingNode's loop starts every item's first preSend synchronously: once the loop is done
		// the items that did not enter failed in the loop itself (n8n reports those).
		queueMicrotask(() => {
			this.loopCheckQueued = false;
			this.checkLoop();
		});
	}

	private checkLoop(): void {
		const highest = Math.max(...this.entered);
		if (
			this.entered.size < this.run.total &&
			highest < this.run.total - 1 &&
			this.batchIntervalMs > 0
		) {
			// Request Options → Batching: the loop sleeps between batches; wait for the next one.
			const wait = ++this.loopWaits;
			void sleep(this.batchIntervalMs + 1000).then(
				() => wait === this.loopWaits && this.finishLoop(),
			);
			return;
		}
		this.finishLoop();
	}

	private finishLoop(): void {
		this.loopWaits++;
		this.loopDone = true;
		this.decide();
	}

	arrive(itemIndex: number): Promise<boolean> {
		this.arrived.add(itemIndex);
		this.decide();
		return this.verdict.promise;
	}

	reject(itemIndex: number, error: Error): Promise<boolean> {
		this.invalid.set(itemIndex, error);
		this.decide();
		return this.verdict.promise;
	}

	private decide(): void {
		if (!this.loopDone || this.arrived.size + this.invalid.size < this.entered.size) return;
		const missing = this.run.total - this.entered.size;
		this.verdict.resolve(this.continueOnFail || (this.invalid.size === 0 && missing === 0));
		this.settleIfDone();
	}

	/** The error every invalid item throws: one item's own error, or all of them named. */
	invalidItemsError(context: IExecuteSingleFunctions): Error {
		this.validationError ??= invalidItemsError(context.getNode(), this.invalid, this.run.total);
		return this.validationError;
	}

	async pacersFor(context: IExecuteSingleFunctions): Promise<{ pacer: Pacer; cap?: Pacer }> {
		this.pacing ??= (async () => {
			const pacer = await pacerOf(context);
			const perSecond = capPerSecond(context);
			const cap = perSecond ? capPacer(perSecond) : undefined;
			for (const used of [pacer, cap]) if (used) this.pacers.add(used);
			return { pacer, cap };
		})();
		return await this.pacing;
	}

	settle(itemIndex: number, outcome: Outcome, error?: Error): void {
		this.outcomes.set(itemIndex, outcome);
		if (error) this.failures.set(itemIndex, error);
		if (outcome === 'failed' && !this.continueOnFail && !this.stopped) {
			this.stopped = true;
			for (const pacer of this.pacers) pacer.releaseCancelled();
		}
		this.settleIfDone();
	}

	private settleIfDone(): void {
		if (this.loopDone && this.outcomes.size + this.invalid.size >= this.entered.size)
			this.allSettled.resolve();
	}

	/** Once every item is settled: the first failure, told with what was sent and how to go on. */
	async partialFailureError(): Promise<Error> {
		await this.allSettled.promise;
		const notSent = [...this.outcomes.entries()]
			.filter(([, outcome]) => outcome === 'notSent')
			.map(([index]) => index);
		this.summaryError ??= partialFailureError(this.run, this.failures, notSent);
		return this.summaryError;
	}
}

const attempts = new WeakMap<Run, Attempt>();
const enteredContexts = new WeakSet<object>();

/** The current try of this item's run; `enter`: registers the item on its first call. */
function attemptOf(context: IExecuteSingleFunctions, enter: boolean): Attempt | undefined {
	const executeData: IExecuteData | undefined = context.getExecuteData?.();
	if (!executeData) return undefined;
	const total = context.getNode().executeOnce ? 1 : (executeData.data.main?.[0]?.length ?? 1);
	const { run } = runOf(executeData, total);
	if (!enter) return attempts.get(run);
	const itemIndex = context.getItemIndex();
	let attempt = attempts.get(run);
	if (!enteredContexts.has(context)) {
		enteredContexts.add(context);
		// The same item entering again means n8n runs the node again (Retry On Fail): a new try.
		if (!attempt || attempt.entered.has(itemIndex)) attempts.set(run, (attempt = new Attempt(run)));
		if (attempt.entered.size === 0) {
			attempt.continueOnFail = context.continueOnFail();
			const requestOptions = context.getNodeParameter('requestOptions', {}) as {
				batching?: { batch?: { batchInterval?: number } };
			};
			attempt.batchIntervalMs = Number(requestOptions.batching?.batch?.batchInterval ?? 0);
		}
		attempt.enter(itemIndex);
	}
	return attempt;
}

function guarded(preSend: PreSendAction): PreSendAction {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		const attempt = attemptOf(this, true);
		try {
			return await preSend.call(this, requestOptions);
		} catch (error) {
			const itemIndex = this.getItemIndex();
			const nodeError = asNodeError(this.getNode(), error, itemIndex);
			if (!attempt) throw nodeError;
			await attempt.reject(itemIndex, nodeError);
			throw attempt.continueOnFail ? nodeError : attempt.invalidItemsError(this);
		}
	};
}

/** The node's properties with every preSend wrapped so that a failing check holds the whole run. */
export function guardPreSends(properties: INodeProperties[]): INodeProperties[] {
	const guard = (node: unknown): void => {
		if (!node || typeof node !== 'object') return;
		const record = node as {
			routing?: { send?: { preSend?: PreSendAction[] } };
			options?: unknown[];
			values?: unknown[];
		};
		const send = record.routing?.send;
		if (send?.preSend) send.preSend = send.preSend.map(guarded);
		for (const child of [...(record.options ?? []), ...(record.values ?? [])]) guard(child);
	};
	for (const property of properties) guard(property);
	return properties;
}

/**
 * The request of one item (routing's pagination hook: `requestData` is the request fully built by
 * the preSends). Waits for the run's checks, then sends through the account's pacer.
 */
export async function pacedSend(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const attempt = attemptOf(this, false);
	if (!attempt) return await this.makeRoutingRequest(requestData);
	const itemIndex = this.getItemIndex();
	if (!(await attempt.arrive(itemIndex))) return [];
	const earlier = attempt.run.sent.get(itemIndex);
	if (earlier) {
		attempt.settle(itemIndex, 'sent');
		return earlier;
	}
	const { pacer, cap } = await attempt.pacersFor(this);
	const cancelSignal = this.getExecutionCancelSignal?.();
	const cancelled = () => attempt.stopped || cancelSignal?.aborted === true;
	try {
		if (cap) await cap.send(async () => undefined, { cancelled });
		const unpaced = requestData.options.method === 'GET';
		const received = await pacer.send(async () => await this.makeRoutingRequest(requestData), {
			cancelled,
			unpaced,
			lane: attempt.run,
		});
		const items = received.map((item) => ({ ...item, pairedItem: { item: itemIndex } }));
		attempt.run.sent.set(itemIndex, items);
		attempt.settle(itemIndex, 'sent');
		return items;
	} catch (caught) {
		if (caught instanceof Cancelled) {
			attempt.settle(itemIndex, 'notSent');
			return [];
		}
		const error =
			caught instanceof RateLimited
				? apiErrorFromResponse(this.getNode(), caught.answer as IN8nHttpFullResponse, itemIndex)
				: asNodeError(this.getNode(), caught, itemIndex);
		attempt.settle(itemIndex, 'failed', error);
		if (attempt.continueOnFail) return [errorItem(itemIndex, error)];
		throw await attempt.partialFailureError();
	}
}
