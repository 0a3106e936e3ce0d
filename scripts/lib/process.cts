/**
 * Child processes for the demo and the end-to-end suite: run a command to completion, start a
 * long-running server in its own process group (so stopping it also stops what it spawned, e.g.
 * n8n's task runner), and stop everything on Ctrl-C, on failure and on exit.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

export function log(message: string): void {
	process.stderr.write(`\x1b[1;36m[azeer]\x1b[0m ${message}\n`);
}

/** The value after `name` on this process's command line (`--top 5` → "5"), if `name` is there. */
export function argument(name: string): string | undefined {
	const index = process.argv.indexOf(name);
	return index >= 0 ? process.argv[index + 1] : undefined;
}

export function formatDuration(ms: number): string {
	const seconds = Math.round(ms / 1000);
	return seconds < 60
		? `${seconds}s`
		: `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/**
 * Runs a command and resolves when it exits 0; output goes to `logFile` when given (and is shown on
 * failure). With `timeoutMs`, the command is killed and the run fails when it takes longer.
 */
export async function run(
	command: string,
	args: string[],
	options: SpawnOptions & { logFile?: string; timeoutMs?: number } = {},
): Promise<void> {
	const { logFile, timeoutMs, ...spawnOptions } = options;
	const out = logFile ? fs.openSync(logFile, 'a') : 'inherit';
	const child = spawn(command, args, { stdio: ['ignore', out, out], ...spawnOptions });
	let timedOut = false;
	const timer =
		timeoutMs === undefined
			? undefined
			: setTimeout(() => {
					timedOut = true;
					child.kill('SIGTERM');
				}, timeoutMs);
	const code = await new Promise<number | null>((resolve, reject) => {
		child.on('error', reject);
		child.on('exit', resolve);
	}).finally(() => clearTimeout(timer));
	if (typeof out === 'number') fs.closeSync(out);
	if (timedOut)
		throw new Error(
			`${command} ${args.join(' ')} took longer than ${formatDuration(timeoutMs ?? 0)}`,
		);
	if (code !== 0) {
		const tail = logFile
			? `\n${fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n')}`
			: '';
		throw new Error(`${command} ${args.join(' ')} exited with ${code}${tail}`);
	}
}

/**
 * CI starts on a fresh machine: installs Debian package `debianPackage` with apt-get (as root, or
 * with `sudo -n`) unless `file` already exists.
 */
export async function ensureDebianPackage(file: string, debianPackage: string): Promise<void> {
	if (fs.existsSync(file)) return;
	log(`${file} is missing; installing the Debian package "${debianPackage}" with apt-get...`);
	const asRoot = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
	const apt = async (...args: string[]) => {
		const [command, ...rest] = [...asRoot, 'apt-get', ...args];
		await run(command, rest, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
	};
	await apt('update');
	await apt('install', '-y', debianPackage);
	if (!fs.existsSync(file))
		throw new Error(`apt-get installed ${debianPackage} but ${file} is missing`);
}

/** Runs a command and returns its stdout. */
export async function capture(
	command: string,
	args: string[],
	options: SpawnOptions = {},
): Promise<string> {
	const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], ...options });
	let stdout = '';
	child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	const code = await new Promise<number | null>((resolve, reject) => {
		child.on('error', reject);
		child.on('exit', resolve);
	});
	if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}`);
	return stdout;
}

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

export async function assertPortFree(port: number, envName: string): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const server = net.createServer();
		server.on('error', () =>
			reject(
				new Error(
					`Port ${port} on 127.0.0.1 is in use. Stop what uses it or set ${envName} to another port.`,
				),
			),
		);
		server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
	});
}

export interface Service {
	name: string;
	child: ChildProcess;
	exited: Promise<number | null>;
	stop(): Promise<void>;
}

const running = new Set<() => Promise<void>>();
let shuttingDown = false;

export function isShuttingDown(): boolean {
	return shuttingDown;
}

/** Registers something to stop on shutdown; returns a function that unregisters it. */
export function onShutdown(stop: () => Promise<void>): () => void {
	running.add(stop);
	return () => running.delete(stop);
}

export async function shutdownAll(): Promise<void> {
	shuttingDown = true;
	const stops = [...running].reverse();
	running.clear();
	for (const stop of stops) {
		await stop().catch((error: Error) => log(`while stopping: ${error.message}`));
	}
}

let signalsHooked = false;

/** Ctrl-C / SIGTERM: stop everything started, then exit. A second Ctrl-C exits at once. */
export function stopEverythingOnSignals(): void {
	if (signalsHooked) return;
	signalsHooked = true;
	let stopping = false;
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.on(signal, () => {
			if (stopping) process.exit(130);
			stopping = true;
			log(`${signal}: stopping everything that was started...`);
			void shutdownAll().finally(() => process.exit(130));
		});
	}
	// Last resort if the script dies without running its cleanup: kill the process groups synchronously.
	process.on('exit', () => {
		for (const group of groups) killGroup(group, 'SIGKILL');
	});
}

const groups = new Set<number>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pid, signal);
	} catch {
		// already gone
	}
}

/** Starts a long-running process in its own process group, output appended to `logFile`. */
export function startService(
	name: string,
	command: string,
	args: string[],
	options: { env: NodeJS.ProcessEnv; cwd?: string; logFile: string },
): Service {
	const out = fs.openSync(options.logFile, 'a');
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: options.env,
		stdio: ['ignore', out, out],
		detached: true,
	});
	fs.closeSync(out);
	const pid = child.pid;
	if (pid === undefined) throw new Error(`could not start ${name}`);
	groups.add(pid);
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	exited.then(() => groups.delete(pid));
	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		killGroup(pid, 'SIGTERM');
		const timeout = new Promise<'timeout'>((resolve) =>
			setTimeout(() => resolve('timeout'), 15000).unref(),
		);
		if ((await Promise.race([exited, timeout])) === 'timeout') {
			log(`${name} did not stop within 15 s; killing it`);
			killGroup(pid, 'SIGKILL');
			await exited;
		}
		// The group may still hold children that outlived their parent.
		killGroup(pid, 'SIGKILL');
		groups.delete(pid);
	};
	const unregister = onShutdown(stop);
	return {
		name,
		child,
		exited,
		stop: async () => {
			unregister();
			await stop();
		},
	};
}

/** Polls `probe` until it returns a value (not undefined), or throws after `timeoutMs`. */
export async function waitFor<T>(
	what: string,
	probe: () => Promise<T | undefined>,
	{ timeoutMs = 30000, intervalMs = 250 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			const value = await probe();
			if (value !== undefined) return value;
		} catch (error) {
			lastError = error;
		}
		if (Date.now() > deadline) {
			const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
			throw new Error(`timed out after ${formatDuration(timeoutMs)} waiting for ${what}${detail}`);
		}
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}
