/**
 * `npm run bench`: measures the Azeer nodes on n8n's real engine against a sandbox on loopback
 * and prints one table, every figure measured in this run, with its target beside it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { PackageDirectoryLoader } from 'n8n-core';

import { argument, log, shutdownAll, stopEverythingOnSignals } from '../scripts/lib/process.cjs';
import { BURST, measureIntake } from './intake.cjs';
import type { BurstFigure } from './intake.cjs';
import { measureBroadcast } from './broadcast.cjs';
import { measureFreeze } from './freeze.cjs';
import { FREEZE_POLL_MS, isCreate, isRead } from './freeze.cjs';
import type { FreezeFigures, FreezeOptions, FreezeRun, FreezeWorkload } from './freeze.cjs';
import type { BroadcastFigures, BroadcastWorkload } from './broadcast.cjs';
import { measureSandbox } from './sandbox.cjs';
import { control, startSandboxProcess } from './sandboxProcess.cjs';
import { measureTriggerThroughput } from './trigger.cjs';
import {
	BATCHING,
	BENCH_DIR,
	runIsolated,
	createContacts,
	MEMORY_WORKLOADS,
	RECIPIENT,
	sendWithAzeer,
	sendWithDeclarativeFloor,
	sendWithFetch,
	sendWithHttpRequest,
	textItems,
} from './workloads.cjs';

const ROOT = path.resolve(BENCH_DIR, '..');
const SEND_ITEMS = 1000;
const SEND_ROUNDS = 7;
const MEMORY_ITEMS = 10_000;
const CONTACTS = 10_000;
const DELIVERIES = 5000;

interface Row {
	what: string;
	figure: string;
	target: string;
	met?: boolean;
}

const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function timed(work: () => Promise<void>): Promise<number> {
	const begin = performance.now();
	await work();
	return performance.now() - begin;
}

async function apiRequestCount(origin: string, pathSuffix: string): Promise<number> {
	const requests = (await control(origin, 'GET', '/requests')) as Array<{ path: string }>;
	return requests.filter((request) => request.path.endsWith(pathSuffix)).length;
}

/** Every measured run starts on the seed state with the recipient's 24-hour window open. */
async function freshSandbox(sandbox: { origin: string }): Promise<void> {
	await control(sandbox.origin, 'POST', '/reset');
	await control(sandbox.origin, 'POST', '/inbound', { from: RECIPIENT, name: 'Bench', text: 'hi' });
}

/** How many n8n expressions one workload evaluates, by wrapping n8n-workflow's evaluator. */
async function countExpressionEvaluations(work: () => Promise<void>): Promise<number> {
	// The CommonJS build, which n8n-core uses (tsx would resolve the bare name to the ES build).
	const expressionModule = path.join(ROOT, 'node_modules/n8n-workflow/dist/cjs/expression.js');
	const { Expression } = require(expressionModule) as {
		Expression: { prototype: { resolveSimpleParameterValue: (...args: unknown[]) => unknown } };
	};
	const evaluate = Expression.prototype.resolveSimpleParameterValue;
	let count = 0;
	Expression.prototype.resolveSimpleParameterValue = function (...args: unknown[]) {
		count++;
		return evaluate.apply(this, args);
	};
	try {
		await work();
	} finally {
		Expression.prototype.resolveSimpleParameterValue = evaluate;
	}
	return count;
}

const SEND_VARIANTS = {
	azeer: sendWithAzeer,
	floor: sendWithDeclarativeFloor,
	http: sendWithHttpRequest,
	fetch: sendWithFetch,
};
type Variant = keyof typeof SEND_VARIANTS;

async function sendOverhead(sandbox: { origin: string; baseUrl: string }): Promise<Row[]> {
	const items = textItems(SEND_ITEMS);
	const names = Object.keys(SEND_VARIANTS) as Variant[];
	const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<
		Variant,
		number[]
	>;
	const evaluations = {} as Record<Variant, number>;
	for (const name of names) {
		evaluations[name] =
			(await countExpressionEvaluations(() =>
				SEND_VARIANTS[name](sandbox.baseUrl, textItems(100)),
			)) / 100;
	}
	for (let round = 0; round < SEND_ROUNDS; round++) {
		// Rotate the order so that no variant always runs first or last.
		const order = names.map((_, index) => names[(index + round) % names.length]);
		for (const name of order) {
			await freshSandbox(sandbox);
			times[name].push(await timed(() => SEND_VARIANTS[name](sandbox.baseUrl, items)));
		}
	}
	const perItem = (name: Variant) => median(times[name]) / SEND_ITEMS;
	const ratio = perItem('azeer') / perItem('http');
	const figure = (name: Variant) =>
		`${(perItem(name) * 1000).toFixed(0)} µs/item, ${evaluations[name]} expr/item`;
	return [
		{
			what: `Send Text, Azeer node (${SEND_ITEMS} items, median of ${SEND_ROUNDS})`,
			figure: figure('azeer'),
			target: '',
		},
		{ what: 'Same requests, least possible declarative node', figure: figure('floor'), target: '' },
		{ what: 'Same requests, n8n HTTP Request node 4.2', figure: figure('http'), target: '' },
		{ what: 'Same requests, bare fetch (floor)', figure: figure('fetch'), target: '' },
		{
			what: 'Ratio Azeer / HTTP Request',
			figure: ratio.toFixed(3),
			target: '≤ 1.05',
			met: ratio <= 1.05,
		},
		{
			what: 'Ratio Azeer / least declarative node (our own cost)',
			figure: (perItem('azeer') / perItem('floor')).toFixed(3),
			target: '',
		},
		{
			what: 'Ratio least declarative node / HTTP Request (engine)',
			figure: (perItem('floor') / perItem('http')).toFixed(3),
			target: '',
		},
	];
}

interface MemoryFigure {
	growthBytes: number;
	milliseconds: number;
}

function measureMemory(baseUrl: string, workload: keyof typeof MEMORY_WORKLOADS): MemoryFigure {
	const { baselineBytes, peakBytes, milliseconds } = runIsolated<Record<string, number>>(
		'memory.cts',
		[baseUrl, workload, String(MEMORY_ITEMS)],
	);
	return { growthBytes: Math.max(0, peakBytes - baselineBytes), milliseconds };
}

async function memory(sandbox: { origin: string; baseUrl: string }): Promise<Row[]> {
	const measure = async (workload: keyof typeof MEMORY_WORKLOADS) => {
		await freshSandbox(sandbox);
		return measureMemory(sandbox.baseUrl, workload);
	};
	const show = (figure: MemoryFigure) =>
		`${mb(figure.growthBytes)} in ${(figure.milliseconds / 1000).toFixed(1)} s`;
	const azeer = await measure('azeer');
	return [
		{
			what: `Peak RSS growth, ${MEMORY_ITEMS} items of Send Text, Azeer node`,
			figure: show(azeer),
			target: '≤ 50 MB',
			met: azeer.growthBytes <= 50 * 1024 * 1024,
		},
		{
			what: 'Same, least possible declarative node',
			figure: show(await measure('floor')),
			target: '',
		},
		{ what: 'Same, n8n HTTP Request node', figure: show(await measure('http')), target: '' },
		{
			what: 'Same requests, bare fetch, no engine',
			figure: show(await measure('fetch')),
			target: '',
		},
		{
			what: `Azeer node with Request Options → Batching (${BATCHING.batchSize} items, ${BATCHING.batchInterval} ms)`,
			figure: show(await measure('azeerBatched')),
			target: '',
		},
	];
}

async function batching(sandbox: { origin: string; baseUrl: string }): Promise<Row[]> {
	await control(sandbox.origin, 'DELETE', '/requests');
	const batchedMs = await timed(() =>
		createContacts(sandbox.baseUrl, CONTACTS, 0, { operation: 'createMany', mode: 'async' }),
	);
	const batchedCalls = await apiRequestCount(sandbox.origin, '/contact/create');
	await control(sandbox.origin, 'DELETE', '/requests');
	const singleMs = await timed(() =>
		createContacts(sandbox.baseUrl, CONTACTS, CONTACTS, { operation: 'create' }),
	);
	const singleCalls = await apiRequestCount(sandbox.origin, '/contact/create');
	return [
		{
			what: `Create Many (async), ${CONTACTS} contacts: API calls`,
			figure: String(batchedCalls),
			target: '≤ 10',
			met: batchedCalls <= 10,
		},
		{
			what: `Create Many (async), ${CONTACTS} contacts: wall time`,
			figure: `${(batchedMs / 1000).toFixed(2)} s`,
			target: '',
		},
		{
			what: `Create one per item, ${CONTACTS} contacts: API calls / wall time`,
			figure: `${singleCalls} / ${(singleMs / 1000).toFixed(2)} s`,
			target: '',
		},
		{ what: 'Speed-up of batching', figure: `${(singleMs / batchedMs).toFixed(1)}×`, target: '' },
	];
}

/** 1,000 items at 1,000/s always; 10,000 at 80/s (several minutes) with --broadcast-10k; `--only broadcast` skips the rest. */
const BROADCASTS = [
	{ count: 1000, perSecond: 1000 },
	...(process.argv.includes('--broadcast-10k') ? [{ count: 10_000, perSecond: 80 }] : []),
];
const BROADCAST_FIRST_PHONE = 966503000000;

async function broadcast(sandbox: { origin: string; baseUrl: string }): Promise<Row[]> {
	const rows: Row[] = [];
	const call = (method: string, route: string, body?: unknown) =>
		control(sandbox.origin, method, route, body);
	const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
	const growth = (figures: BroadcastFigures) =>
		Math.max(0, figures.peakBytes - figures.baselineBytes);
	for (const { count, perSecond } of BROADCASTS) {
		await call('POST', '/limits', {
			accountPerSecond: perSecond,
			recipientIntervalSeconds: 6,
			retryAfter: 'sometimes',
		});
		const run = (workload: BroadcastWorkload) =>
			measureBroadcast(sandbox, call, workload, count, BROADCAST_FIRST_PHONE);
		const floorMs = (count / perSecond) * 1000;
		const azeer = await run('azeer');
		const ratio = azeer.milliseconds / floorMs;
		const what = `Broadcast ${count} Send Template at ${perSecond}/s (+ 1 per 6 s per number)`;
		rows.push(
			{
				what: `${what}, Azeer node: wall / floor ${seconds(floorMs)}`,
				figure: `${seconds(azeer.milliseconds)} = ${ratio.toFixed(2)}×`,
				target: '≤ 1.05×',
				met: ratio <= 1.05,
			},
			{
				what: '  failed / recipients messaged twice',
				figure: `${azeer.failed} / ${azeer.doubled}`,
				target: '0 / 0',
				met: azeer.failed === 0 && azeer.doubled === 0,
			},
			{
				what: '  peak RSS growth',
				figure: mb(growth(azeer)),
				target: '≤ 50 MB',
				met: growth(azeer) <= 50 * 1024 * 1024,
			},
			{
				what: '  429s the sandbox answered (retried by the pacer)',
				figure: String(azeer.throttled),
				target: '',
			},
		);
		for (const [workload, label] of [
			['unpaced', 'unpaced declarative node (all at once)'],
			['http', 'n8n HTTP Request node'],
		] as const) {
			const other = await run(workload);
			rows.push({
				what: `  same, ${label}: sent / failed / twice, wall, RSS`,
				figure: `${other.messaged} / ${other.failed} / ${other.doubled}, ${seconds(other.milliseconds)}, ${mb(growth(other))}`,
				target: '',
			});
		}
	}
	await call('POST', '/limits', { accountPerSecond: 0, recipientIntervalSeconds: 0 });
	return rows;
}

const SANDBOX_MESSAGES = 100_000;
const SANDBOX_TIME_LIMIT_MS = 240_000;

/** `--sandbox-root DIR` measures the sandbox of another checkout (e.g. the code before a change). */
async function sandboxPersistence(): Promise<Row[]> {
	const rootArgument = argument('--sandbox-root');
	const root = rootArgument !== undefined ? path.resolve(rootArgument) : ROOT;
	const load = os.loadavg()[0].toFixed(2);
	const figures = await measureSandbox(root, SANDBOX_MESSAGES, SANDBOX_TIME_LIMIT_MS);
	const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
	const overall = figures.stored / (figures.fillMs / 1000);
	const slowest = figures.windowRates.length ? Math.min(...figures.windowRates) : 0;
	const filled = figures.stored >= SANDBOX_MESSAGES && figures.failures === 0;
	return [
		{
			what: `Sandbox as in npm start (--state, statuses on) but --no-limits${root === ROOT ? '' : ` [${root}]`}, load ${load}: template sends to new numbers, 32 at a time, until ${SANDBOX_MESSAGES} stored or ${seconds(SANDBOX_TIME_LIMIT_MS)}`,
			figure: `${figures.stored} stored in ${seconds(figures.fillMs)}, ${figures.failures} failed`,
			target: `${SANDBOX_MESSAGES}`,
			met: filled,
		},
		{
			what: '  sends/s: whole fill, and the slowest 10,000 in a row',
			figure: `${Math.round(overall)} /s, ${figures.windowRates.length ? `${Math.round(slowest)} /s` : 'no whole 10,000'}`,
			target: '≥ 1000 /s',
			met: filled && slowest >= 1000,
		},
		{
			what: '  sends/s of each 10,000 in turn',
			figure: figures.windowRates.map((rate) => Math.round(rate)).join(' '),
			target: '',
		},
		{
			what: '  CPU time of the sandbox process per send (sends/s one whole core would allow)',
			figure: `${Math.round(figures.cpuMicrosPerSend)} µs (${Math.round(1e6 / figures.cpuMicrosPerSend)} /s)`,
			target: '',
		},
		{ what: '  peak RSS of the sandbox process', figure: mb(figures.peakRssBytes), target: '' },
		{
			what: '  clean stop (SIGTERM until exit), then the state on disk',
			figure: `${seconds(figures.stopMs)}, ${mb(figures.diskBytes)}`,
			target: '',
		},
		{
			what: '  restart from that state until it answers (with no state file)',
			figure: `${seconds(figures.restartMs)} (${seconds(figures.emptyStartMs)})`,
			target: '',
		},
		{
			what: '  the restarted sandbox continued at message id stored + 1',
			figure: figures.reloadedAll ? 'yes' : 'no',
			target: 'yes',
			met: figures.reloadedAll,
		},
	];
}

async function trigger(): Promise<Row[]> {
	const result = await measureTriggerThroughput(DELIVERIES);
	if (result.started !== result.deliveries)
		throw new Error(`trigger started ${result.started} of ${result.deliveries}`);
	return [
		{
			what: `Trigger webhook(): verify + dedup + item, ${DELIVERIES} signed deliveries`,
			figure: `${Math.round(result.perSecond)} /s`,
			target: '≥ 1000 /s',
			met: result.perSecond >= 1000,
		},
	];
}

async function intake(): Promise<Row[]> {
	const figures = await measureIntake();
	const show = (bursts: BurstFigure[]) =>
		bursts
			.map((burst) => `${burst.seconds.toFixed(1)} s (p50 ${burst.p50Seconds.toFixed(1)})`)
			.join(', ');
	const statuses = (bursts: BurstFigure[]) =>
		bursts
			.map(
				(burst) =>
					`${Object.entries(burst.statuses)
						.map(([status, n]) => `${n}×${status}`)
						.join('+')} (${burst.started} started)`,
			)
			.join(', ');
	const medianOf = (bursts: BurstFigure[]) => median(bursts.map((burst) => burst.seconds));
	const ratio = medianOf(figures.azeer) / medianOf(figures.webhook);
	const ratioToCredentialed = medianOf(figures.azeer) / medianOf(figures.webhookWithCredential);
	return [
		{
			what: `Real n8n, ${BURST} deliveries at once: Azeer Trigger → NoOp, all answered`,
			figure: show(figures.azeer),
			target: '',
		},
		{
			what: `Same burst: n8n Webhook → NoOp, all answered`,
			figure: show(figures.webhook),
			target: '',
		},
		{
			what: `Same burst: n8n Webhook with Header Auth (a credential) → NoOp, all answered`,
			figure: show(figures.webhookWithCredential),
			target: '',
		},
		{
			what: 'Azeer Trigger / Webhook node, median burst',
			figure: `${ratio.toFixed(2)}×`,
			target: '≤ 1.15×',
			met: ratio <= 1.15,
		},
		{
			what: 'Azeer Trigger / Webhook node with Header Auth, median burst',
			figure: `${ratioToCredentialed.toFixed(2)}×`,
			target: '',
		},
		{
			what: `Repeat of an Azeer burst (verified, no execution)`,
			figure: show(figures.azeerRepeats),
			target: '',
		},
		{ what: 'Answers, Azeer Trigger bursts', figure: statuses(figures.azeer), target: '' },
		{ what: 'Answers, Webhook node bursts', figure: statuses(figures.webhook), target: '' },
		{
			what: 'Answers, Webhook node with Header Auth bursts',
			figure: statuses(figures.webhookWithCredential),
			target: '',
		},
		{ what: 'Answers, repeat burst', figure: statuses(figures.azeerRepeats), target: '' },
	];
}

/**
 * The freeze section's runs: Send Template and Send Text against n8n's HTTP Request node with the
 * same bodies, 1,000 and 10,000 items at the 1,000/s tier; Contact Get against an HTTP Request GET
 * of the same endpoint, 1,000 items (`--freeze-reads N` changes its size, 0 skips it); 1,000 Send
 * Template at 80/s (wall against the rate floor); and a 10,000-recipient broadcast at 80/s with
 * the echo bot answering customers (`--freeze-echo N` changes its size, 0 skips it).
 * `--freeze-items 1000` narrows the sizes; `--freeze-100k` adds 100,000 Send Template items at
 * 1,000/s (each run bounded in time); `--freeze-only azeerTemplate,httpTemplate` keeps only the
 * runs of the named workloads.
 */
function freezeRuns(): FreezeRun[] {
	const sizes = (argument('--freeze-items') ?? '1000,10000').split(',').map(Number);
	const echoItems = Number(argument('--freeze-echo') ?? 10_000);
	const readItems = Number(argument('--freeze-reads') ?? 1000);
	const only = argument('--freeze-only')?.split(',');
	const pair = (
		body: 'Template' | 'Text' | 'ContactGet' | 'CreateMany',
		items: number,
		perSecond: number,
	): FreezeRun[] => [
		{ workload: `azeer${body}`, items, perSecond },
		{ workload: `http${body}`, items, perSecond },
	];
	const atFullTier = (items: number) => [
		...pair('Template', items, 1000),
		...pair('Text', items, 1000),
		...pair('CreateMany', items, 1000),
	];
	// The smallest size first, then the 80/s runs, then the larger sizes: a run cut short still
	// has every kind of figure.
	const runs: FreezeRun[] = [
		...atFullTier(sizes[0]),
		...(readItems > 0 ? pair('ContactGet', readItems, 1000) : []),
		...pair('Template', 1000, 80),
		...(echoItems > 0
			? [
					{
						workload: 'azeerTemplate' as FreezeWorkload,
						items: echoItems,
						perSecond: 80,
						echo: true,
					},
				]
			: []),
		...sizes.slice(1).flatMap(atFullTier),
		...(process.argv.includes('--freeze-100k') ? pair('Template', 100_000, 1000) : []),
	];
	return only ? runs.filter((run) => only.includes(run.workload)) : runs;
}

/**
 * `--freeze-profile`: each measured n8n runs under V8's CPU profiler, into a directory kept.
 * `--freeze-alloc-profile`: each measured n8n runs under V8's sampling heap profiler, into a
 * directory kept (bench/allocationProfile.cts reads the profiles).
 * `--freeze-gc-trace`: each measured n8n logs its garbage collections and event-loop stalls, into
 * a directory kept with its log (bench/gcTrace.cjs).
 * `--freeze-heap-mb N`: each measured n8n runs with `--max-old-space-size=N`.
 * `--freeze-memory-mb N`: each measured n8n runs in a memory cgroup of N MB (needs root), as on a
 * machine or in a container of that size.
 * `--freeze-on-error regular`: the send nodes' On Error is "Continue" instead of "Continue (using
 * error output)".
 * `--freeze-queue`: n8n in queue mode (Redis, PostgreSQL): the main process is polled, a worker
 * runs the workflow.
 */
function freezeOptions(): FreezeOptions {
	const keptDirectory = (flag: string, name: string, what: string) => {
		if (!process.argv.includes(flag)) return undefined;
		const dir = mkdtempSync(path.join(os.tmpdir(), `azeer-freeze-${name}-`));
		log(`freeze: ${what} go to ${dir}`);
		return dir;
	};
	return {
		heapMb: Number(argument('--freeze-heap-mb') ?? 0) || undefined,
		memoryMb: Number(argument('--freeze-memory-mb') ?? 0) || undefined,
		onError:
			argument('--freeze-on-error') === 'regular' ? 'continueRegularOutput' : 'continueErrorOutput',
		allocationDir: keptDirectory('--freeze-alloc-profile', 'allocations', 'allocation profiles'),
		gcTraceDir: keptDirectory('--freeze-gc-trace', 'gc', 'GC traces'),
		profileDir: keptDirectory('--freeze-profile', 'profile', 'CPU profiles'),
		queue: process.argv.includes('--freeze-queue'),
	};
}

const FREEZE_GAP_TARGET_MS = 200;
const FREEZE_RSS_AIM_BYTES = 200 * 1024 * 1024;

const FREEZE_LABELS: Partial<Record<FreezeWorkload, { body: string; http: FreezeWorkload }>> = {
	azeerTemplate: { body: 'Send Template', http: 'httpTemplate' },
	azeerText: { body: 'Send Text', http: 'httpText' },
	azeerContactGet: { body: 'Contact Get', http: 'httpContactGet' },
	azeerCreateMany: { body: 'Create Many (async)', http: 'httpCreateMany' },
};

function freezeRows(figures: FreezeFigures[], options: FreezeOptions = {}): Row[] {
	const seconds = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : '—');
	const growth = (figure: FreezeFigures) =>
		Math.max(0, figure.rssPeakBytes - figure.rssBaselineBytes);
	const cpuPerItem = (figure: FreezeFigures) => figure.mainCpuMs / figure.run.items;
	const find = (workload: FreezeWorkload, run: FreezeRun) =>
		figures.find(
			(figure) =>
				figure.run.workload === workload &&
				figure.run.items === run.items &&
				figure.run.perSecond === run.perSecond &&
				!figure.run.echo,
		);
	const rows: Row[] = [];
	const measured = options.queue ? 'worker' : 'main process';
	const delivery = (figure: FreezeFigures) =>
		`${figure.messaged}/${figure.failed}/${figure.doubled}${figure.finished ? '' : figure.n8nExited ? ' (n8n EXITED during the run: see its log)' : ' (NOT FINISHED in its time bound)'}`;
	for (const azeer of figures.filter((figure) => figure.run.workload.startsWith('azeer'))) {
		const { items, perSecond, echo } = azeer.run;
		const labels = FREEZE_LABELS[azeer.run.workload]!;
		const read = isRead(azeer.run.workload);
		const create = isCreate(azeer.run.workload);
		const floorMs = (items / perSecond) * 1000;
		const http = echo ? undefined : find(labels.http, azeer.run);
		const pairOf = (show: (figure: FreezeFigures) => string) =>
			http ? `${show(azeer)} / ${show(http)}` : show(azeer);
		const versus = http ? ', Azeer / HTTP Request' : ', Azeer';
		// Sends and Create Many aim at 0.2 s; other operations at no worse than the HTTP Request node,
		// to the poller's resolution: a gap is known to one poll interval.
		const gapTarget = read
			? {
					target: http ? `≤ HTTP + ${FREEZE_POLL_MS / 1000} s` : '',
					met: http ? azeer.nodeGapMs <= http.nodeGapMs + FREEZE_POLL_MS : undefined,
				}
			: {
					target: `≤ ${FREEZE_GAP_TARGET_MS / 1000} s`,
					met: azeer.nodeGapMs <= FREEZE_GAP_TARGET_MS,
				};
		rows.push(
			{
				what: `Real n8n: ${items} × ${labels.body} at ${perSecond}/s${echo ? ' with the echo bot' : ''}${options.heapMb ? `, n8n's heap capped at ${options.heapMb} MB` : ''}${options.memoryMb ? `, n8n in ${options.memoryMb} MB of memory` : ''}${options.onError === 'continueRegularOutput' ? ', On Error → Continue' : ''}${options.queue ? ', queue mode (a worker runs it, the main process is polled)' : ''}: longest time without a /healthz answer while the node ran${versus}`,
				figure: pairOf((figure) => seconds(figure.nodeGapMs)),
				...gapTarget,
			},
			{
				what: `  longest whole /healthz gap that overlapped the node's run${versus}`,
				figure: pairOf((figure) => seconds(figure.nodeOverlappingGapMs)),
				target: '',
			},
			{
				what: `  longest /healthz gap of the whole run${versus}`,
				figure: pairOf((figure) => seconds(figure.longestGapMs)),
				target: '',
			},
			{
				what: `  ... which overlapped, Azeer`,
				figure: azeer.longestGapDuring,
				target: '',
			},
			...(http
				? [
						{
							what: `  ... which overlapped, HTTP Request`,
							figure: http.longestGapDuring,
							target: '',
						},
					]
				: []),
			...(options.queue
				? [
						{
							what: `  the worker's own /healthz: longest time without an answer while the node ran${versus}`,
							figure: pairOf((figure) => seconds(figure.workerNodeGapMs ?? NaN)),
							target: '',
						},
					]
				: []),
			{
				what: `  CPU per item, n8n ${measured}${versus}`,
				figure: `${pairOf((figure) => `${cpuPerItem(figure).toFixed(2)} ms`)}${http ? ` = ${(cpuPerItem(azeer) / cpuPerItem(http)).toFixed(2)}×` : ''}`,
				target: http && !read && !create ? '≤ 1.00×' : '',
				met: http && !read && !create ? cpuPerItem(azeer) <= cpuPerItem(http) : undefined,
			},
		);
		const wallTarget = read
			? { target: '', met: undefined }
			: perSecond >= 1000 && http
				? { target: '≤ HTTP', met: azeer.nodeMs <= http.nodeMs }
				: perSecond < 1000
					? { target: '≤ 1.05×', met: azeer.nodeMs <= 1.05 * floorMs }
					: { target: '', met: undefined };
		rows.push(
			{
				what: `  wall of the node${versus} (floor ${seconds(floorMs)})`,
				figure: `${pairOf((figure) => seconds(figure.nodeMs))} = ${(azeer.nodeMs / floorMs).toFixed(2)}× floor`,
				...wallTarget,
			},
			{
				what: `  peak RSS growth, n8n ${measured}${versus}`,
				figure: pairOf((figure) => mb(growth(figure))),
				...(read
					? { target: '' }
					: {
							target: http ? '≤ HTTP, ≤ 200 MB' : '≤ 200 MB',
							met:
								growth(azeer) <= FREEZE_RSS_AIM_BYTES && (!http || growth(azeer) <= growth(http)),
						}),
			},
			{
				what: `  ${read ? 'contacts read/not read/read twice' : create ? 'contacts created/not created/twice' : 'sent/failed/twice'}${versus}`,
				figure: pairOf(delivery),
				target: `${items}/0/0`,
				met: azeer.messaged === items && azeer.doubled === 0,
			},
			{
				what: `  execution wall; task runner CPU (Code node); 429s${versus}`,
				figure: pairOf(
					(figure) =>
						`${seconds(figure.executionMs)}; ${seconds(figure.runnerCpuMs)}; ${figure.throttled}`,
				),
				target: '',
			},
			{
				what: `  bench poller's own longest timer delay${versus}`,
				figure: pairOf((figure) => seconds(figure.pollerLagMs)),
				target: '',
			},
		);
		for (const [who, figure] of [
			['Azeer', azeer],
			['HTTP Request', http],
		] as const)
			if (figure?.profile)
				rows.push({
					what: `  CPU profile of n8n (main process), ${who}`,
					figure: figure.profile.cpuProfile,
					target: '',
				});
		if (azeer.echo) {
			const { sent, answered, p50Ms, p95Ms } = azeer.echo;
			rows.push(
				{
					what: `  echo bot: inbound messages answered within 60 s / sent (1 per s)`,
					figure: `${answered} / ${sent}`,
					target: 'all',
					met: answered === sent,
				},
				{
					what: '  echo bot: reply latency p50 / p95',
					figure: `${seconds(p50Ms)} / ${Number.isFinite(p95Ms) ? seconds(p95Ms) : '> 60 s'}`,
					target: 'p95 ≤ 2 s',
					met: p95Ms <= 2000,
				},
			);
		}
	}
	return rows;
}

async function freeze(): Promise<Row[]> {
	const options = freezeOptions();
	return freezeRows(await measureFreeze(freezeRuns(), options), options);
}

async function packageFigures(): Promise<Row[]> {
	const work = mkdtempSync(path.join(os.tmpdir(), 'azeer-bench-pack-'));
	try {
		execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'ignore' });
		const [packed] = JSON.parse(
			execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
				cwd: ROOT,
				encoding: 'utf8',
			}),
		) as Array<{ filename: string }>;
		const tarball = path.join(work, packed.filename);
		const size = statSync(tarball).size;
		execFileSync('tar', ['xzf', tarball, '-C', work]);
		const packageDir = path.join(work, 'package');
		const loads: number[] = [];
		for (let round = 0; round < 5; round++) {
			// n8n's own loader for installed community packages, on the unpacked tarball.
			const loader = new PackageDirectoryLoader(packageDir);
			loads.push(await timed(() => loader.loadAll()));
			const loaded =
				Object.keys(loader.nodeTypes).length + Object.keys(loader.credentialTypes).length;
			if (loaded !== 3)
				throw new Error(`the loader found ${loaded} nodes and credentials, expected 3`);
		}
		return [
			{
				what: 'Packed tarball size',
				figure: `${(size / 1024).toFixed(1)} kB`,
				target: '≤ 150 kB',
				met: size <= 150 * 1024,
			},
			{
				what: `n8n loader (PackageDirectoryLoader.loadAll), median of 5`,
				figure: `${median(loads).toFixed(1)} ms`,
				target: '',
			},
		];
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

function machineFacts(): string[] {
	const cpus = os.cpus();
	const pkg = (name: string) =>
		(
			JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as {
				version: string;
			}
		).version;
	return [
		`date: ${new Date().toISOString()}`,
		`machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${mb(os.totalmem())} RAM, ${os.platform()} ${os.release()}, load average at the end ${os
			.loadavg()
			.map((load) => load.toFixed(1))
			.join(' ')}`,
		`node ${process.version}, n8n-core ${pkg('n8n-core')}, n8n-workflow ${pkg('n8n-workflow')}`,
		`sandbox in its own process on 127.0.0.1; the measured process runs the engine only`,
	];
}

function print(rows: Row[]): void {
	const width = Math.max(...rows.map((row) => row.what.length));
	const figureWidth = Math.max(...rows.map((row) => row.figure.length));
	const lines = rows.map((row) => {
		const verdict = row.met === undefined ? '' : row.met ? '  met' : '  MISSED';
		return `| ${row.what.padEnd(width)} | ${row.figure.padStart(figureWidth)} | ${row.target.padEnd(9)}${verdict}`;
	});
	process.stdout.write(`${machineFacts().join('\n')}\n\n${lines.join('\n')}\n`);
}

const SECTIONS = [
	'send',
	'memory',
	'batching',
	'broadcast',
	'sandbox',
	'trigger',
	'intake',
	'freeze',
	'package',
] as const;

type Section = (typeof SECTIONS)[number];

/**
 * Which sections run: `npm run bench -- --only intake,package` runs only the named ones (a missing
 * or unknown name stops the bench before anything starts); `--no-n8n` skips those of a real n8n.
 */
function sectionFilter(): (section: Section) => boolean {
	const noN8n = process.argv.includes('--no-n8n');
	if (!process.argv.includes('--only'))
		return (section) => !noN8n || !['intake', 'freeze'].includes(section);
	const names = (argument('--only') ?? '').split(',').filter(Boolean);
	const unknown = names.filter((name) => !(SECTIONS as readonly string[]).includes(name));
	if (!names.length || unknown.length)
		throw new Error(
			`--only takes a comma-separated list of sections (${SECTIONS.join(', ')})${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`,
		);
	return (section) => names.includes(section);
}

async function main(): Promise<void> {
	const wanted = sectionFilter();
	stopEverythingOnSignals();
	const rows: Row[] = [];
	if ((['send', 'memory', 'batching', 'broadcast'] as const).some(wanted)) {
		const sandbox = await startSandboxProcess();
		try {
			await freshSandbox(sandbox);
			if (wanted('send')) {
				log('send overhead...');
				rows.push(...(await sendOverhead(sandbox)));
			}
			if (wanted('memory')) {
				log('memory...');
				rows.push(...(await memory(sandbox)));
			}
			if (wanted('batching')) {
				log('batching...');
				rows.push(...(await batching(sandbox)));
			}
			if (wanted('broadcast')) {
				log('broadcast...');
				rows.push(...(await broadcast(sandbox)));
			}
		} finally {
			await sandbox.service.stop();
		}
	}
	if (wanted('sandbox')) {
		log('sandbox with a state file...');
		rows.push(...(await sandboxPersistence()));
	}
	if (wanted('trigger')) {
		log('trigger throughput...');
		rows.push(...(await trigger()));
	}
	if (wanted('intake')) {
		log('intake in a real n8n...');
		rows.push(...(await intake()));
	}
	if (wanted('freeze')) {
		log('freeze: a real n8n answering while the send nodes run...');
		rows.push(...(await freeze()));
	}
	if (wanted('package')) {
		log('package...');
		rows.push(...(await packageFigures()));
	}
	print(rows);
}

main().then(
	async () => {
		await shutdownAll();
		process.exit(0);
	},
	async (error: Error) => {
		process.stderr.write(`${error.stack}\n`);
		await shutdownAll();
		process.exit(1);
	},
);
