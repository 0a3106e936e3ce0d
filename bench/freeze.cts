/**
 * Benchmark section "Freeze": whether a real n8n keeps answering while a send node works through
 * many items. n8n 2.40.7 (regular mode with SQLite, or queue mode with one worker) with the packed
 * package, the sandbox in its own process, everything on 127.0.0.1. Each workload is a Webhook →
 * Code (N contacts) → send node workflow, run once in a freshly started n8n after a 20-item warm-up
 * of the same workflow. During the run: GET /healthz every 100 ms (one request at a time; a gap is
 * the time between two answers, placed against the nodes' run times n8n recorded), CPU time and RSS
 * of n8n's processes from /proc. The echo run adds the echo-bot example on the same n8n and
 * customers writing in at a steady rate during a broadcast. With a profile directory, each measured
 * n8n runs under V8's CPU profiler (`--cpu-prof`), and a JSON file beside its profile maps the
 * profile's clock to the run.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

import { parse as parseFlatted } from 'flatted';

import {
	startN8n,
	type N8nInstance,
	type Workflow,
	type WorkflowNode,
} from '../scripts/lib/n8n.cjs';
import { freePort, log, onShutdown, waitFor } from '../scripts/lib/process.cjs';
import { queueModeEnv, startPostgres, startRedis } from '../scripts/lib/queue.cjs';
import {
	CREDENTIAL_NAME,
	CREDENTIAL_TYPE,
	loadExample,
	prepareN8n,
	stepTimer,
	type ExampleTarget,
} from '../scripts/lib/stack.cjs';
import { processGroup } from '../e2e/listening.cjs';
import { describeStretch, overlapMs, type NodeWindow, type ProfileClock } from './freezeClock.cjs';
import { webhookNode } from './intake.cjs';
import { control, startSandboxProcess, type SandboxProcess } from './sandboxProcess.cjs';
import { v8Collections } from './v8GcTrace.cjs';

export type FreezeWorkload =
	| 'azeerTemplate'
	| 'azeerText'
	| 'azeerContactGet'
	| 'azeerCreateMany'
	| 'httpTemplate'
	| 'httpText'
	| 'httpContactGet'
	| 'httpCreateMany';

/** Reads look up existing contacts: they send nothing. */
export const isRead = (workload: FreezeWorkload) => workload.endsWith('ContactGet');
/** Contact writes: one contact per item, counted from the create requests the sandbox answered. */
export const isCreate = (workload: FreezeWorkload) => workload.endsWith('CreateMany');

export interface FreezeRun {
	workload: FreezeWorkload;
	items: number;
	/** The sandbox's account rate for the run (its tier); one message per 6 s per number always. */
	perSecond: number;
	/** Customers write in during the run, answered by the echo-bot example on the same n8n. */
	echo?: boolean;
}

export interface EchoFigures {
	/** Inbound messages injected during the broadcast, one every ECHO_INTERVAL_MS. */
	sent: number;
	/** Of those, answered by the echo bot within ECHO_WINDOW_MS. */
	answered: number;
	/** Reply latency (sandbox clock: inbound stored → reply stored); Infinity when too few answered. */
	p50Ms: number;
	p95Ms: number;
}

export interface FreezeFigures {
	run: FreezeRun;
	/** False when the run hit its time bound (then n8n was stopped with the execution running). */
	finished: boolean;
	/** n8n's main process ended during the run (its log says why, e.g. out of memory). */
	n8nExited: boolean;
	/**
	 * The longest time between two /healthz answers over the whole run, and what n8n was doing
	 * then (the two longest parts).
	 */
	longestGapMs: number;
	longestGapDuring: string;
	/**
	 * The longest time n8n gave no answer within the send node's run: each gap cut to the node's
	 * start and end (NaN without its run data). What n8n does before the node (the Code node's items
	 * coming back) or after it (saving the execution) is not the node's.
	 */
	nodeGapMs: number;
	/** The longest whole gap that overlaps the send node's run, with its parts before and after it. */
	nodeOverlappingGapMs: number;
	/** The longest delay of the poller's own timer (the bench process on a loaded machine). */
	pollerLagMs: number;
	/** utime + stime of the n8n process that ran the execution (main; in queue mode the worker). */
	mainCpuMs: number;
	/** utime + stime of the other processes of n8n's process group (its task runner: the Code node). */
	runnerCpuMs: number;
	/** From the send node's start to its end, as n8n recorded it. */
	nodeMs: number;
	/** The execution's startedAt → stoppedAt. */
	executionMs: number;
	/** VmRSS of that process just before the run, and its peak during the run. */
	rssBaselineBytes: number;
	rssPeakBytes: number;
	/**
	 * Distinct recipients messaged (for a read: contacts read); of them, those messaged (read) more
	 * than once; items without a message (a read).
	 */
	messaged: number;
	doubled: number;
	failed: number;
	/** 429s the sandbox answered during the run. */
	throttled: number;
	echo?: EchoFigures;
	/** With a profile directory: n8n's main-process CPU profile of this run and its clock file. */
	profile?: { cpuProfile: string; clock: string };
	/** With an allocation directory: n8n's main-process allocation profile of this run. */
	allocationProfile?: string;
	/** With a GC trace directory: what n8n's collector did while the send node ran. */
	gcTrace?: GcTraceSummary;
	/** Queue mode: the longest time the worker that ran the node gave no /healthz answer within the node's run. */
	workerNodeGapMs?: number;
}

/** Read from bench/gcTrace.cjs's file, over the send node's run. */
export interface GcTraceSummary {
	/** `<run>.gc.jsonl`, and `<run>.n8n.log` with V8's line per collection. */
	file: string;
	n8nLog: string;
	majorGcs: number;
	/** Stalls of the event loop of at least LONG_STALL_MS, and those in which a major GC began. */
	longStalls: number;
	longStallsWithMajorGc: number;
	longestStallMs: number;
	/** From V8's lines in n8n's log, over the send node's run: what young collections promoted. */
	promotedMbPerSecond: number;
	/** V8's major collections over the send node's run. */
	majorCollections: MajorCollection[];
}

export interface MajorCollection {
	/** Incremental marking on n8n's main thread, and from its start to its end. */
	markingMainThreadMs: number;
	markingWallMs: number;
	/** The pause that finished the collection. */
	pauseMs: number;
	heapBeforeMb: number;
	heapAfterMb: number;
}

export interface FreezeOptions {
	/** Runs each measured n8n under V8's CPU profiler, writing its profile here. */
	profileDir?: string;
	/** Runs each measured n8n under V8's sampling heap profiler (bench/allocationSampler.cjs). */
	allocationDir?: string;
	/** Traces each measured n8n's garbage collections and event-loop stalls (bench/gcTrace.cjs). */
	gcTraceDir?: string;
	/** Caps each measured n8n's V8 old space (`--max-old-space-size`, MB), the knob a user has. */
	heapMb?: number;
	/**
	 * Starts each measured n8n in a memory cgroup of this many MB, as on a machine or in a
	 * container of that size: Node then sizes its heap from that limit, with no option given.
	 */
	memoryMb?: number;
	/**
	 * The send node's Settings → On Error: "Continue (using error output)" by default, as the
	 * Template broadcast example sets it, or "Continue" (failed items on the one output).
	 */
	onError?: 'continueErrorOutput' | 'continueRegularOutput';
	/**
	 * n8n's queue mode (Redis, PostgreSQL): the main process takes the webhook and answers the
	 * watcher, a worker runs the execution. CPU, RSS and the traces are the worker's; the worker's
	 * own /healthz is watched too.
	 */
	queue?: boolean;
}

const WARM_UP_ITEMS = 20;
const WARM_UP_PHONE = 966509000000;
const FIRST_PHONE = 966503000000;
const ECHO_PHONE = 966507000000;
const ECHO_INTERVAL_MS = 1000;
const ECHO_WINDOW_MS = 60_000;
/** How often the watcher asks /healthz: the resolution of every gap. */
export const FREEZE_POLL_MS = 100;
const SEND_NODE = 'Send';
const TEXT_EXPRESSION =
	"'Hello ' + $json.name + ', your order ' + $json.orderId + ' is ' + $json.status";
const TEMPLATE_EXPRESSION =
	"{ template_id: 'order_update', language: 'en', argument: { HEADER: [$json.orderId], BODY: [$json.name, $json.status], BUTTONS: [$json.orderId] } }";
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** The send node of each workload; `credential` is the Azeer credential n8n stores. */
function sendNode(
	workload: FreezeWorkload,
	target: ExampleTarget,
	baseUrl: string,
	perSecond: number,
	onError: FreezeOptions['onError'] = 'continueErrorOutput',
): WorkflowNode {
	const common = {
		name: SEND_NODE,
		position: [440, 0] as [number, number],
		onError,
		credentials: { [CREDENTIAL_TYPE]: target.azeer },
	};
	if (workload === 'azeerTemplate') {
		// The template-broadcast example's own Send Template node.
		const example = loadExample('templateBroadcast', target).nodes.find(
			(node) => node.type === 'n8n-nodes-azeer.azeer',
		);
		if (!example) throw new Error('the template-broadcast example has no Azeer node');
		return { ...example, ...common, id: undefined };
	}
	if (workload === 'azeerContactGet')
		return {
			...common,
			type: 'n8n-nodes-azeer.azeer',
			typeVersion: 1,
			parameters: { resource: 'contact', operation: 'get', phone: '={{ $json.phone }}' },
		};
	if (workload === 'azeerCreateMany')
		return {
			...common,
			type: 'n8n-nodes-azeer.azeer',
			typeVersion: 1,
			parameters: {
				resource: 'contact',
				operation: 'createMany',
				mode: 'async',
				phone: '={{ $json.phone }}',
				contactName: '={{ $json.name }}',
				countryCode: 'SA',
			},
		};
	if (workload === 'azeerText')
		return {
			...common,
			type: 'n8n-nodes-azeer.azeer',
			typeVersion: 1,
			parameters: {
				resource: 'message',
				operation: 'sendText',
				to: '={{ $json.phone }}',
				text: `={{ ${TEXT_EXPRESSION} }}`,
				sendOptions: { createContact: true },
			},
		};
	// n8n's HTTP Request node with the Azeer credential (its Bearer header), batched at the tier's
	// rate the way a user has to set it for every message to go out: one second of sends per batch.
	const http = {
		...common,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
	};
	const httpOptions = {
		authentication: 'predefinedCredentialType',
		nodeCredentialType: CREDENTIAL_TYPE,
		options: { batching: { batch: { batchSize: perSecond, batchInterval: 1000 } } },
	};
	if (workload === 'httpContactGet')
		return {
			...http,
			parameters: { method: 'GET', url: `=${baseUrl}/contact/{{ $json.phone }}`, ...httpOptions },
		};
	// Without an Aggregate node, the HTTP Request node sends one contact per item.
	if (workload === 'httpCreateMany')
		return {
			...http,
			parameters: {
				method: 'POST',
				url: `${baseUrl}/contact/create`,
				sendBody: true,
				contentType: 'json',
				specifyBody: 'json',
				jsonBody:
					"={{ JSON.stringify({ mode: 'async', contacts: [{ platform_id: String($json.phone), platform: 'whatsapp', profile_name: $json.name, profile_display_name: $json.name, country_code: 'SA' }] }) }}",
				...httpOptions,
			},
		};
	const content =
		workload === 'httpTemplate'
			? `type: 'template', template: ${TEMPLATE_EXPRESSION}`
			: `type: 'text', text: { body: ${TEXT_EXPRESSION} }`;
	return {
		...http,
		parameters: {
			method: 'POST',
			url: `${baseUrl}/message/send?create=true`,
			sendBody: true,
			contentType: 'json',
			specifyBody: 'json',
			jsonBody: `={{ JSON.stringify({ to: $json.phone, recipient_type: 'individual', ${content} }) }}`,
			...httpOptions,
		},
	};
}

/** Webhook (POST {count, firstPhone}, answered at once) → Code (the contacts) → the send node. */
function freezeWorkflow(name: string, webhookPath: string, send: WorkflowNode): Workflow {
	return {
		name,
		nodes: [
			webhookNode(webhookPath),
			{
				name: 'Contacts',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: {
					jsCode:
						"const { count, firstPhone } = $input.first().json.body;\nreturn Array.from({ length: count }, (_, i) => ({ json: { phone: String(firstPhone + i), name: 'Customer ' + i, orderId: 'B-' + i, status: 'shipped' } }));",
				},
			},
			send,
		],
		connections: {
			Webhook: { main: [[{ node: 'Contacts', type: 'main', index: 0 }]] },
			Contacts: { main: [[{ node: SEND_NODE, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** utime + stime in ms of each process of n8n's process group. */
function cpuOfGroup(groupId: number): Map<number, number> {
	const cpu = new Map<number, number>();
	for (const pid of processGroup(groupId)) {
		try {
			const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
			// Fields after "pid (comm) ": state is field 3, utime 14 and stime 15.
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			cpu.set(pid, ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS) * 1000);
		} catch {
			// ended meanwhile
		}
	}
	return cpu;
}

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
	return match ? Number(match[1]) * 1024 : 0;
}

/** One time between two /healthz answers: its length (monotonic) and where it lies (wall clock). */
interface Gap {
	ms: number;
	fromMs: number;
	toMs: number;
}

/** The longest part of any gap that lies within the node's run. */
function longestWithin(gaps: Gap[], node: NodeWindow): number {
	return Math.max(
		0,
		...gaps.map((gap) => overlapMs(gap.fromMs, gap.toMs, node.startMs, node.endMs)),
	);
}

/**
 * GET /healthz every FREEZE_POLL_MS, one request at a time, and, given a process id, that
 * process's RSS at the same pace.
 */
class Watcher {
	private answers: Array<{ at: number; wallMs: number }> = [];
	private stopped = false;
	private loop: Promise<void> | undefined;
	private sampler: NodeJS.Timeout | undefined;
	pollerLagMs = 0;
	rssPeakBytes = 0;

	constructor(
		private readonly url: string,
		private readonly pid?: number,
	) {}

	private answered(): void {
		this.answers.push({ at: performance.now(), wallMs: Date.now() });
	}

	/** Samples `pid`'s RSS until stop(), after resetting its peak mark. */
	private sampleRss(pid: number): void {
		this.rssPeakBytes = statusField(pid, 'VmRSS');
		try {
			// Resets the kernel's peak-RSS mark (VmHWM), so that it holds this run's peak.
			fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
		} catch {
			// not allowed here: the samples alone give the peak
		}
		this.sampler = setInterval(() => {
			try {
				this.rssPeakBytes = Math.max(this.rssPeakBytes, statusField(pid, 'VmRSS'));
			} catch {
				// n8n stopped
			}
		}, FREEZE_POLL_MS);
	}

	start(): void {
		this.answers = [];
		this.answered();
		if (this.pid !== undefined) this.sampleRss(this.pid);
		this.loop = (async () => {
			while (!this.stopped) {
				const sent = performance.now();
				const answered = await fetch(`${this.url}/healthz`)
					.then(async (response) => (await response.arrayBuffer(), true))
					.catch(() => false);
				if (answered) this.answered();
				const wait = FREEZE_POLL_MS - (performance.now() - sent);
				const due = performance.now() + Math.max(0, wait);
				await sleep(Math.max(0, wait));
				this.pollerLagMs = Math.max(this.pollerLagMs, performance.now() - due);
			}
		})();
	}

	/** Stops polling once the poll in flight is answered; returns every time between two answers. */
	async stop(): Promise<Gap[]> {
		this.stopped = true;
		if (this.sampler) clearInterval(this.sampler);
		await this.loop;
		try {
			if (this.pid !== undefined)
				this.rssPeakBytes = Math.max(this.rssPeakBytes, statusField(this.pid, 'VmHWM'));
		} catch {
			// n8n stopped
		}
		return this.answers.slice(1).map((answer, index) => ({
			ms: answer.at - this.answers[index].at,
			fromMs: this.answers[index].wallMs,
			toMs: answer.wallMs,
		}));
	}
}

/** The CLOCK_MONOTONIC microseconds that V8's CPU profiler stamps its samples with. */
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

interface ExecutionSummary {
	id: string;
	status: string;
	startedAt: string;
	stoppedAt?: string;
}

async function latestExecution(
	n8n: N8nInstance,
	workflowId: string,
): Promise<ExecutionSummary | undefined> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const { results } = await n8n.api.request<{ results: ExecutionSummary[] }>(
		'GET',
		`/executions?filter=${filter}&limit=1`,
	);
	return results[0];
}

/** V8 aborts a process out of memory: it ends by a signal, with no exit code. */
const isRunning = (n8n: N8nInstance) =>
	n8n.service.child.exitCode === null && n8n.service.child.signalCode === null;

/** Starts the workflow through its webhook and resolves when n8n has finished that execution. */
async function runOnce(
	n8n: N8nInstance,
	workflowId: string,
	webhookPath: string,
	count: number,
	firstPhone: number,
	timeoutMs: number,
): Promise<ExecutionSummary | undefined> {
	const before = (await latestExecution(n8n, workflowId))?.id;
	// Until its activation has landed, n8n answers 404 for the workflow's webhook.
	const status = await waitFor(`the webhook of ${webhookPath}`, async () => {
		const response = await fetch(`${n8n.url}/webhook/${webhookPath}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ count, firstPhone }),
		});
		await response.arrayBuffer();
		return response.status === 404 ? undefined : response.status;
	});
	if (status !== 200) throw new Error(`webhook ${webhookPath}: HTTP ${status}`);
	const deadline = Date.now() + timeoutMs;
	// An n8n that dies mid-run (out of memory under a heap cap) never finishes the execution.
	while (Date.now() < deadline && isRunning(n8n)) {
		const latest = await latestExecution(n8n, workflowId).catch(() => undefined);
		if (latest && latest.id !== before && !['new', 'running', 'waiting'].includes(latest.status))
			return latest;
		await sleep(500);
	}
	return undefined;
}

interface NodeRun {
	startTime: number;
	executionTime: number;
}

/** Every node's run in the execution, in the order they started. */
async function nodeWindows(n8n: N8nInstance, executionId: string): Promise<NodeWindow[]> {
	const execution = await n8n.api.request<{ data: string }>('GET', `/executions/${executionId}`);
	const data = parseFlatted(execution.data) as {
		resultData: { runData: Record<string, NodeRun[]> };
	};
	return Object.entries(data.resultData.runData)
		.flatMap(([name, runs]) =>
			runs.map((run) => ({
				name,
				startMs: run.startTime,
				endMs: run.startTime + run.executionTime,
			})),
		)
		.sort((a, b) => a.startMs - b.startMs);
}

type Messages = Array<{
	direction: string;
	to?: string;
	from?: string;
	type: string;
	text: string | null;
	created_at: string;
}>;

/** Opens the 24-hour window of each number (a free-form text needs it), a few at a time. */
async function openWindows(sandbox: SandboxProcess, firstPhone: number, count: number) {
	let next = 0;
	const worker = async () => {
		while (next < count) {
			const phone = String(firstPhone + next++);
			await control(sandbox.origin, 'POST', '/inbound', { from: phone, name: 'Bench', text: 'hi' });
		}
	};
	await Promise.all(Array.from({ length: 16 }, worker));
}

function quantile(sorted: number[], q: number): number {
	return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** Customers writing in during the run: one inbound message every ECHO_INTERVAL_MS until stopped. */
function injectInbound(sandbox: SandboxProcess): { stop: () => Promise<string[]> } {
	const phones: string[] = [];
	let stopped = false;
	const loop = (async () => {
		while (!stopped) {
			const phone = String(ECHO_PHONE + phones.length);
			phones.push(phone);
			await control(sandbox.origin, 'POST', '/inbound', {
				from: phone,
				name: 'Customer',
				text: `reply ${phones.length}`,
			});
			await sleep(ECHO_INTERVAL_MS);
		}
	})();
	return {
		stop: async () => {
			stopped = true;
			await loop;
			return phones;
		},
	};
}

/** Waits until every injected message has its reply or ECHO_WINDOW_MS passed; latencies from the sandbox's clock. */
async function echoFigures(sandbox: SandboxProcess, phones: string[]): Promise<EchoFigures> {
	const wanted = new Set(phones);
	const latencies = async () => {
		const messages = (await control(sandbox.origin, 'GET', '/messages')) as Messages;
		const inboundAt = new Map<string, number>();
		const replyAt = new Map<string, number>();
		for (const message of messages) {
			if (message.direction === 'in' && message.from && wanted.has(message.from))
				inboundAt.set(message.from, Date.parse(message.created_at));
			if (message.direction === 'out' && message.to && wanted.has(message.to))
				replyAt.set(message.to, Date.parse(message.created_at));
		}
		return phones.map((phone) => {
			const latency = (replyAt.get(phone) ?? Infinity) - (inboundAt.get(phone) ?? 0);
			return latency <= ECHO_WINDOW_MS ? latency : Infinity;
		});
	};
	const deadline = Date.now() + ECHO_WINDOW_MS;
	let found = await latencies();
	while (found.some((latency) => latency === Infinity) && Date.now() < deadline) {
		await sleep(2000);
		found = await latencies();
	}
	const sorted = found.sort((a, b) => a - b);
	return {
		sent: phones.length,
		answered: sorted.filter((latency) => latency !== Infinity).length,
		p50Ms: quantile(sorted, 0.5),
		p95Ms: quantile(sorted, 0.95),
	};
}

/** Counts the run's messages per recipient, or for a read its answered lookups per contact. */
async function deliveryCounts(sandbox: SandboxProcess, count: number, workload: FreezeWorkload) {
	const perRecipient = new Map<string, number>();
	const counted = (phone: string) => {
		const number = Number(phone);
		if (number >= FIRST_PHONE && number < FIRST_PHONE + count)
			perRecipient.set(phone, (perRecipient.get(phone) ?? 0) + 1);
	};
	if (isRead(workload) || isCreate(workload)) {
		const requests = (await control(sandbox.origin, 'GET', '/requests')) as Array<{
			method: string;
			path: string;
			status: number | null;
			body: { contacts?: Array<{ platform_id: string }> } | null;
		}>;
		for (const request of requests) {
			if (request.status !== 200) continue;
			const lookup = /\/contact\/(\d+)$/.exec(request.path);
			if (request.method === 'GET' && lookup) counted(lookup[1]);
			if (request.method === 'POST' && request.path.endsWith('/contact/create'))
				for (const contact of request.body?.contacts ?? []) counted(contact.platform_id);
		}
	} else {
		const messages = (await control(sandbox.origin, 'GET', '/messages')) as Messages;
		for (const message of messages) if (message.direction === 'out') counted(message.to!);
	}
	const limits = (await control(sandbox.origin, 'GET', '/limits')) as {
		throttled: { account: number; recipient: number };
	};
	return {
		messaged: perRecipient.size,
		doubled: [...perRecipient.values()].filter((times) => times > 1).length,
		failed: count - perRecipient.size,
		throttled: limits.throttled.account + limits.throttled.recipient,
	};
}

/** Names a file the measured n8n (pid `mainPid`) wrote into `dir` after the run it measured. */
function nameForRun(
	dir: string,
	written: string | undefined,
	named: string,
	what: string,
	mainPid: number,
): string {
	if (!written || !fs.existsSync(path.join(dir, written)))
		throw new Error(`n8n (pid ${mainPid}) wrote no ${what} into ${dir}`);
	const file = path.join(dir, named);
	fs.renameSync(path.join(dir, written), file);
	return file;
}

/** Names n8n's main-process profile after the run and writes its clock file beside it. */
function saveProfile(dir: string, clock: ProfileClock): FreezeFigures['profile'] {
	const written = fs
		.readdirSync(dir)
		.find((name) => name.startsWith('CPU.') && name.includes(`.${clock.mainPid}.`));
	const cpuProfile = nameForRun(
		dir,
		written,
		`${clock.label}.cpuprofile`,
		'CPU profile',
		clock.mainPid,
	);
	const clockFile = path.join(dir, `${clock.label}.clock.json`);
	fs.writeFileSync(clockFile, `${JSON.stringify(clock, null, '\t')}\n`);
	log(`freeze: CPU profile ${cpuProfile} (clock: ${clockFile})`);
	return { cpuProfile, clock: clockFile };
}

/** Names n8n's main-process allocation profile (bench/allocationSampler.cjs) after the run. */
function saveAllocationProfile(dir: string, mainPid: number, label: string): string {
	const named = nameForRun(
		dir,
		`allocations.${mainPid}.heapprofile`,
		`${label}.heapprofile`,
		'allocation profile',
		mainPid,
	);
	log(`freeze: allocation profile ${named} (bench/allocationProfile.cts reads it)`);
	return named;
}

/** A stall this long can show as a /healthz gap over 0.2 s: the polls are 0.1 s apart. */
const LONG_STALL_MS = 100;

/** Names n8n's GC trace (bench/gcTrace.cjs) and log after the run, and sums up the send node's part. */
function saveGcTrace(
	dir: string,
	mainPid: number,
	label: string,
	n8nLog: string,
	send: { startMs: number; endMs: number } | undefined,
): GcTraceSummary {
	const file = nameForRun(dir, `gc.${mainPid}.jsonl`, `${label}.gc.jsonl`, 'GC trace', mainPid);
	const keptLog = path.join(dir, `${label}.n8n.log`);
	fs.copyFileSync(n8nLog, keptLog);
	const lines = fs
		.readFileSync(file, 'utf8')
		.split('\n')
		.filter(Boolean)
		.map(
			(line) =>
				JSON.parse(line) as {
					at: number;
					gc?: string;
					ms?: number;
					stallMs?: number;
					processStartedAt?: number;
				},
		);
	const during = (at: number) => send !== undefined && at >= send.startMs && at <= send.endMs;
	const entries = lines.filter((entry) => during(entry.at));
	const processStartedAt = lines.find((line) => line.processStartedAt)?.processStartedAt ?? NaN;
	const v8Lines = v8Collections(fs.readFileSync(keptLog, 'utf8')).filter(
		(collection) => collection.pid === mainPid && during(processStartedAt + collection.atMs),
	);
	const promotedBytes = v8Lines
		.filter((collection) => collection.kind === 's')
		.reduce((sum, collection) => sum + (collection.figures.promoted ?? 0), 0);
	const megabytes = (bytes = 0) => Math.round(bytes / 1e6);
	const majors = entries.filter((entry) => entry.gc === 'major');
	const longStalls = entries.filter((entry) => (entry.stallMs ?? 0) >= LONG_STALL_MS);
	const summary: GcTraceSummary = {
		file,
		n8nLog: keptLog,
		majorGcs: majors.length,
		longStalls: longStalls.length,
		longStallsWithMajorGc: longStalls.filter((stall) =>
			majors.some((major) => major.at >= stall.at && major.at <= stall.at + stall.stallMs!),
		).length,
		longestStallMs: Math.max(0, ...entries.map((entry) => entry.stallMs ?? 0)),
		promotedMbPerSecond: send
			? Math.round((10 * promotedBytes) / 1e6 / ((send.endMs - send.startMs) / 1000)) / 10
			: NaN,
		majorCollections: v8Lines
			.filter((collection) => collection.kind === 'mc')
			.map(({ figures }) => ({
				markingMainThreadMs: figures.incremental ?? 0,
				markingWallMs: figures.incremental_walltime_duration ?? 0,
				pauseMs: figures.pause ?? 0,
				heapBeforeMb: megabytes(figures.start_object_size),
				heapAfterMb: megabytes(figures.end_object_size),
			})),
	};
	log(
		`freeze: GC trace ${file} (V8's line per collection: ${keptLog}): ${JSON.stringify(summary)}`,
	);
	return summary;
}

/** How long a run may take before it counts as not finished: generous, but bounded. */
function timeBoundMs(run: FreezeRun): number {
	return 600_000 + 3 * (run.items / run.perSecond) * 1000;
}

/**
 * A memory cgroup of `mb` MB for the measured n8n (cgroup v2 where its memory controller is on,
 * else v1's memory hierarchy; both need root). Removed once its processes have ended.
 */
function memoryCgroup(mb: number): { procs: string; remove: () => void } {
	const bytes = String(mb * 1024 * 1024);
	const name = `azeer-bench-${process.pid}`;
	const v2 = '/sys/fs/cgroup';
	const v2Controllers = path.join(v2, 'cgroup.controllers');
	const [dir, limitFile] =
		fs.existsSync(v2Controllers) &&
		fs.readFileSync(v2Controllers, 'utf8').split(/\s+/).includes('memory')
			? [path.join(v2, name), 'memory.max']
			: [path.join(v2, 'memory', name), 'memory.limit_in_bytes'];
	try {
		fs.mkdirSync(dir);
		fs.writeFileSync(path.join(dir, limitFile), bytes);
	} catch (error) {
		throw new Error(
			`--freeze-memory-mb needs a memory cgroup this process may create (${dir}): ${(error as Error).message}`,
		);
	}
	const remove = () => {
		try {
			fs.rmdirSync(dir);
		} catch (error) {
			log(`freeze: could not remove the cgroup ${dir}: ${(error as Error).message}`);
		}
	};
	return { procs: path.join(dir, 'cgroup.procs'), remove };
}

/**
 * Redis and PostgreSQL for queue mode, and the environment all n8n processes share. The main
 * process takes production webhooks too, as in a queue-mode install without webhook processes.
 */
async function startQueueServices(
	logsDir: string,
): Promise<{ env: NodeJS.ProcessEnv; stop: () => Promise<void> }> {
	const [redis, postgres] = await Promise.all([startRedis(logsDir), startPostgres(logsDir)]);
	const encryptionKey = randomBytes(24).toString('hex');
	return {
		env: {
			...queueModeEnv({ postgres, redis, encryptionKey }),
			N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'false',
		},
		stop: async () => {
			await postgres.service.stop();
			await redis.service.stop();
		},
	};
}

/** Runs every given run, each in a freshly started n8n, and returns their figures in order. */
export async function measureFreeze(
	runs: FreezeRun[],
	options: FreezeOptions = {},
): Promise<FreezeFigures[]> {
	// First, so that a machine without cgroups fails before anything starts.
	const cgroup = options.memoryMb ? memoryCgroup(options.memoryMb) : undefined;
	const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'azeer-bench-freeze-'));
	// Also when the set-up below fails, before the run's own clean-up is in place.
	onShutdown(async () => fs.rmSync(stateDir, { recursive: true, force: true }));
	const { time } = stepTimer();
	const prepared = await prepareN8n({ stateDir }, time);
	const queue = options.queue ? await startQueueServices(prepared.logsDir) : undefined;
	const sandbox = await startSandboxProcess([]);
	const figures: FreezeFigures[] = [];
	let running: N8nInstance[] = [];
	let started = 0;
	const stopRunning = async () => {
		for (const instance of running.reverse()) await instance.stop();
		running = [];
	};
	/**
	 * A freshly started n8n: `main` takes the webhook and the watcher's polls; `measured` runs the
	 * executions (main itself, or in queue mode a worker, started only for a measured run).
	 */
	const startFresh = async (measured?: FreezeOptions) => {
		const nodeOptions = [
			measured?.profileDir && `--cpu-prof --cpu-prof-dir=${measured.profileDir}`,
			measured?.heapMb && `--max-old-space-size=${measured.heapMb}`,
			measured?.allocationDir && `--require ${path.join(__dirname, 'allocationSampler.cjs')}`,
			measured?.gcTraceDir && `--require ${path.join(__dirname, 'gcTrace.cjs')}`,
		].filter(Boolean);
		const measuredEnv: NodeJS.ProcessEnv = nodeOptions.length
			? {
					NODE_OPTIONS: nodeOptions.join(' '),
					...(measured?.allocationDir && {
						AZEER_ALLOCATION_PROFILE_DIR: measured.allocationDir,
					}),
					...(measured?.gcTraceDir && { AZEER_GC_TRACE_DIR: measured.gcTraceDir }),
				}
			: {};
		started++;
		const start = async (role: 'main' | 'worker', env: NodeJS.ProcessEnv, inCgroup: boolean) => {
			const logFile = path.join(
				prepared.logsDir,
				`n8n-${started}${role === 'main' ? '' : `-${role}`}.log`,
			);
			const instance = await startN8n({
				runtime: prepared.runtime,
				userFolder: prepared.userFolder,
				port: await freePort(),
				brokerPort: await freePort(),
				logFile,
				role,
				env,
				cgroupProcs: inCgroup ? cgroup?.procs : undefined,
			});
			running.push(instance);
			return { instance, logFile };
		};
		const main = queue
			? await start('main', queue.env, false)
			: await start('main', measuredEnv, measured !== undefined);
		await main.instance.api.signIn();
		const worker =
			queue && measured ? await start('worker', { ...queue.env, ...measuredEnv }, true) : main;
		return { main: main.instance, measured: worker.instance, logFile: worker.logFile };
	};
	try {
		const { keys } = (await control(sandbox.origin, 'GET', '')) as {
			keys: { readWrite: string[] };
		};
		// One n8n start to create the credential and the workflows, in the database every run reuses.
		const { main: setUp } = await startFresh();
		const credentialId = await setUp.api.upsertCredential(CREDENTIAL_NAME, CREDENTIAL_TYPE, {
			apiKey: keys.readWrite[0],
			baseUrl: sandbox.baseUrl,
		});
		const target: ExampleTarget = {
			azeer: { id: credentialId, name: CREDENTIAL_NAME },
			model: { id: '', name: '' },
			sandboxOrigin: sandbox.origin,
		};
		const echoBot = (await setUp.api.createWorkflow(loadExample('echoBot', target))) as Workflow & {
			id: string;
		};
		const workflows = new Map<string, { id: string; path: string }>();
		for (const run of runs) {
			const key = `${run.workload}-${run.perSecond}`;
			if (workflows.has(key)) continue;
			const webhookPath = `bench-freeze-${key.toLowerCase()}`;
			const created = await setUp.api.createWorkflow(
				freezeWorkflow(
					`Bench: ${key}`,
					webhookPath,
					sendNode(run.workload, target, sandbox.baseUrl, run.perSecond, options.onError),
				),
			);
			workflows.set(key, { id: created.id!, path: webhookPath });
		}
		await stopRunning();

		for (const run of runs) {
			const label = `${run.workload}, ${run.items} items at ${run.perSecond}/s${run.echo ? ', with the echo bot' : ''}`;
			log(`freeze: ${label}`);
			const workflow = workflows.get(`${run.workload}-${run.perSecond}`)!;
			await control(sandbox.origin, 'POST', '/reset');
			// A free-form text needs the contact's 24-hour window open, a read needs the contact.
			if (run.workload.endsWith('Text') || isRead(run.workload)) {
				await openWindows(sandbox, WARM_UP_PHONE, WARM_UP_ITEMS);
				await openWindows(sandbox, FIRST_PHONE, run.items);
			}
			const { main: instance, measured, logFile } = await startFresh(options);
			await instance.api.activate(workflow.id);
			if (run.echo) {
				await instance.api.activate(echoBot.id);
				await waitFor('the echo bot to register its webhook', async () => {
					const hooks = (await control(sandbox.origin, 'GET', '/webhooks')) as Array<{
						url: string;
					}>;
					return hooks.some((hook) => hook.url.startsWith(`${instance.url}/webhook/`))
						? true
						: undefined;
				});
			}
			// Warm-up: the same workflow over a few items (and one echo), so that the measured run
			// pays no first-load costs; the webhook answers once its activation has landed.
			await control(sandbox.origin, 'POST', '/limits', {
				accountPerSecond: run.perSecond,
				recipientIntervalSeconds: 6,
				retryAfter: 'sometimes',
			});
			const warmUp = await runOnce(
				instance,
				workflow.id,
				workflow.path,
				WARM_UP_ITEMS,
				WARM_UP_PHONE,
				120_000,
			);
			if (warmUp?.status !== 'success')
				throw new Error(`warm-up of ${label} ended ${warmUp?.status ?? 'not at all'}`);
			if (run.echo) {
				const warmPhone = String(ECHO_PHONE - 1);
				await control(sandbox.origin, 'POST', '/inbound', { from: warmPhone, text: 'warm up' });
				await waitFor('the echo bot to answer the warm-up message', async () =>
					((await control(sandbox.origin, 'GET', `/messages?contact=${warmPhone}`)) as Messages)
						.length > 1
						? true
						: undefined,
				);
			}
			await sleep(3000);
			await control(sandbox.origin, 'POST', '/limits', {});

			const pid = measured.service.child.pid!;
			const watcher = new Watcher(instance.url, pid);
			const workerWatcher = measured === instance ? undefined : new Watcher(measured.url);
			const cpuBefore = cpuOfGroup(pid);
			const rssBaselineBytes = statusField(pid, 'VmRSS');
			const clock = { monotonicUs: monotonicUs(), wallMs: Date.now() };
			watcher.start();
			workerWatcher?.start();
			const inbound = run.echo ? injectInbound(sandbox) : undefined;
			const execution = await runOnce(
				instance,
				workflow.id,
				workflow.path,
				run.items,
				FIRST_PHONE,
				timeBoundMs(run),
			);
			const phones = await inbound?.stop();
			const gaps = await watcher.stop();
			const workerGaps = await workerWatcher?.stop();
			const runToMs = Date.now();
			const cpuAfter = cpuOfGroup(pid);
			let mainCpuMs = 0;
			let runnerCpuMs = 0;
			for (const [processId, ms] of cpuAfter) {
				const used = ms - (cpuBefore.get(processId) ?? 0);
				if (processId === pid) mainCpuMs = used;
				else runnerCpuMs += used;
			}
			const echo = phones ? await echoFigures(sandbox, phones) : undefined;
			const nodes = execution ? await nodeWindows(instance, execution.id) : [];
			const send = nodes.find((node) => node.name === SEND_NODE);
			const longest = gaps.reduce((a, b) => (b.ms > a.ms ? b : a), gaps[0]);
			const inSend = send
				? gaps.filter((gap) => overlapMs(gap.fromMs, gap.toMs, send.startMs, send.endMs) > 0)
				: [];
			const figure: FreezeFigures = {
				run,
				finished: execution !== undefined,
				n8nExited: !isRunning(measured),
				longestGapMs: longest?.ms ?? NaN,
				longestGapDuring: longest ? describeStretch(longest.fromMs, longest.toMs, nodes, 2) : '',
				nodeGapMs: send ? longestWithin(gaps, send) : NaN,
				nodeOverlappingGapMs: send ? Math.max(0, ...inSend.map((gap) => gap.ms)) : NaN,
				pollerLagMs: watcher.pollerLagMs,
				mainCpuMs,
				runnerCpuMs,
				nodeMs: send ? send.endMs - send.startMs : NaN,
				executionMs: execution?.stoppedAt
					? Date.parse(execution.stoppedAt) - Date.parse(execution.startedAt)
					: NaN,
				rssBaselineBytes,
				rssPeakBytes: watcher.rssPeakBytes,
				...(await deliveryCounts(sandbox, run.items, run.workload)),
				echo,
				...(workerGaps && { workerNodeGapMs: send ? longestWithin(workerGaps, send) : NaN }),
			};
			if (run.echo) await instance.api.deactivate(echoBot.id).catch(() => undefined);
			await instance.api.deactivate(workflow.id).catch(() => undefined);
			// V8 writes the profile when n8n exits.
			await stopRunning();
			const profileLabel = `${figures.length + 1}-${run.workload}-${run.items}-${run.perSecond}${run.echo ? '-echo' : ''}`;
			if (options.allocationDir)
				figure.allocationProfile = saveAllocationProfile(options.allocationDir, pid, profileLabel);
			if (options.gcTraceDir)
				figure.gcTrace = saveGcTrace(options.gcTraceDir, pid, profileLabel, logFile, send);
			if (options.profileDir)
				figure.profile = saveProfile(options.profileDir, {
					label: profileLabel,
					mainPid: pid,
					...clock,
					runFromMs: clock.wallMs,
					runToMs,
					nodes,
					gaps: [...gaps]
						.sort((a, b) => b.ms - a.ms)
						.slice(0, 10)
						.map((gap) => ({ ...gap, during: describeStretch(gap.fromMs, gap.toMs, nodes) })),
				});
			figures.push(figure);
			log(`freeze: ${label}: ${JSON.stringify({ ...figure, run: undefined })}`);
		}
		return figures;
	} finally {
		await stopRunning();
		await queue?.stop();
		await sandbox.service.stop();
		fs.rmSync(stateDir, { recursive: true, force: true });
		cgroup?.remove();
	}
}
