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
	ensureN8nInstalled,
	installPackage,
	ROOT,
	startN8n,
	type N8nApi,
	type N8nInstance,
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
	/** Holds n8n's user folder, logs and the packed tarball. */
	stateDir: string;
	n8nPort?: number;
	sandboxPort?: number;
	/** Sandbox state file, so the demo's contacts and messages survive a restart. */
	sandboxStateFile?: string;
}

/** Collects how long each set-up step took, for the start-up summary. */
export function stepTimer(): {
	timings: Record<string, string>;
	time: <T>(label: string, task: () => Promise<T>) => Promise<T>;
} {
	const timings: Record<string, string> = {};
	const time = async <T>(label: string, task: () => Promise<T>): Promise<T> => {
		const started = Date.now();
		const result = await task();
		timings[label] = formatDuration(Date.now() - started);
		return result;
	};
	return { timings, time };
}

export interface PreparedN8n {
	tarball: string;
	n8nBin: string;
	/** N8N_USER_FOLDER, with the package installed in its .n8n/nodes. */
	userFolder: string;
	logsDir: string;
}

/** Builds and packs the package, installs n8n if needed and installs the tarball into n8n's user folder. */
export async function prepareN8n(stateDir: string, time: ReturnType<typeof stepTimer>['time']): Promise<PreparedN8n> {
	const logsDir = path.join(stateDir, 'logs');
	fs.mkdirSync(logsDir, { recursive: true });
	const userFolder = path.join(stateDir, 'n8n');

	log('Building and packing n8n-nodes-azeer...');
	const tarball = await time('build + pack', () =>
		buildAndPack(path.join(stateDir, 'pack'), path.join(logsDir, 'build.log')),
	);
	const n8nBin = await time('n8n install (cached after the first run)', ensureN8nInstalled);
	await time('install package into n8n', () => installPackage(userFolder, tarball, path.join(logsDir, 'install.log')));
	return { tarball, n8nBin, userFolder, logsDir };
}

/** Builds and packs the package, installs n8n if needed, starts the sandbox and n8n. */
export async function startStack(options: StackOptions): Promise<Stack> {
	const { timings, time } = stepTimer();
	const { tarball, n8nBin, userFolder, logsDir } = await prepareN8n(options.stateDir, time);

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
				bin: n8nBin,
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
