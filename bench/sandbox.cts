/**
 * Benchmark section "Sandbox": the sandbox as `npm start` runs it (its own process, a state
 * file, statuses moving on every 300 ms) with its rate limits off, filled with template sends to
 * new numbers over loopback HTTP until it stores `target` messages or the time runs out. Then a
 * clean stop, the state on disk, and a restart from it.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { Agent, request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { freePort, startService } from '../scripts/lib/process.cjs';
import type { Service } from '../scripts/lib/process.cjs';
import { SANDBOX_KEY } from './workloads.cjs';

/** Sends in flight at once, like the Azeer node's pacer. */
const CONCURRENCY = 32;
/** Throughput is reported per window of this many sends. */
const WINDOW = 10_000;
const FIRST_PHONE = 966_520_000_000;
const TEMPLATE = JSON.stringify({
	template_id: 'order_update',
	language: 'en',
	argument: { HEADER: ['A-17'], BODY: ['Sam', 'shipped'], BUTTONS: ['A-17'] },
});

export interface SandboxFigures {
	/** Messages stored when the fill ended. */
	stored: number;
	fillMs: number;
	/** Sends per second of each whole window of WINDOW sends, in order. */
	windowRates: number[];
	/** Sends the sandbox did not answer 200 (the fill stops at the first). */
	failures: number;
	/** CPU time the sandbox process used during the fill, per stored message. */
	cpuMicrosPerSend: number;
	peakRssBytes: number;
	/** SIGTERM until the process exited. */
	stopMs: number;
	/** Bytes of every file the state left in its folder after the stop. */
	diskBytes: number;
	/** Spawn until the control API answers, with the state and with none. */
	restartMs: number;
	emptyStartMs: number;
	/** The restarted sandbox's next message id was stored + 1. */
	reloadedAll: boolean;
}

interface Running {
	service: Service;
	origin: string;
	startMs: number;
}

async function startSandbox(
	root: string,
	stateFile: string | undefined,
	log: string,
): Promise<Running> {
	const port = await freePort();
	const state = stateFile ? ['--state', stateFile] : [];
	const begin = performance.now();
	const service = startService(
		'sandbox',
		process.execPath,
		['--import', 'tsx', 'sandbox/cli.cts', '--port', String(port), '--no-limits', ...state],
		{ env: process.env, cwd: root, logFile: log },
	);
	const origin = `http://127.0.0.1:${port}`;
	for (;;) {
		const up = await fetch(`${origin}/__sandbox`).then(
			(response) => response.ok,
			() => false,
		);
		if (up) break;
		if (service.child.exitCode !== null) throw new Error(`the sandbox exited; see ${log}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	return { service, origin, startMs: performance.now() - begin };
}

function send(
	agent: Agent,
	origin: string,
	phone: number,
): Promise<{ status: number; body: string }> {
	const body = `{"to":"${phone}","type":"template","template":${TEMPLATE}}`;
	return new Promise((resolve, reject) => {
		const req = request(
			`${origin}/v1/message/send?create=true`,
			{
				agent,
				method: 'POST',
				headers: {
					authorization: `Bearer ${SANDBOX_KEY}`,
					'content-type': 'application/json',
					'content-length': Buffer.byteLength(body),
				},
			},
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => (text += chunk));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		req.end(body);
	});
}

/** Nanoseconds the process has run on a CPU (the first field of /proc/<pid>/schedstat). */
function cpuNanos(pid: number): number {
	return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
}

function peakRss(pid: number): number {
	const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return match ? Number(match[1]) * 1024 : 0;
}

function folderBytes(dir: string): number {
	return readdirSync(dir)
		.map((name) => statSync(path.join(dir, name)).size)
		.reduce((sum, size) => sum + size, 0);
}

/** Fills a sandbox started from `root` (this checkout, or another for a before/after figure). */
export async function measureSandbox(
	root: string,
	target: number,
	timeLimitMs: number,
): Promise<SandboxFigures> {
	const work = mkdtempSync(path.join(os.tmpdir(), 'azeer-bench-state-'));
	const stateDir = path.join(work, 'state');
	mkdirSync(stateDir);
	const stateFile = path.join(stateDir, 'sandbox.json');
	const log = path.join(work, 'sandbox.log');
	try {
		const empty = await startSandbox(root, undefined, log);
		await empty.service.stop();

		const first = await startSandbox(root, stateFile, log);
		const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
		const windowRates: number[] = [];
		let issued = 0;
		let acknowledged = 0;
		let failures = 0;
		const cpuBefore = cpuNanos(first.service.child.pid!);
		let windowStart = performance.now();
		const begin = windowStart;
		const deadline = begin + timeLimitMs;
		const worker = async () => {
			while (issued < target && failures === 0 && performance.now() < deadline) {
				const phone = FIRST_PHONE + issued++;
				const answer = await send(agent, first.origin, phone).catch(() => ({
					status: 0,
					body: '',
				}));
				if (answer.status !== 200) {
					failures++;
					continue;
				}
				acknowledged++;
				if (acknowledged % WINDOW === 0) {
					const now = performance.now();
					windowRates.push(WINDOW / ((now - windowStart) / 1000));
					windowStart = now;
				}
			}
		};
		await Promise.all(Array.from({ length: CONCURRENCY }, worker));
		const fillMs = performance.now() - begin;
		agent.destroy();
		const cpuMicrosPerSend = (cpuNanos(first.service.child.pid!) - cpuBefore) / 1000 / acknowledged;
		// Let the last statuses (sent → delivered → read, 300 ms apart) happen before the stop.
		await new Promise((resolve) => setTimeout(resolve, 1000));
		const peakRssBytes = peakRss(first.service.child.pid!);

		const stopBegin = performance.now();
		await first.service.stop();
		const stopMs = performance.now() - stopBegin;
		const diskBytes = folderBytes(stateDir);

		const second = await startSandbox(root, stateFile, log);
		const next = await send(new Agent(), second.origin, FIRST_PHONE - 1);
		await second.service.stop();
		const nextId = (JSON.parse(next.body) as { data?: { message_id?: number } }).data?.message_id;
		return {
			stored: acknowledged,
			fillMs,
			windowRates,
			failures,
			cpuMicrosPerSend,
			peakRssBytes,
			stopMs,
			diskBytes,
			restartMs: second.startMs,
			emptyStartMs: empty.startMs,
			reloadedAll: nextId === acknowledged + 1,
		};
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}
