/**
 * End-to-end in n8n's queue mode: Redis and PostgreSQL, one n8n main process, two workers and two
 * webhook processes behind a round-robin proxy of our own, all sharing one user folder in which
 * the packed tarball is installed once. Run with `bash scripts/azeer.sh e2e:queue` (CI does, after
 * the e2e). Counts are asserted; timings are printed (and recorded in BENCHMARKS.md), never asserted.
 * Ends with the line `e2e:queue: N passed, M failed`. Logs go to .artifacts/e2e-queue/.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startSandbox, type Sandbox, type StoredMessage } from '../sandbox/index.cjs';
import { DEFAULT_RATE_LIMITS, NO_RATE_LIMITS } from '../sandbox/throttle.cjs';
import {
	ROOT,
	startN8n,
	type N8nInstance,
	type N8nRole,
	type Workflow,
} from '../scripts/lib/n8n.cjs';
import {
	formatDuration,
	freePort,
	log,
	onShutdown,
	shutdownAll,
	stopEverythingOnSignals,
	waitFor,
} from '../scripts/lib/process.cjs';
import {
	queueModeEnv,
	startPostgres,
	startRedis,
	type Postgres,
	type Redis,
} from '../scripts/lib/queue.cjs';
import {
	freshUserFolder,
	prepareN8n,
	provision,
	stepTimer,
	type PreparedN8n,
	type Provisioned,
} from '../scripts/lib/stack.cjs';
import { check, summary } from './checks.cjs';
import { WebhookProxy, type ProxyMode } from './proxy.cjs';

const ARTIFACTS = path.join(ROOT, '.artifacts', 'e2e-queue');
const TRIGGER_TYPE = 'n8n-nodes-azeer.azeerTrigger';
/** The events of the activation check's trigger: one webhook each. */
const CYCLE_EVENTS = ['incoming_msg', 'message_status_changed', 'outgoing_msg'];
const ACTIVATION_CYCLES = 10;
/**
 * AZEER_QUEUE_SCALE=0.2 sends a fifth of every burst (over the same time). CI runs that (about
 * 8 minutes); the full counts take about 25 and are recorded in BENCHMARKS.md.
 */
const SCALE = Math.min(1, Math.max(0.01, Number(process.env.AZEER_QUEUE_SCALE ?? 1) || 1));
const scaled = (count: number) => Math.max(2, Math.round((count * SCALE) / 2) * 2);
const ECHO_BURST = scaled(200);
const DUPLICATE_PAIRS = scaled(1000);
const SUSTAINED = scaled(1000);
const BROADCAST_SIZE = scaled(1000);
const FAULT_BURST = scaled(200);
const REDELIVERED_EVENTS = 20;
/** Upper bound for a broadcast's executions to finish. */
const DRAIN_TIMEOUT_MS = 120_000;
/**
 * Upper bound for a burst's replies after its last message was sent, and again for its last
 * executions to finish: 2 minutes plus 250 ms a message, since a burst's executions queue up
 * behind each other (1,000 messages: 6 min 10 s).
 */
const drainBoundMs = (messages: number) => 120_000 + 250 * messages;
/** n8n's worker log line for each execution it runs. */
const WORKER_STARTED = /Worker started execution (\d+)/;

const measurements: Array<[string, string]> = [];
function measured(label: string, value: string): void {
	measurements.push([label, value]);
	log(`  ${label}: ${value}`);
}

interface QueueStack {
	prepared: PreparedN8n;
	sandbox: Sandbox;
	redis: Redis;
	postgres: Postgres;
	proxy: WebhookProxy;
	main: N8nInstance;
	workers: N8nInstance[];
	webhooks: N8nInstance[];
	start(
		role: N8nRole,
		name: string,
		options?: { port?: number; env?: NodeJS.ProcessEnv; webhookUrl?: string },
	): Promise<N8nInstance>;
	timings: Record<string, string>;
}

async function startQueueStack(): Promise<QueueStack> {
	const { timings, time } = stepTimer();
	const prepared = await prepareN8n(
		{ stateDir: path.join(ARTIFACTS, 'state'), userFolder: freshUserFolder('queue') },
		time,
	);
	const { logsDir } = prepared;
	const [redis, postgres] = await time('redis + postgres start', () =>
		Promise.all([startRedis(logsDir), startPostgres(logsDir)]),
	);
	// No automatic status steps: the echo bot listens to incoming messages only.
	const sandbox = await startSandbox({ host: '127.0.0.1', statusDelayMs: -1 });
	onShutdown(() => sandbox.stop());
	// The webhook processes' ports are chosen first, so that the proxy (where every trigger
	// registers, N8N_WEBHOOK_URL) listens before any n8n process starts.
	const webhookPorts = [await freePort(), await freePort()];
	const proxy = await new WebhookProxy(
		webhookPorts.map((port) => `http://127.0.0.1:${port}`),
	).listen();
	onShutdown(() => proxy.close());
	const shared = queueModeEnv({ postgres, redis, encryptionKey: randomBytes(24).toString('hex') });
	const start: QueueStack['start'] = async (role, name, options = {}) =>
		await startN8n({
			runtime: prepared.runtime,
			userFolder: prepared.userFolder,
			port: options.port ?? (await freePort()),
			brokerPort: await freePort(),
			logFile: path.join(logsDir, `${name}.log`),
			role,
			name: `n8n ${name}`,
			webhookUrl: options.webhookUrl ?? `${proxy.origin}/`,
			env: { ...shared, ...options.env },
		});
	const main = await time('n8n main start (database migrations)', () => start('main', 'main'));
	const [workers, webhooks] = await time('2 workers + 2 webhook processes start', () =>
		Promise.all([
			Promise.all([start('worker', 'worker-1'), start('worker', 'worker-2')]),
			Promise.all(
				webhookPorts.map((port, index) => start('webhook', `webhook-${index + 1}`, { port })),
			),
		]),
	);
	return { prepared, sandbox, redis, postgres, proxy, main, workers, webhooks, start, timings };
}

// ---- measuring bursts of inbound messages ------------------------------------------------------

interface Sent {
	phone: string;
	text: string;
	message: StoredMessage;
}

/** `count` inbound messages spread evenly over `durationMs`, each from its own contact, each delivered `copies` times. */
async function sendInbound(
	sandbox: Sandbox,
	label: string,
	count: number,
	durationMs: number,
	copies = 1,
): Promise<Sent[]> {
	const series = String(Math.floor(Math.random() * 900) + 100);
	const started = Date.now();
	const sent: Sent[] = [];
	for (let index = 0; index < count; index++) {
		const due = started + (index * durationMs) / count;
		if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
		const phone = `9665${series}${String(index).padStart(5, '0')}`;
		const text = `${label} ${index}`;
		sent.push({
			phone,
			text,
			message: sandbox.inbound({ from: phone, name: `Load ${index}`, text, duplicate: copies }),
		});
	}
	return sent;
}

interface Outcome {
	sent: number;
	once: number;
	twice: number;
	lost: number;
	/** Replies each message got, in the order sent. */
	replyCounts: number[];
	/** Executions of the workflow since the marker, by status. */
	executions: Record<string, number>;
	executionIds: number[];
	latenciesMs: number[];
	/** First inbound to last reply. */
	wallMs: number;
}

async function maxExecutionId(postgres: Postgres): Promise<number> {
	const [[id]] = await postgres.query('select coalesce(max(id), 0) from execution_entity');
	return Number(id);
}

/**
 * The newest execution id once n8n is quiet: no execution queued or running and none created for
 * 10 s (bounded by 3 minutes). Under load a webhook process still works through requests whose
 * sender gave up long before, and each may start an execution; counted after the marker, they
 * would be charged to the next burst.
 */
async function quietMarker(postgres: Postgres): Promise<number> {
	let last = { id: -1, since: Date.now() };
	await waitFor(
		'n8n to be quiet before the next burst',
		async () => {
			const id = await maxExecutionId(postgres);
			const [[pending]] = await postgres.query(
				"select count(*) from execution_entity where status in ('new', 'running')",
			);
			if (id !== last.id || pending !== '0') last = { id, since: Date.now() };
			return Date.now() - last.since >= 10_000 ? true : undefined;
		},
		{ timeoutMs: 180_000, intervalMs: 1000 },
	).catch((error: Error) => log(`  ${error.message}: measuring anyway`));
	return await maxExecutionId(postgres);
}

async function executionsSince(postgres: Postgres, workflowId: string, marker: number) {
	const rows = await postgres.query(
		`select id, status from execution_entity where "workflowId" = '${workflowId}' and id > ${marker} order by id`,
	);
	return rows.map(([id, status]) => ({ id: Number(id), status }));
}

function repliesTo(sandbox: Sandbox, sent: Sent[]): Map<string, StoredMessage[]> {
	const wanted = new Map(
		sent.map((item) => [`${item.phone}|You said: ${item.text}`, [] as StoredMessage[]]),
	);
	for (const message of sandbox.messages()) {
		if (message.direction === 'out') wanted.get(`${message.to}|${message.text}`)?.push(message);
	}
	return wanted;
}

/**
 * Waits (bounded) until every message has its reply, every delivery attempt (retries included)
 * is over and no execution is pending, then counts what happened.
 */
async function outcomeOf(
	stack: { sandbox: Sandbox; postgres: Postgres },
	workflowId: string,
	marker: number,
	sent: Sent[],
): Promise<Outcome> {
	const { sandbox, postgres } = stack;
	await waitFor(
		'every message to be answered',
		async () =>
			[...repliesTo(sandbox, sent).values()].every((replies) => replies.length > 0)
				? true
				: undefined,
		{ timeoutMs: drainBoundMs(sent.length), intervalMs: 500 },
	).catch((error: Error) => log(`  ${error.message}: counting what arrived`));
	await sandbox.settle();
	await waitFor(
		'no execution still queued or running',
		async () => {
			const pending = (await executionsSince(postgres, workflowId, marker)).filter((e) =>
				['new', 'running'].includes(e.status),
			);
			return pending.length === 0 ? true : undefined;
		},
		{ timeoutMs: drainBoundMs(sent.length), intervalMs: 500 },
	).catch((error: Error) => log(`  ${error.message}`));
	const replies = repliesTo(sandbox, sent);
	const executions = await executionsSince(postgres, workflowId, marker);
	const counts = [...replies.values()].map((list) => list.length);
	const firstReplies = sent.flatMap(
		(item) => replies.get(`${item.phone}|You said: ${item.text}`)?.slice(0, 1) ?? [],
	);
	const latenciesMs = sent.flatMap((item) => {
		const reply = replies.get(`${item.phone}|You said: ${item.text}`)?.[0];
		return reply ? [Date.parse(reply.created_at) - Date.parse(item.message.created_at)] : [];
	});
	const lastReply = Math.max(...firstReplies.map((reply) => Date.parse(reply.created_at)));
	return {
		sent: sent.length,
		once: counts.filter((count) => count === 1).length,
		twice: counts.filter((count) => count >= 2).length,
		lost: counts.filter((count) => count === 0).length,
		replyCounts: counts,
		executions: executions.reduce<Record<string, number>>(
			(byStatus, e) => ({ ...byStatus, [e.status]: (byStatus[e.status] ?? 0) + 1 }),
			{},
		),
		executionIds: executions.map((e) => e.id),
		latenciesMs,
		wallMs: lastReply - Date.parse(sent[0].message.created_at),
	};
}

/** The 1-minute load average against the core count: what else competed for the CPU while measuring. */
function loadAverage(): string {
	return `${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`;
}

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function describe(outcome: Outcome): string {
	const statuses = Object.entries(outcome.executions)
		.map(([status, count]) => `${count} ${status}`)
		.join(', ');
	return (
		`${outcome.sent} sent: ${outcome.once} answered once, ${outcome.twice} twice, ${outcome.lost} lost; ` +
		`executions ${statuses || 'none'}; inbound→reply p50 ${percentile(outcome.latenciesMs, 50)} ms, ` +
		`p95 ${percentile(outcome.latenciesMs, 95)} ms; first inbound → last reply ${(outcome.wallMs / 1000).toFixed(1)} s`
	);
}

/** Execution ids each process's log says it ran (workers log every execution they start). */
function executionsRunBy(instances: N8nInstance[]): Map<string, Set<number>> {
	return new Map(
		instances.map((instance) => [
			instance.service.name,
			new Set(
				fs
					.readFileSync(instance.logFile, 'utf8')
					.split('\n')
					.flatMap((line) => {
						const match = WORKER_STARTED.exec(line);
						return match ? [Number(match[1])] : [];
					}),
			),
		]),
	);
}

function triggerOf(workflow: Workflow): { webhookId: string } {
	const trigger = workflow.nodes.find((node) => node.type === TRIGGER_TYPE);
	assert.ok(trigger?.webhookId, `${workflow.name} has no Azeer Trigger with a webhookId`);
	return { webhookId: trigger.webhookId };
}

/** The sandbox webhooks registered for a workflow's trigger URL. */
function hooksOf(stack: QueueStack, workflow: Workflow, webhookBase = stack.proxy.origin) {
	const url = `${webhookBase}/webhook/${triggerOf(workflow).webhookId}/webhook`;
	return stack.sandbox.webhooks().filter((hook) => hook.url.split('?')[0] === url);
}

async function waitForHooks(
	stack: QueueStack,
	workflow: Workflow,
	count: number,
	webhookBase?: string,
) {
	return await waitFor(`${count} webhooks registered for ${workflow.name}`, async () => {
		const hooks = hooksOf(stack, workflow, webhookBase);
		return hooks.length === count ? hooks : undefined;
	});
}

/**
 * The example broadcast with `BROADCAST_SIZE / 2` generated contacts from `offset` on, so that two
 * copies started at once send to different recipients.
 */
function broadcastHalf(example: Workflow, offset: number): Workflow {
	const count = BROADCAST_SIZE / 2;
	return {
		name: `Queue mode: broadcast from ${offset}`,
		nodes: example.nodes.map((node) =>
			node.type === 'n8n-nodes-base.code'
				? {
						...node,
						parameters: {
							jsCode:
								`return Array.from({ length: ${count} }, (_, i) => i + ${offset}).map((n) => ({ json: ` +
								`{ phone: '96656' + String(n).padStart(7, '0'), name: 'Customer ' + n, orderId: 'Q-' + n, status: 'shipped' } }));`,
						},
					}
				: node,
		),
		connections: example.connections,
		settings: { executionOrder: 'v1' },
	};
}

function killGroupNow(instance: N8nInstance): void {
	const pid = instance.service.child.pid;
	assert.ok(pid, `${instance.service.name} has no pid`);
	process.kill(-pid, 'SIGKILL');
}

// ---- the checks ---------------------------------------------------------------------------------

async function runSuite(stack: QueueStack, provisioned: Provisioned): Promise<void> {
	const { sandbox, postgres, proxy, main } = stack;
	const { api } = main;
	const echoBot = provisioned.workflows.echoBot;

	await check(
		'main, workers and webhook processes loaded the Azeer nodes from the one install',
		async () => {
			const names = (await api.types<{ name: string }>('nodes')).map((node) => node.name);
			assert.ok(
				names.includes('n8n-nodes-azeer.azeer') && names.includes(TRIGGER_TYPE),
				'main lacks the Azeer nodes',
			);
			const installed = path.join(
				stack.prepared.userFolder,
				'.n8n',
				'nodes',
				'node_modules',
				'n8n-nodes-azeer',
				'package.json',
			);
			assert.ok(fs.existsSync(installed), `${installed} missing`);
			for (const instance of [...stack.workers, ...stack.webhooks]) {
				const text = fs.readFileSync(instance.logFile, 'utf8');
				assert.doesNotMatch(
					text,
					/Unrecognized node type|n8n-nodes-azeer.*(failed|error)/i,
					`${instance.service.name} log`,
				);
			}
		},
	);

	await check(
		`activation from main registers one webhook per event; deactivation leaves 0; ${ACTIVATION_CYCLES} cycles leave 0`,
		async () => {
			const echoTrigger = echoBot.nodes.find((node) => node.type === TRIGGER_TYPE);
			assert.ok(echoTrigger);
			const workflow = (await api.createWorkflow({
				name: 'Queue mode: trigger on three events',
				nodes: [
					{
						...echoTrigger,
						id: randomUUID(),
						webhookId: randomUUID(),
						parameters: { ...echoTrigger.parameters, events: CYCLE_EVENTS },
					},
				],
				connections: {},
				settings: { executionOrder: 'v1' },
			})) as Workflow & { id: string };
			sandbox.clearRequests();
			const registerMs: number[] = [];
			for (let cycle = 0; cycle <= ACTIVATION_CYCLES; cycle++) {
				const started = Date.now();
				await api.activate(workflow.id);
				const hooks = await waitForHooks(stack, workflow, CYCLE_EVENTS.length);
				registerMs.push(Date.now() - started);
				assert.deepEqual(
					hooks.map((hook) => hook.event).sort(),
					CYCLE_EVENTS,
					'one webhook per event',
				);
				await api.deactivate(workflow.id);
				await waitForHooks(stack, workflow, 0);
			}
			const calls = (method: string, pattern: RegExp) =>
				sandbox
					.requests()
					.filter((request) => request.method === method && pattern.test(request.path)).length;
			const cycles = ACTIVATION_CYCLES + 1;
			assert.equal(
				calls('POST', /^\/v1\/webhook$/),
				cycles * CYCLE_EVENTS.length,
				'webhook creations',
			);
			assert.equal(
				calls('DELETE', /^\/v1\/webhook\/\d+$/),
				cycles * CYCLE_EVENTS.length,
				'webhook deletions',
			);
			const orphans = sandbox
				.webhooks()
				.filter((hook) => hook.url.includes(triggerOf(workflow).webhookId));
			assert.deepEqual(orphans, [], 'orphaned webhooks');
			measured(
				'activation → 3 webhooks registered (median of 11)',
				`${percentile(registerMs, 50)} ms`,
			);
		},
	);

	const echoHooks = await (async () => {
		await api.activate(echoBot.id);
		return await waitForHooks(stack, echoBot, 1);
	})();
	const echoPath = new URL(echoHooks[0].url).pathname;
	log(`echo bot active; its webhook points at the proxy: ${echoPath}`);
	// The load balancer as docs/queue-mode.md recommends it: a webhook's deliveries, retries included,
	// go to one webhook process while it is up. Checks that need another routing set it and restore this.
	proxy.mode = 'by-path';

	const burst = async (label: string, count: number, durationMs: number, copies = 1) => {
		log(`  machine load before the burst: ${loadAverage()}`);
		const marker = await quietMarker(postgres);
		const sent = await sendInbound(sandbox, label, count, durationMs, copies);
		return await outcomeOf(stack, echoBot.id, marker, sent);
	};
	const routed = async <T,>(mode: ProxyMode, run: () => Promise<T>): Promise<T> => {
		proxy.mode = mode;
		try {
			return await run();
		} finally {
			proxy.mode = 'by-path';
		}
	};

	await check(
		`echo bot, balancer pinned by path: ${ECHO_BURST} inbound over 10 s, each answered exactly once, every execution on a worker`,
		async () => {
			const outcome = await burst('hello', ECHO_BURST, 10_000);
			measured(`${ECHO_BURST} inbound over 10 s (queue mode, pinned by path)`, describe(outcome));
			const byWorker = executionsRunBy(stack.workers);
			const onMain = executionsRunBy([main]).get(main.service.name) ?? new Set();
			measured(
				'executions per worker',
				[...byWorker]
					.map(
						([name, ids]) => `${name} ${outcome.executionIds.filter((id) => ids.has(id)).length}`,
					)
					.join(', '),
			);
			for (const id of outcome.executionIds) {
				const runners = [...byWorker].filter(([, ids]) => ids.has(id)).map(([name]) => name);
				assert.equal(
					runners.length,
					1,
					`execution ${id} ran on ${runners.join(', ') || 'no worker'}`,
				);
				assert.ok(!onMain.has(id), `execution ${id} ran on main`);
			}
			assert.equal(outcome.lost, 0, 'lost');
			assert.equal(outcome.twice, 0, 'answered twice');
			assert.deepEqual(outcome.executions, { success: ECHO_BURST });
		},
	);

	await check(
		`sustained inbound, queue mode, balancer pinned by path: ${SUSTAINED} messages in 10 s → ${SUSTAINED} executions, 0 lost, 0 doubled`,
		async () => {
			const outcome = await burst('sustained', SUSTAINED, 10_000);
			measured(`sustained ${SUSTAINED} inbound in 10 s (queue mode)`, describe(outcome));
			assert.equal(outcome.lost, 0, 'lost');
			assert.equal(outcome.twice, 0, 'doubled');
			assert.deepEqual(outcome.executions, { success: SUSTAINED });
		},
	);

	await check(
		`echo bot, round-robin balancer: ${ECHO_BURST} inbound over 10 s, 0 lost; retries that reach the other process counted`,
		async () => {
			const outcome = await routed('round-robin', () => burst('spread', ECHO_BURST, 10_000));
			const retried = sandbox
				.deliveries()
				.filter(
					(attempt) => attempt.attempt > 1 && String(attempt.body.text ?? '').startsWith('spread'),
				).length;
			measured(
				`${ECHO_BURST} inbound over 10 s (queue mode, round-robin)`,
				`${describe(outcome)}; ${retried} delivery retries`,
			);
			assert.equal(outcome.lost, 0, 'lost');
			const executed = Object.values(outcome.executions).reduce((sum, count) => sum + count, 0);
			assert.equal(executed, outcome.once + 2 * outcome.twice, 'executions match replies');
		},
	);

	await check(
		'sequential redelivery: caught by the webhook process that saw it, run again by the other one (dedup is per process)',
		async () => {
			const marker = await quietMarker(postgres);
			const sent: Sent[] = [];
			// Three copies of one delivery, each sent once the previous one was answered: the
			// round-robin rotation takes them to process A, then B, then A again.
			await routed('round-robin', async () => {
				for (let index = 0; index < REDELIVERED_EVENTS; index++) {
					const phone = `96654${String(index).padStart(7, '0')}`;
					const text = `again ${index}`;
					sent.push({
						phone,
						text,
						message: sandbox.inbound({ from: phone, name: `Again ${index}`, text, duplicate: 3 }),
					});
					await sandbox.settle();
				}
			});
			const outcome = await outcomeOf(stack, echoBot.id, marker, sent);
			measured(
				`sequential redelivery, ${REDELIVERED_EVENTS} events × 3 copies (A, B, A)`,
				describe(outcome),
			);
			const copies = sandbox
				.deliveries()
				.filter((attempt) =>
					sent.some((item) => attempt.body.message_id === item.message.message_id),
				);
			const deliveryIds = [...new Set(copies.map((attempt) => attempt.delivery_id))];
			assert.equal(deliveryIds.length, REDELIVERED_EVENTS);
			for (const id of deliveryIds) {
				const [first, second, third] = proxy.log
					.filter((entry) => entry.delivery === id)
					.map((entry) => entry.upstream);
				assert.ok(
					first !== second && first === third,
					`delivery ${id} went to processes ${first}, ${second}, ${third}`,
				);
			}
			// What docs/queue-mode.md states: the process that answered a delivery catches its repeat in its
			// memory; the other process has no record of it and runs it again.
			assert.deepEqual(
				[...new Set(outcome.replyCounts)],
				[2],
				'replies per event: copy 1 on A and copy 2 on B answered, copy 3 back on A started nothing',
			);
			assert.deepEqual(
				outcome.executions,
				{ success: 2 * REDELIVERED_EVENTS },
				'copy 3 (on A again) must start nothing',
			);
		},
	);

	await check(
		`simultaneous copies at both webhook processes, ${DUPLICATE_PAIRS} times: counted`,
		async () => {
			await routed('mirror', async () => {
				const outcome = await burst('both', DUPLICATE_PAIRS, 10_000);
				measured(
					`simultaneous copies to both webhook processes, ${DUPLICATE_PAIRS} events`,
					describe(outcome),
				);
				measured(
					'simultaneous copies that ran twice',
					`${outcome.twice} of ${DUPLICATE_PAIRS} (${((100 * outcome.twice) / DUPLICATE_PAIRS).toFixed(1)} %)`,
				);
				assert.equal(outcome.lost, 0, 'lost');
				const executed = Object.values(outcome.executions).reduce((sum, count) => sum + count, 0);
				assert.equal(executed, outcome.once + 2 * outcome.twice, 'executions match replies');
			});
		},
	);

	await check(
		`broadcast of ${BROADCAST_SIZE} templates in two halves on the workers against the sandbox's rate limit: 0 failed, 0 doubled`,
		async () => {
			const halves = await Promise.all(
				[0, BROADCAST_SIZE / 2].map(
					async (offset) =>
						(await api.createWorkflow(
							broadcastHalf(provisioned.workflows.templateBroadcast, offset),
						)) as Workflow & { id: string },
				),
			);
			sandbox.clearRequests();
			const limits = sandbox.setLimits(DEFAULT_RATE_LIMITS);
			try {
				const started = Date.now();
				const executionIds = await Promise.all(
					halves.map((half) => api.runManually(half.id, 'Start broadcast')),
				);
				const executions = await Promise.all(
					executionIds.map((id) => api.waitForExecution(id, DRAIN_TIMEOUT_MS)),
				);
				const wallMs = Date.now() - started;
				// Template sends only: the echo bot may still be answering an earlier burst meanwhile.
				const sends = sandbox
					.requests()
					.filter(
						(request) =>
							request.method === 'POST' &&
							request.path === '/v1/message/send' &&
							(request.body as { type?: string } | null)?.type === 'template',
					);
				const accepted = sends.filter((request) => request.status === 200);
				const perRecipient = new Map<string, number>();
				for (const send of accepted) {
					const to = String((send.body as { to: string }).to);
					perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
				}
				const byWorker = executionsRunBy(stack.workers);
				const ranOn = executionIds.map(
					(id) => [...byWorker].find(([, ids]) => ids.has(Number(id)))?.[0] ?? 'not a worker',
				);
				const throttled = sandbox.limits().throttled;
				const floorMs = (BROADCAST_SIZE / limits.accountPerSecond) * 1000;
				measured(
					`broadcast of ${BROADCAST_SIZE} templates, two halves at once`,
					`ran on ${ranOn.join(' and ')}; ${accepted.length} templates accepted, ${sends.length - accepted.length} refused ` +
						`(sandbox 429s for all sends: ${throttled.account} account rate, ${throttled.recipient} per recipient); wall ${(wallMs / 1000).toFixed(1)} s ` +
						`vs floor ${(floorMs / 1000).toFixed(1)} s at ${limits.accountPerSecond}/s (${(wallMs / floorMs).toFixed(2)}×)`,
				);
				assert.deepEqual(
					executions.map((execution) => execution.status),
					['success', 'success'],
				);
				assert.equal(perRecipient.size, BROADCAST_SIZE, 'recipients that got their template');
				assert.deepEqual(
					[...new Set(perRecipient.values())],
					[1],
					'every recipient got exactly one template',
				);
				// Which worker takes which job is Bull's choice (both halves may land on one worker): printed, not asserted.
				assert.ok(
					ranOn.every((name) => name.startsWith('n8n worker')),
					`a half ran outside the workers: ${ranOn.join(', ')}`,
				);
			} finally {
				sandbox.setLimits(NO_RATE_LIMITS);
			}
		},
	);

	await check(
		'a worker SIGKILLed mid-burst and a new one started: lost and doubled counted',
		async () => {
			const marker = await quietMarker(postgres);
			const sending = sendInbound(sandbox, 'workerkill', FAULT_BURST, 10_000);
			await new Promise((resolve) => setTimeout(resolve, 3000));
			const [victim] = stack.workers.splice(0, 1);
			killGroupNow(victim);
			log(`  SIGKILL ${victim.service.name} (process group ${victim.service.child.pid})`);
			stack.workers.push(await stack.start('worker', 'worker-3'));
			const outcome = await outcomeOf(stack, echoBot.id, marker, await sending);
			measured(`worker SIGKILLed mid-burst of ${FAULT_BURST}`, describe(outcome));
			const notSucceeded = Object.entries(outcome.executions)
				.filter(([status]) => status !== 'success')
				.reduce((sum, [, count]) => sum + count, 0);
			// Whatever did not reach its reply must be visible in n8n as an execution that did not succeed.
			assert.ok(
				outcome.lost <= notSucceeded,
				`${outcome.lost} lost but only ${notSucceeded} executions did not succeed`,
			);
		},
	);

	await check(
		'the webhook process serving the echo bot SIGKILLed mid-burst: the sandbox retries through the proxy to the other one, 0 lost',
		async () => {
			const marker = await quietMarker(postgres);
			const sending = sendInbound(sandbox, 'webhookkill', FAULT_BURST, 10_000);
			await new Promise((resolve) => setTimeout(resolve, 3000));
			const serving = proxy.upstreamForPath(echoPath);
			const victim = stack.webhooks[serving];
			killGroupNow(victim);
			log(`  SIGKILL ${victim.service.name} (process group ${victim.service.child.pid})`);
			const outcome = await outcomeOf(stack, echoBot.id, marker, await sending);
			const retried = sandbox
				.deliveries()
				.filter(
					(attempt) =>
						attempt.attempt > 1 && String(attempt.body.text ?? '').startsWith('webhookkill'),
				).length;
			measured(
				`webhook process SIGKILLed mid-burst of ${FAULT_BURST}`,
				`${describe(outcome)}; ${retried} delivery retries`,
			);
			assert.equal(outcome.lost, 0, 'lost');
			const port = await freePort();
			stack.webhooks[serving] = await stack.start('webhook', `webhook-${serving + 1}b`, { port });
			proxy.replaceUpstream(serving, stack.webhooks[serving].url);
		},
	);

	await api.deactivate(echoBot.id);
	await waitForHooks(stack, echoBot, 0);

	await check(
		`sustained inbound, regular mode for comparison (one n8n process, same Postgres): ${SUSTAINED} messages in 10 s, 0 doubled, lost counted`,
		async () => {
			for (const instance of [...stack.webhooks, ...stack.workers, main]) await instance.stop();
			const port = await freePort();
			const regular = await stack.start('main', 'regular', {
				port,
				webhookUrl: `http://127.0.0.1:${port}/`,
				env: { EXECUTIONS_MODE: 'regular', N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'false' },
			});
			await regular.api.signIn();
			await regular.api.activate(echoBot.id);
			await waitForHooks(stack, echoBot, 1, regular.url);
			const marker = await quietMarker(postgres);
			log(`  machine load before the burst: ${loadAverage()}`);
			const sent = await sendInbound(sandbox, 'regular', SUSTAINED, 10_000);
			const outcome = await outcomeOf(stack, echoBot.id, marker, sent);
			measured(`sustained ${SUSTAINED} inbound in 10 s (regular mode)`, describe(outcome));
			await regular.api.deactivate(echoBot.id);
			// One process: its memory catches every retry. What it could not take in time is printed
			// for comparison with queue mode, not asserted.
			assert.equal(outcome.twice, 0, 'doubled');
			assert.deepEqual(outcome.executions, { success: outcome.once });
		},
	);
}

async function main(): Promise<number> {
	stopEverythingOnSignals();
	const started = Date.now();
	fs.rmSync(ARTIFACTS, { recursive: true, force: true });
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	try {
		let stack: QueueStack | undefined;
		let provisioned: Provisioned | undefined;
		const ready = await check(
			'start Redis, Postgres, n8n main + 2 workers + 2 webhook processes and the proxy',
			async () => {
				stack = await startQueueStack();
				provisioned = await provision(stack.main.api, stack.sandbox);
			},
			{ always: true },
		);
		if (ready && stack && provisioned) {
			for (const [label, duration] of Object.entries(stack.timings)) log(`${label}: ${duration}`);
			await runSuite(stack, provisioned);
		}
	} finally {
		await shutdownAll();
	}
	log(`measured (n8n 2.40.7, this machine; load average now ${loadAverage()}):`);
	for (const [label, value] of measurements) process.stdout.write(`  ${label}: ${value}\n`);
	log(`logs: ${ARTIFACTS}; total ${formatDuration(Date.now() - started)}`);
	return summary('e2e:queue');
}

main().then(
	(code) => process.exit(code),
	async (error: Error) => {
		log(`e2e:queue crashed: ${error.stack ?? error.message}`);
		await shutdownAll();
		summary('e2e:queue', 1);
		process.exit(1);
	},
);
