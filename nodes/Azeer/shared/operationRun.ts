/**
 * One run of the Azeer node over all its input items is one unit, whatever the operation:
 *
 * - every item is checked before the first request; one bad item sends nothing and the error
 *   names every bad item (with On Error → Continue the bad items go to the error output instead);
 * - requests go through the account's pacer (nodes/shared/pacer.ts), in item order;
 * - a send that fails after others went out stops the rest and fails with what was sent, what
 *   failed and what was not sent; with On Error → Continue every item is attempted and n8n splits
 *   sent from failed;
 * - n8n's Retry On Fail runs the node again with the same execution data: an item sent by an
 *   earlier try returns its earlier result instead of being sent again.
 *
 * Every operation runs here item by item (`runPerItem`, n8n's custom operations): the checks are
 * one pass over the items and the requests a second, each handing the event loop back to n8n
 * often, so that n8n keeps answering while thousands of items go out. n8n's routing engine, which
 * builds every item's request in one loop, runs none of them.
 */
import type {
	IExecuteData,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { apiErrorFromResponse } from '../../shared/errors';
import {
	accountPacer,
	Cancelled,
	capPacer,
	PACING,
	RateLimited,
	rateLimitedAnswer,
} from '../../shared/pacer';
import { accountOf, sendOnceAs } from '../../shared/transport';
import { itemContext, RunParameters } from './itemContext';

/** How many bad or failed items an error lists by number. */
const MAX_LISTED_ITEMS = 10;

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
	node: INode,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error as Error, { itemIndex });
}

const withoutItemSuffix = (message: string) => message.replace(/\s*\[item \d+\]$/, '');

/** An error item of our own, so that it keeps its pairedItem: n8n's error output then carries the input item. */
export function errorItem(itemIndex: number, error: Error): INodeExecutionData {
	return { json: { error: error.message }, error: error as never, pairedItem: { item: itemIndex } };
}

/** One execution of the node over its items (the same across Retry On Fail tries). */
class Run {
	/** Output of every item sent so far in this execution, by item index. */
	readonly sent = new Map<number, INodeExecutionData[]>();

	constructor(readonly total: number) {}
}

const runs = new WeakMap<IExecuteData, Run>();

/** The run of this execution data: n8n hands every try of the node the same object. */
function runOf(executeData: IExecuteData, total: number): Run {
	let run = runs.get(executeData);
	if (!run) runs.set(executeData, (run = new Run(total)));
	return run;
}

/** The error of a run with bad items: one item's own error, or all of them named. */
function invalidItemsError(
	node: INode,
	invalid: Map<number, Error>,
	total: number,
): NodeOperationError {
	const bad = [...invalid.entries()].sort(([a], [b]) => a - b);
	const [firstIndex, firstError] = bad[0];
	const nothingSent = `Nothing was sent: all ${total} items are checked before the first request.`;
	if (bad.length === 1) {
		const description = (firstError as NodeOperationError).description;
		return new NodeOperationError(node, firstError.message, {
			itemIndex: firstIndex,
			description: [description, nothingSent].filter(Boolean).join(' '),
		});
	}
	const listed = bad
		.slice(0, MAX_LISTED_ITEMS)
		.map(([index, error]) => `item ${index}: ${withoutItemSuffix(error.message)}`);
	if (bad.length > MAX_LISTED_ITEMS) listed.push(`and ${bad.length - MAX_LISTED_ITEMS} more`);
	return new NodeOperationError(
		node,
		`${bad.length} of ${total} items have invalid values [item ${firstIndex}]`,
		{
			itemIndex: firstIndex,
			description: `${listed.join('; ')}. ${nothingSent} Fix these items and run again.`,
		},
	);
}

/** The first failure of a run, told with what was sent, what failed, what was not, and how to go on. */
function partialFailureError(run: Run, failures: Map<number, Error>, notSent: number[]): Error {
	if (run.total === 1) return failures.get(0)!;
	const failed = [...failures.keys()].sort((a, b) => a - b);
	const first = failures.get(failed[0])!;
	const sent = [...run.sent.keys()];
	const original = first as Error & { description?: string };
	const listedFailures = failed
		.slice(0, MAX_LISTED_ITEMS)
		.map((index) => `${index} (${withoutItemSuffix(failures.get(index)!.message)})`);
	if (failed.length > MAX_LISTED_ITEMS)
		listedFailures.push(`and ${failed.length - MAX_LISTED_ITEMS} more`);
	const lines = [
		`Sent: ${sent.length} of ${run.total}${sent.length ? ` (items ${itemRanges(sent)})` : ''}.`,
		`Failed: ${failed.length}: item ${listedFailures.join(', ')}.`,
		`Not sent: ${notSent.length}${notSent.length ? ` (items ${itemRanges(notSent)})` : ''}.`,
		original.description ?? '',
		'To continue without sending anything twice, run the node again on the failed and not-sent items only, or set Settings → On Error → "Continue (using error output)": sent items then leave on the success output and the others on the error output. Retry On Fail never resends an item already sent in the same execution.',
	];
	original.message = `${withoutItemSuffix(original.message)}: ${sent.length} of ${run.total} items were sent before item ${failed[0]} failed`;
	original.description = lines.filter(Boolean).join(' ');
	return original;
}

/** The user's cap on messages per second (send Options), or 0 for none. */
function capPerSecond(context: IExecuteSingleFunctions): number {
	const cap = Number(context.getNodeParameter('sendOptions.maxPerSecond', 0) ?? 0);
	return Number.isFinite(cap) && cap > 0 ? cap : 0;
}

/**
 * Longest stretch of the run's own synchronous work before it lets n8n serve other work (webhooks,
 * the editor, other executions). Another execution needs dozens of turns of the event loop, each
 * after one stretch: with 20 ms an echo bot's reply came 1.5–3.9 s late while a broadcast checked
 * its items, with 5 ms 0.2–0.5 s.
 */
const YIELD_AFTER_MS = 5;

/** Waits a turn of the event loop whenever the work since the last wait took YIELD_AFTER_MS. */
export function eventLoopYielder(): () => Promise<void> {
	let since = Date.now();
	return async () => {
		if (Date.now() - since < YIELD_AFTER_MS) return;
		await sleep(0);
		since = Date.now();
	};
}

/** Items handed to the pacer ahead of their turn: enough to keep all its slots busy, no more. */
const SEND_WINDOW = 2 * PACING.maxInFlight;

/** An operation run item by item (see runPerItem). */
export interface PerItemOperation {
	/**
	 * The item's request without its base URL, built and checked (throws for a bad item). Runs for
	 * every item before the first request; what it returns is all the send pass keeps of the item.
	 */
	build(context: IExecuteSingleFunctions): Promise<IHttpRequestOptions>;
	/** The item's output from Azeer's answer (not a 429); throws for an error answer. */
	receive(
		context: IExecuteSingleFunctions,
		response: IN8nHttpFullResponse,
		request: IHttpRequestOptions,
	): Promise<INodeExecutionData[]>;
}

/**
 * Runs `operation` over the node's input items: a check pass over every item, then a send pass
 * that feeds the account's pacer in item order with at most SEND_WINDOW items under way. Both
 * passes hand the event loop back every YIELD_AFTER_MS.
 */
export async function runPerItem(
	execute: IExecuteFunctions,
	operation: PerItemOperation,
): Promise<INodeExecutionData[][]> {
	const parameters = new RunParameters(execute);
	const node = parameters.node;
	const total = execute.getInputData().length;
	const continueOnFail = execute.continueOnFail();
	const run = runOf(execute.getExecuteData(), total);
	const contextOf = (itemIndex: number) => itemContext(execute, itemIndex, parameters);
	const yieldIfBusy = eventLoopYielder();

	const requests: Array<IHttpRequestOptions | undefined> = new Array(total);
	const invalid = new Map<number, Error>();
	for (let itemIndex = 0; itemIndex < total; itemIndex++) {
		await yieldIfBusy();
		if (run.sent.has(itemIndex)) continue;
		try {
			requests[itemIndex] = await operation.build(contextOf(itemIndex));
		} catch (error) {
			invalid.set(itemIndex, asNodeError(node, error, itemIndex));
		}
	}
	if (invalid.size && !continueOnFail) throw invalidItemsError(node, invalid, total);

	const first = contextOf(0);
	// The credential is read once per run: n8n decrypts it on every read.
	const account = await accountOf(execute);
	const pacer = accountPacer(account.baseURL, account.apiKey);
	const perSecond = total ? capPerSecond(first) : 0;
	const cap = perSecond ? capPacer(perSecond) : undefined;
	const cancelSignal = execute.getExecutionCancelSignal?.();
	let stopped = false;
	const cancelled = () => stopped || cancelSignal?.aborted === true;
	const outputs: INodeExecutionData[][] = new Array(total);
	const failures = new Map<number, Error>();

	const sendItem = async (itemIndex: number, request: IHttpRequestOptions) => {
		const context = contextOf(itemIndex);
		try {
			if (cap) await cap.send(async () => undefined, { cancelled });
			const received = await pacer.send(
				async () => {
					const response = await sendOnceAs(context, account, request);
					if (response.statusCode === 429) throw rateLimitedAnswer(response);
					return await operation.receive(context, response, request);
				},
				{ cancelled, unpaced: request.method === 'GET', lane: run },
			);
			const items = received.map((item) => ({ ...item, pairedItem: { item: itemIndex } }));
			run.sent.set(itemIndex, items);
			outputs[itemIndex] = items;
		} catch (caught) {
			if (caught instanceof Cancelled) return;
			const error =
				caught instanceof RateLimited
					? apiErrorFromResponse(node, caught.answer as IN8nHttpFullResponse, itemIndex)
					: asNodeError(node, caught, itemIndex);
			failures.set(itemIndex, error);
			if (continueOnFail) {
				outputs[itemIndex] = [errorItem(itemIndex, error)];
			} else if (!stopped) {
				stopped = true;
				for (const used of [pacer, cap]) used?.releaseCancelled();
			}
		}
	};

	// Request Options → Batching, which n8n adds to declarative nodes: a pause before each batch.
	const { batchSize, batchInterval } = ((
		first.getNodeParameter('requestOptions', {}) as {
			batching?: { batch?: { batchSize?: number; batchInterval?: number } };
		}
	).batching?.batch ?? {}) as { batchSize?: number; batchInterval?: number };
	let batchPause = Promise.resolve();
	let next = 0;
	const worker = async () => {
		for (;;) {
			await yieldIfBusy();
			if (next >= total || cancelled()) return;
			const itemIndex = next++;
			if (batchSize && batchInterval && itemIndex > 0 && itemIndex % batchSize === 0)
				batchPause = sleep(batchInterval);
			await batchPause;
			const earlier = run.sent.get(itemIndex);
			const request = requests[itemIndex];
			requests[itemIndex] = undefined;
			if (earlier) outputs[itemIndex] = earlier;
			else if (request) await sendItem(itemIndex, request);
			else outputs[itemIndex] = [errorItem(itemIndex, invalid.get(itemIndex)!)];
		}
	};
	await Promise.all(Array.from({ length: Math.min(SEND_WINDOW, total) }, worker));

	if (failures.size && !continueOnFail) {
		const notSent = [...Array(total).keys()].filter(
			(index) => !run.sent.has(index) && !failures.has(index),
		);
		throw partialFailureError(run, failures, notSent);
	}
	return outputOf(execute, node, outputs);
}

/**
 * From this many output items, n8n's split of a node's output for *On Error → Continue (using
 * error output)* takes time that grows with the square of the count (it takes the items off one
 * at a time, and an array this large can no longer be shortened in place): 24 ms at 16,000 items,
 * about 1 s at 100,000, during which n8n answers nothing else.
 */
export const QUADRATIC_SPLIT_FROM_ITEMS = 16_000;

const count = (n: number) => n.toLocaleString('en-US');

/** The run's output, with a hint in the output pane when n8n's error-output split will be slow. */
function outputOf(
	execute: IExecuteFunctions,
	node: INode,
	outputs: INodeExecutionData[][],
): INodeExecutionData[][] {
	const items = outputs.flat();
	if (items.length >= QUADRATIC_SPLIT_FROM_ITEMS && node.onError === 'continueErrorOutput') {
		execute.addExecutionHints({
			type: 'warning',
			location: 'outputPane',
			message: `n8n splits these ${count(items.length)} items between the success and error outputs one by one: from about ${count(QUADRATIC_SPLIT_FROM_ITEMS)} items this takes time growing with the square of the count (about 1 s at 100,000), and n8n answers nothing else meanwhile. For runs this large, set Settings → On Error to "Continue" (failed items stay on this output, with "error" in their JSON), or send in runs of ${count(QUADRATIC_SPLIT_FROM_ITEMS - 1000)} or fewer with a Loop Over Items node.`,
		});
	}
	return [items];
}

/** A custom operation of the node that runs `operation` item by item. */
export function perItemOperation(operation: PerItemOperation) {
	return async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runPerItem(this, operation);
	};
}
