/**
 * The whole local stack, shared by `npm start` (the demo) and the end-to-end suite: the Azeer
 * sandbox, a real n8n with this package installed from its tarball, the sandbox credential and
 * the example workflows.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { startSandbox, type Sandbox } from '../../sandbox/index.cjs';
import { LLM_PATH } from '../../sandbox/llm.cjs';
import type { RateLimits } from '../../sandbox/throttle.cjs';
import {
	buildAndPack,
	cacheDir,
	ensureN8nInstalled,
	installPackage,
	N8N_VERSION,
	ROOT,
	startN8n,
	type N8nApi,
	type N8nInstance,
	type N8nRuntime,
	type Workflow,
} from './n8n.cjs';
import { formatDuration, freePort, log, onShutdown } from './process.cjs';

export const CREDENTIAL_NAME = 'Azeer sandbox';
export const CREDENTIAL_TYPE = 'azeerApi';
export const EXAMPLES_DIR = path.join(ROOT, 'examples');
export const EXAMPLE_FILES = {
	echoBot: 'echo-bot.json',
	templateBroadcast: 'template-broadcast.json',
	contactImport: 'contact-import.json',
	appointmentConfirmation: 'appointment-confirmation.json',
	aiAssistant: 'ai-assistant.json',
} as const;
/** The OpenAI credential of the AI assistant example, pointed at the sandbox's scripted model. */
export const MODEL_CREDENTIAL = {
	name: 'Scripted model (sandbox)',
	type: 'openAiApi',
	apiKey: 'sandbox-llm-key',
};
export type ExampleName = keyof typeof EXAMPLE_FILES;

const AZEER_NODE_PREFIX = 'n8n-nodes-azeer.';

/** The sandbox address the examples are written for (`npm run sandbox` and `npm start` use it). */
export const EXAMPLES_SANDBOX_ORIGIN = 'http://127.0.0.1:4010';

export interface ExampleTarget {
	azeer: { id: string; name: string };
	model: { id: string; name: string };
	/** Replaces EXAMPLES_SANDBOX_ORIGIN in the example (media URLs) when the sandbox runs elsewhere. */
	sandboxOrigin: string;
}

/**
 * Reads an example workflow and points its Azeer nodes and its model at the given credentials.
 * Trigger nodes get a fresh webhookId so that importing an example twice does not collide on the
 * webhook path.
 */
export function loadExample(name: ExampleName, target: ExampleTarget): Workflow {
	const raw = fs.readFileSync(path.join(EXAMPLES_DIR, EXAMPLE_FILES[name]), 'utf8');
	const workflow = JSON.parse(
		raw.split(EXAMPLES_SANDBOX_ORIGIN).join(target.sandboxOrigin),
	) as Workflow;
	for (const node of workflow.nodes) {
		if (node.credentials?.[MODEL_CREDENTIAL.type])
			node.credentials = { [MODEL_CREDENTIAL.type]: target.model };
		if (!node.type.startsWith(AZEER_NODE_PREFIX)) continue;
		node.credentials = { azeerApi: target.azeer };
		if (node.webhookId) node.webhookId = randomUUID();
	}
	return workflow;
}

export interface Provisioned {
	credentialId: string;
	/** Where the examples were pointed: import another copy of an example with it. */
	exampleTarget: ExampleTarget;
	workflows: Record<ExampleName, Workflow & { id: string }>;
}

/**
 * Logs in (creating the owner on a fresh n8n), points the "Azeer sandbox" credential at the
 * sandbox and imports the examples that are not there yet. Safe to run again on the same n8n.
 */
export async function provision(api: N8nApi, sandbox: Sandbox): Promise<Provisioned> {
	await api.signIn();
	const credentialId = await api.upsertCredential(CREDENTIAL_NAME, CREDENTIAL_TYPE, {
		apiKey: sandbox.keys.readWrite[0],
		baseUrl: sandbox.baseUrl,
	});
	const modelCredentialId = await api.upsertCredential(
		MODEL_CREDENTIAL.name,
		MODEL_CREDENTIAL.type,
		{
			apiKey: MODEL_CREDENTIAL.apiKey,
			url: `${sandbox.origin}${LLM_PATH}/v1`,
		},
	);
	const existing = await api.listWorkflows();
	const workflows = {} as Provisioned['workflows'];
	const exampleTarget: ExampleTarget = {
		azeer: { id: credentialId, name: CREDENTIAL_NAME },
		model: { id: modelCredentialId, name: MODEL_CREDENTIAL.name },
		sandboxOrigin: sandbox.origin,
	};
	for (const name of Object.keys(EXAMPLE_FILES) as ExampleName[]) {
		const workflow = loadExample(name, exampleTarget);
		const found = existing.find((candidate) => candidate.name === workflow.name);
		workflows[name] = (found ?? (await api.createWorkflow(workflow))) as Workflow & { id: string };
	}
	return { credentialId, exampleTarget, workflows };
}

export interface Stack {
	sandbox: Sandbox;
	n8n: N8nInstance;
	/** n8n's user folder; its SQLite database is `.n8n/database.sqlite` in it. */
	userFolder: string;
	/** Stops n8n and starts it again on `port` with the same user folder (its public URL changes). */
	restartN8n(port: number): Promise<N8nInstance>;
	tarball: string;
	timings: Record<string, string>;
	chatUrl: string;
	stop(): Promise<void>;
}

export interface StackOptions {
	/** Holds n8n's user folder (unless `userFolder` is given), logs and the packed tarball. */
	stateDir: string;
	/** n8n's user folder; outside this repository (see startStack). */
	userFolder?: string;
	n8nPort?: number;
	sandboxPort?: number;
	/** Sandbox state file, so the demo's contacts and messages survive a restart. */
	sandboxStateFile?: string;
	/** Rate limits of the sandbox's message sends; default none. */
	rateLimits?: Partial<RateLimits>;
	/** An n8n release (default: the pinned one). */
	n8nVersion?: string;
	/** An already packed tarball (default: build and pack now). */
	tarball?: string;
	/** How the tarball gets into `<userFolder>/.n8n/nodes` (default: the way n8n's installer does). */
	install?: (userFolder: string, tarball: string, logFile: string) => Promise<void>;
}

/**
 * An empty n8n user folder `<cache>/users/<name>-<pid>` for a test run, outside this repository.
 * Per process, because two runs on one machine sharing a folder share n8n's database: the second
 * run's reset logs the first one out mid-run. Folders of processes that are gone are removed.
 */
export function freshUserFolder(name: string): string {
	const users = path.join(cacheDir(), 'users');
	fs.mkdirSync(users, { recursive: true });
	for (const entry of fs.readdirSync(users)) {
		const owner = /-(\d+)$/.exec(entry);
		if (!owner || entry === `${name}-${process.pid}` || processAlive(Number(owner[1]))) continue;
		fs.rmSync(path.join(users, entry), { recursive: true, force: true });
	}
	const folder = path.join(users, `${name}-${process.pid}`);
	fs.rmSync(folder, { recursive: true, force: true });
	fs.mkdirSync(folder, { recursive: true });
	onShutdown(async () => fs.rmSync(folder, { recursive: true, force: true }));
	return folder;
}

function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Collects how long each set-up step took, for the start-up summary. */
export function stepTimer(): {
	timings: Record<string, string>;
	time: <T>(label: string, task: () => Promise<T>) => Promise<T>;
} {
	const timings: Record<string, string> = {};
	const time = async <T,>(label: string, task: () => Promise<T>): Promise<T> => {
		const started = Date.now();
		const result = await task();
		timings[label] = formatDuration(Date.now() - started);
		return result;
	};
	return { timings, time };
}

export interface PreparedN8n {
	tarball: string;
	runtime: N8nRuntime;
	/** N8N_USER_FOLDER, with the package installed in its .n8n/nodes. */
	userFolder: string;
	logsDir: string;
}

export type PrepareOptions = Pick<
	StackOptions,
	'stateDir' | 'userFolder' | 'n8nVersion' | 'tarball' | 'install'
>;

/** Builds and packs the package, installs n8n if needed and installs the tarball into n8n's user folder. */
export async function prepareN8n(
	options: PrepareOptions,
	time: ReturnType<typeof stepTimer>['time'],
): Promise<PreparedN8n> {
	const { stateDir } = options;
	const logsDir = path.join(stateDir, 'logs');
	fs.mkdirSync(logsDir, { recursive: true });
	const userFolder = options.userFolder ?? path.join(stateDir, 'n8n');
	// Node resolves the package's `require('n8n-workflow')` by walking up from its folder, before
	// the NODE_PATH n8n sets: inside this repository it would find our dev copy, not n8n's own.
	if (!path.relative(ROOT, userFolder).startsWith('..')) {
		throw new Error(`n8n's user folder ${userFolder} must be outside ${ROOT}`);
	}

	if (!options.tarball) log('Building and packing n8n-nodes-azeer...');
	const tarball =
		options.tarball ??
		(await time('build + pack', () =>
			buildAndPack(path.join(stateDir, 'pack'), path.join(logsDir, 'build.log')),
		));
	const runtime = await time('n8n install (cached after the first run)', () =>
		ensureN8nInstalled(options.n8nVersion ?? N8N_VERSION),
	);
	const install = options.install ?? installPackage;
	await time('install package into n8n', () =>
		install(userFolder, tarball, path.join(logsDir, 'install.log')),
	);
	return { tarball, runtime, userFolder, logsDir };
}

/** Builds and packs the package, installs n8n if needed, starts the sandbox and n8n. */
export async function startStack(options: StackOptions): Promise<Stack> {
	const { timings, time } = stepTimer();
	const { tarball, runtime, userFolder, logsDir } = await prepareN8n(options, time);

	const sandbox = await startSandbox({
		host: '127.0.0.1',
		port: options.sandboxPort ?? 0,
		stateFile: options.sandboxStateFile,
		rateLimits: options.rateLimits,
	});
	const unregisterSandbox = onShutdown(() => sandbox.stop());
	log(`Sandbox is up on ${sandbox.origin}`);

	const launch = async (port: number) =>
		startN8n({
			runtime,
			userFolder,
			port,
			brokerPort: await freePort(),
			logFile: path.join(logsDir, 'n8n.log'),
		});
	let n8n: N8nInstance;
	try {
		n8n = await time('n8n start', async () => launch(options.n8nPort ?? (await freePort())));
	} catch (error) {
		unregisterSandbox();
		await sandbox.stop();
		throw error;
	}
	const stack: Stack = {
		sandbox,
		n8n,
		userFolder,
		restartN8n: async (port) => {
			await stack.n8n.stop();
			stack.n8n = await launch(port);
			await stack.n8n.api.signIn();
			return stack.n8n;
		},
		tarball,
		timings,
		chatUrl: `${sandbox.origin}/chat`,
		stop: async () => {
			await stack.n8n.stop();
			unregisterSandbox();
			await sandbox.stop();
		},
	};
	return stack;
}

/**
 * Makes an active workflow's Azeer Trigger webhooks point at n8n's current URL. n8n 2.40 runs
 * no trigger code for workflows that are already active when it starts, so after a restart on
 * another port (or host) their webhooks still point at the old address. Deletes the sandbox's
 * webhooks of the workflow's trigger that point elsewhere, then deactivates and activates the
 * workflow so that the trigger registers itself again. Returns whether anything was moved.
 */
export async function republishIfMoved(
	stack: Stack,
	workflow: Workflow & { id: string },
): Promise<boolean> {
	const saved = await stack.n8n.api.getWorkflow(workflow.id);
	const trigger = saved.nodes.find((node) => node.type === `${AZEER_NODE_PREFIX}azeerTrigger`);
	if (!trigger?.webhookId || !saved.active) return false;
	const path = `/webhook/${trigger.webhookId}/webhook`;
	const current = `${stack.n8n.url}${path}`;
	const ofTrigger = stack.sandbox.webhooks().filter((hook) => new URL(hook.url).pathname === path);
	const stale = ofTrigger.filter((hook) => hook.url.split('?')[0] !== current);
	if (stale.length === 0 && ofTrigger.length > 0) return false;
	log(
		`${workflow.name}: its Azeer webhook points at ${stale[0]?.url.split('?')[0] ?? 'nothing'}, not ${current}; publishing it again`,
	);
	for (const hook of stale) {
		const response = await fetch(`${stack.sandbox.baseUrl}/webhook/${hook.id}`, {
			method: 'DELETE',
			headers: { authorization: `Bearer ${stack.sandbox.keys.readWrite[0]}` },
		});
		if (!response.ok && response.status !== 404)
			throw new Error(`could not delete stale webhook ${hook.id}: ${response.status}`);
	}
	await stack.n8n.api.deactivate(workflow.id);
	await stack.n8n.api.activate(workflow.id);
	return true;
}
