/** The sandbox in its own process for the benchmark, and its control API (/__sandbox) over loopback. */
import os from 'node:os';
import path from 'node:path';

import { freePort, startService, waitFor } from '../scripts/lib/process.cjs';
import { BENCH_DIR } from './workloads.cjs';

const ROOT = path.resolve(BENCH_DIR, '..');

export interface SandboxProcess {
	service: ReturnType<typeof startService>;
	origin: string;
	baseUrl: string;
}

/** Starts `sandbox/cli.cts` on a free port of 127.0.0.1; `limits` are its rate-limit arguments. */
export async function startSandboxProcess(limits = ['--no-limits']): Promise<SandboxProcess> {
	const port = await freePort();
	const logFile = path.join(os.tmpdir(), `azeer-bench-sandbox-${port}.log`);
	const service = startService(
		'sandbox',
		process.execPath,
		[
			'--import',
			'tsx',
			'sandbox/cli.cts',
			'--port',
			String(port),
			'--status-delay-ms=-1',
			...limits,
		],
		{ env: process.env, cwd: ROOT, logFile },
	);
	const origin = `http://127.0.0.1:${port}`;
	await waitFor('the sandbox', async () =>
		(await fetch(`${origin}/__sandbox/webhooks`)).ok ? true : undefined,
	);
	return { service, origin, baseUrl: `${origin}/v1` };
}

export async function control(
	origin: string,
	method: string,
	route: string,
	body?: unknown,
): Promise<unknown> {
	const send = () =>
		fetch(`${origin}/__sandbox${route}`, {
			method,
			headers: { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
	// A pooled keep-alive connection that the sandbox closed while idle fails once; a new one works.
	const response = await send().catch(send);
	if (!response.ok) throw new Error(`${method} /__sandbox${route}: HTTP ${response.status}`);
	return await response.json();
}
