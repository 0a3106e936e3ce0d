/**
 * One run of the Azeer node over all its input items is one unit, though n8n's RoutingNode starts
 * every item's request at once (n8n-core routing-node.js: each item's preSend chain, then the
 * request, with Promise.allSettled over all items). Hooks into that engine:
 *
 * - every preSend is wrapped (`guardPreSends`): the first call registers the item with its run,
 *   a failure marks the item invalid;
 * - the request itself goes through `pacedSend`, the operation's pagination function (routing
 *   calls it with the request fully built instead of sending it): it waits until every item of the
 *   run has passed or failed its checks, sends nothing if one failed, then sends through the
 *   account's pacer;
 * - a send that fails after others went out stops the rest and fails with what was sent, what
 *   failed and what was not sent; with On Error → Continue every item is attempted and n8n splits
 *   sent from failed;
 * - n8n's Retry On Fail runs the node again with the same execution data: an item sent by an
 *   earlier try returns its earlier result instead of being sent again.
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
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { apiErrorFromResponse } from '../../shared/errors';
import { Cancelled, capPacer, RateLimited } from '../../shared/pacer';
import type { Pacer } from '../../shared/pacer';
import { pacerOf } from '../../shared/transport';

/** How many bad or failed items an error lists by number. */
const MAX_LISTED_ITEMS = 10;

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

/** "0–498, 501, 700–999" */
export function itemRanges(indexes: number[]): string {
	const sorted = [...indexes].sort((a, b) => a - b);
	const parts: string[] = [];
	for (let i = 0; i < sorted.length; i++) {
		const start = sorted[i];
		while (i + 1 < sorted.length && sorted[i + 1] === sorted[i] + 1) i++;
		parts.push(start === sorted[i] ? String(start) : `${start}–${sorted[i]}`);
	}
	return parts.join(', ');
}

/** The error as n8n reports it for an item: a node error as it is, anything else wrapped. */
function asNodeError(
	context: IExecuteSingleFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

const withoutItemSuffix = (message: string) => message.replace(/\s*\[item \d+\]$/, '');

/** One execution of the node over its items (the same across Retry On Fail tries). */
class Run {
	/** Output of every item sent so far in this execution, by item index. */
	readonly sent = new Map<number, INodeExecutionData[]>();
	current: Attempt;

	constructor(readonly total: number) {
		this.current = new Attempt(this);
	}
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
	invalidItemsError(node: IExecuteSingleFunctions): Error {
		if (this.validationError) return this.validationError;
		const bad = [...this.invalid.entries()].sort(([a], [b]) => a - b);
		const [firstIndex, firstError] = bad[0];
		const nothingSent = `Nothing was sent: all ${this.run.total} items are checked before the first request.`;
		if (bad.length === 1) {
			const description = (firstError as NodeOperationError).description;
			this.validationError = new NodeOperationError(node.getNode(), firstError.message, {
				itemIndex: firstIndex,
				description: [description, nothingSent].filter(Boolean).join(' '),
			});
		} else {
			const listed = bad
				.slice(0, MAX_LISTED_ITEMS)
				.map(([index, error]) => `item ${index}: ${withoutItemSuffix(error.message)}`);
			if (bad.length > MAX_LISTED_ITEMS) listed.push(`and ${bad.length - MAX_LISTED_ITEMS} more`);
			this.validationError = new NodeOperationError(
				node.getNode(),
				`${bad.length} of ${this.run.total} items have invalid values [item ${firstIndex}]`,
				{
					itemIndex: firstIndex,
					description: `${listed.join('; ')}. ${nothingSent} Fix these items and run again.`,
				},
			);
		}
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
		if (this.summaryError) return this.summaryError;
		if (this.run.total === 1) return (this.summaryError = this.failures.get(0)!);
		const failed = [...this.failures.keys()].sort((a, b) => a - b);
		const first = this.failures.get(failed[0])!;
		const sent = [...this.run.sent.keys()];
		const notSent = [...this.outcomes.entries()]
			.filter(([, outcome]) => outcome === 'notSent')
			.map(([index]) => index);
		const original = first as Error & { description?: string };
		const listedFailures = failed
			.slice(0, MAX_LISTED_ITEMS)
			.map((index) => `${index} (${withoutItemSuffix(this.failures.get(index)!.message)})`);
		if (failed.length > MAX_LISTED_ITEMS)
			listedFailures.push(`and ${failed.length - MAX_LISTED_ITEMS} more`);
		const lines = [
			`Sent: ${sent.length} of ${this.run.total}${sent.length ? ` (items ${itemRanges(sent)})` : ''}.`,
			`Failed: ${failed.length}: item ${listedFailures.join(', ')}.`,
			`Not sent: ${notSent.length}${notSent.length ? ` (items ${itemRanges(notSent)})` : ''}.`,
			original.description ?? '',
			'To continue without sending anything twice, run the node again on the failed and not-sent items only, or set Settings → On Error → "Continue (using error output)": sent items then leave on the success output and the others on the error output. Retry On Fail never resends an item already sent in the same execution.',
		];
		original.message = `${withoutItemSuffix(original.message)}: ${sent.length} of ${this.run.total} items were sent before item ${failed[0]} failed`;
		original.description = lines.filter(Boolean).join(' ');
		this.summaryError = original;
		return original;
	}
}

const runs = new WeakMap<IExecuteData, Run>();
const enteredContexts = new WeakSet<object>();

/** The current try of this item's run; `enter`: registers the item on its first call. */
function attemptOf(context: IExecuteSingleFunctions, enter: boolean): Attempt | undefined {
	const executeData = context.getExecuteData?.();
	if (!executeData) return undefined;
	if (!enter) return runs.get(executeData)?.current;
	const itemIndex = context.getItemIndex();
	let run = runs.get(executeData);
	if (!run) {
		const total = context.getNode().executeOnce ? 1 : (executeData.data.main?.[0]?.length ?? 1);
		runs.set(executeData, (run = new Run(total)));
	}
	if (!enteredContexts.has(context)) {
		enteredContexts.add(context);
		// The same item entering again means n8n runs the node again (Retry On Fail): a new try.
		if (run.current.entered.has(itemIndex)) run.current = new Attempt(run);
		const attempt = run.current;
		if (attempt.entered.size === 0) {
			attempt.continueOnFail = context.continueOnFail();
			const requestOptions = context.getNodeParameter('requestOptions', {}) as {
				batching?: { batch?: { batchInterval?: number } };
			};
			attempt.batchIntervalMs = Number(requestOptions.batching?.batch?.batchInterval ?? 0);
		}
		attempt.enter(itemIndex);
	}
	return run.current;
}

function guarded(preSend: PreSendAction): PreSendAction {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		const attempt = attemptOf(this, true);
		try {
			return await preSend.call(this, requestOptions);
		} catch (error) {
			const itemIndex = this.getItemIndex();
			const nodeError = asNodeError(this, error, itemIndex);
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

/** The user's cap on messages per second (send Options), or 0 for none. */
function capPerSecond(context: IExecuteSingleFunctions): number {
	const cap = Number(context.getNodeParameter('sendOptions.maxPerSecond', 0) ?? 0);
	return Number.isFinite(cap) && cap > 0 ? cap : 0;
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
				: asNodeError(this, caught, itemIndex);
		attempt.settle(itemIndex, 'failed', error);
		// An error item of our own rather than routing's, so that it keeps its pairedItem: n8n's
		// error output then carries the failed input item.
		if (attempt.continueOnFail)
			return [{ json: { error: error.message }, error, pairedItem: { item: itemIndex } }];
		throw await attempt.partialFailureError();
	}
}
