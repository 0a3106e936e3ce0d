/**
 * The whole local stack, shared by `npm start` (the demo) and the end-to-end suite: the Azeer
 * sandbox, a real n8n with this package installed from its tarball, the sandbox credential and
 * the example workflows.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { startSandbox, type Sandbox } from '../../sandbox/index';
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
	type N8nVersion,
	type Workflow,
} from './n8n';
import { formatDuration, freePort, log, onShutdown } from './process';

export const CREDENTIAL_NAME = 'Azeer sandbox';
export const CREDENTIAL_TYPE = 'azeerApi';
export const EXAMPLES_DIR = path.join(ROOT, 'examples');
export const EXAMPLE_FILES = {
	echoBot: 'echo-bot.json',
	templateBroadcast: 'template-broadcast.json',
	contactImport: 'contact-import.json',
} as const;
export type ExampleName = keyof typeof EXAMPLE_FILES;

const AZEER_NODE_PREFIX = 'n8n-nodes-azeer.';

/**
 * Reads an example workflow and points its Azeer nodes at the given credential. Trigger nodes get a
 * fresh webhookId so that importing an example twice does not collide on the webhook path.
 */
export function loadExample(name: ExampleName, credential: { id: string; name: string }): Workflow {
	const workflow = JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, EXAMPLE_FILES[name]), 'utf8')) as Workflow;
	for (const node of workflow.nodes) {
		if (!node.type.startsWith(AZEER_NODE_PREFIX)) continue;
		node.credentials = { azeerApi: credential };
		if (node.webhookId) node.webhookId = randomUUID();
	}
	return workflow;
}

export interface Provisioned {
	credentialId: string;
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
	const existing = await api.listWorkflows();
	const workflows = {} as Provisioned['workflows'];
	for (const name of Object.keys(EXAMPLE_FILES) as ExampleName[]) {
		const workflow = loadExample(name, { id: credentialId, name: CREDENTIAL_NAME });
		const found = existing.find((candidate) => candidate.name === workflow.name);
		workflows[name] = (found ?? (await api.createWorkflow(workflow))) as Workflow & { id: string };
	}
	return { credentialId, workflows };
}

export interface Stack {
	sandbox: Sandbox;
	n8n: N8nInstance;
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
	n8nVersion?: N8nVersion;
	/** An already packed tarball (default: build and pack now). */
	tarball?: string;
	/** How the tarball gets into `<userFolder>/.n8n/nodes` (default: the way n8n's installer does). */
	install?: (userFolder: string, tarball: string, logFile: string) => Promise<void>;
}

/** An empty n8n user folder `<cache>/users/<name>` for a test run, outside this repository. */
export function freshUserFolder(name: string): string {
	const folder = path.join(cacheDir(), 'users', name);
	fs.rmSync(folder, { recursive: true, force: true });
	fs.mkdirSync(folder, { recursive: true });
	return folder;
}

/** Builds and packs the package, installs n8n if needed, starts the sandbox and n8n. */
export async function startStack(options: StackOptions): Promise<Stack> {
	const timings: Record<string, string> = {};
	const time = async <T>(label: string, task: () => Promise<T>): Promise<T> => {
		const started = Date.now();
		const result = await task();
		timings[label] = formatDuration(Date.now() - started);
		return result;
	};
	const logsDir = path.join(options.stateDir, 'logs');
	fs.mkdirSync(logsDir, { recursive: true });
	const userFolder = options.userFolder ?? path.join(options.stateDir, 'n8n');
	// Node resolves the package's `require('n8n-workflow')` by walking up from its folder, before
	// the NODE_PATH n8n sets: inside this repository it would find our dev copy, not n8n's own.
	if (!path.relative(ROOT, userFolder).startsWith('..')) {
		throw new Error(`n8n's user folder ${userFolder} must be outside ${ROOT}`);
	}

	if (!options.tarball) log('Building and packing n8n-nodes-azeer...');
	const tarball =
		options.tarball ??
		(await time('build + pack', () => buildAndPack(path.join(options.stateDir, 'pack'), path.join(logsDir, 'build.log'))));
	const runtime = await time('n8n install (cached after the first run)', () =>
		ensureN8nInstalled(options.n8nVersion ?? N8N_VERSION),
	);
	const install = options.install ?? installPackage;
	await time('install package into n8n', () => install(userFolder, tarball, path.join(logsDir, 'install.log')));

	const sandbox = await startSandbox({
		host: '127.0.0.1',
		port: options.sandboxPort ?? 0,
		stateFile: options.sandboxStateFile,
	});
	const unregisterSandbox = onShutdown(() => sandbox.stop());
	log(`Sandbox is up on ${sandbox.origin}`);

	let n8n: N8nInstance;
	try {
		n8n = await time('n8n start', async () =>
			startN8n({
				runtime,
				userFolder,
				port: options.n8nPort ?? (await freePort()),
				brokerPort: await freePort(),
				logFile: path.join(logsDir, 'n8n.log'),
			}),
		);
	} catch (error) {
		unregisterSandbox();
		await sandbox.stop();
		throw error;
	}
	return {
		sandbox,
		n8n,
		tarball,
		timings,
		chatUrl: `${sandbox.origin}/chat`,
		stop: async () => {
			await n8n.stop();
			unregisterSandbox();
			await sandbox.stop();
		},
	};
}
