/**
 * Installing by hand, as the README says: `npm install` of the packed tarball in an empty
 * `~/.n8n/nodes`, with the npm of a Node 20 and of a Node 24 machine. Each install must add exactly
 * the package (npm must not pull a second n8n-workflow as a peer), n8n must load it from there, and
 * an API error must keep its HTTP code, which a second n8n-workflow copy loses (n8n's `instanceof`
 * checks on its error classes fail). The Node 20 install is run by n8n 1.x, the Node 24 one by 2.x.
 * Run with `bash scripts/azeer.sh e2e-hand-install` (CI does); ends with `hand install: N passed, M failed`.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { parse } from 'flatted';

import {
	buildAndPack,
	ensureNodeRuntime,
	installByHand,
	MANUAL_START,
	PACKAGE_NAME,
	packageNodeTypes,
	ROOT,
	type Execution,
	type N8nVersion,
} from '../scripts/lib/n8n.cjs';
import { log, shutdownAll, stopEverythingOnSignals } from '../scripts/lib/process.cjs';
import { CREDENTIAL_NAME, freshUserFolder, provision, startStack } from '../scripts/lib/stack.cjs';
import { check, summary } from './checks.cjs';

const ARTIFACTS = path.join(ROOT, '.artifacts', 'e2e-hand-install');
const INSTALLS: Array<{ nodeVersion: string; n8nVersion: N8nVersion }> = [
	{ nodeVersion: '20.20.2', n8nVersion: '1.123.81' },
	{ nodeVersion: '24.21.0', n8nVersion: '2.40.7' },
];

/** Every package under a node_modules folder, nested ones included, by name. */
function installedPackages(nodeModules: string): string[] {
	if (!fs.existsSync(nodeModules)) return [];
	return fs.readdirSync(nodeModules).flatMap((entry) => {
		if (entry.startsWith('.')) return [];
		const dir = path.join(nodeModules, entry);
		if (entry.startsWith('@')) {
			return fs
				.readdirSync(dir)
				.flatMap((name) => [
					`${entry}/${name}`,
					...installedPackages(path.join(dir, name, 'node_modules')),
				]);
		}
		return [entry, ...installedPackages(path.join(dir, 'node_modules'))];
	});
}

async function handInstall(
	tarball: string,
	nodeVersion: string,
	n8nVersion: N8nVersion,
): Promise<void> {
	const label = `by hand with Node ${nodeVersion}'s npm, run by n8n ${n8nVersion}`;
	const stateDir = path.join(ARTIFACTS, `node-${nodeVersion}`);
	const nodeHome = await ensureNodeRuntime(nodeVersion);
	const userFolder = freshUserFolder(`hand-install-node-${nodeVersion}`);
	const stack = await startStack({
		stateDir,
		userFolder,
		n8nVersion,
		tarball,
		install: installByHand(nodeHome),
	});
	try {
		const { api } = stack.n8n;
		const { credentialId } = await provision(api, stack.sandbox);
		await check(`${label}: npm adds exactly one package, ${PACKAGE_NAME}`, async () => {
			const packages = installedPackages(path.join(userFolder, '.n8n', 'nodes', 'node_modules'));
			assert.deepEqual(packages, [PACKAGE_NAME]);
		});
		await check(`${label}: n8n loads every node and the credential`, async () => {
			const nodes = (await api.types<{ name: string }>('nodes')).map((node) => node.name);
			for (const type of packageNodeTypes()) assert.ok(nodes.includes(type), `${type} missing`);
			const credentials = (await api.types<{ name: string }>('credentials')).map(
				(credential) => credential.name,
			);
			assert.ok(credentials.includes('azeerApi'), 'credential missing');
		});
		await check(
			`${label}: an API error keeps its HTTP code (400) and the API's message`,
			async () => {
				const workflow = await api.createWorkflow({
					name: 'Duplicate tag',
					nodes: [
						MANUAL_START,
						{
							name: 'Create tag',
							type: `${PACKAGE_NAME}.azeer`,
							typeVersion: 1,
							position: [220, 0],
							parameters: { resource: 'tag', operation: 'create', tagName: 'VIP' },
							credentials: { azeerApi: { id: credentialId, name: CREDENTIAL_NAME } },
						},
					],
					connections: { Start: { main: [[{ node: 'Create tag', type: 'main', index: 0 }]] } },
				});
				stack.sandbox.clearRequests();
				const executionId = await api.runManually(String(workflow.id), 'Start');
				assert.equal((await api.waitForExecution(executionId)).status, 'error');
				// The run data as the editor loads it, in the internal API's flatted form.
				const execution = await api.request<Execution>('GET', `/executions/${executionId}`);
				const creates = stack.sandbox.requests().filter((request) => request.path === '/v1/tags');
				assert.deepEqual(
					creates.map((request) => [request.method, request.status, request.body]),
					[['POST', 400, { tag: 'VIP' }]],
				);
				const data = parse(String(execution.data)) as {
					resultData: {
						runData: Record<string, Array<{ error?: { httpCode?: string; message?: string } }>>;
					};
				};
				const error = data.resultData.runData['Create tag']?.[0]?.error;
				assert.equal(error?.httpCode, '400', `node error: ${JSON.stringify(error)}`);
				assert.equal(error?.message, 'A tag named VIP already exists');
			},
		);
	} finally {
		await stack.stop();
	}
}

async function main(): Promise<number> {
	stopEverythingOnSignals();
	fs.rmSync(ARTIFACTS, { recursive: true, force: true });
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	try {
		const tarball = await buildAndPack(
			path.join(ARTIFACTS, 'pack'),
			path.join(ARTIFACTS, 'build.log'),
		);
		for (const { nodeVersion, n8nVersion } of INSTALLS) {
			await check(`install by hand with Node ${nodeVersion}, start n8n ${n8nVersion}`, async () => {
				await handInstall(tarball, nodeVersion, n8nVersion);
			});
		}
	} finally {
		await shutdownAll();
	}
	log(`artifacts (n8n logs): ${ARTIFACTS}`);
	return summary('hand install');
}

main().then(
	(code) => process.exit(code),
	async (error: Error) => {
		log(`hand install crashed: ${error.stack ?? error.message}`);
		await shutdownAll();
		process.exit(summary('hand install', 1));
	},
);
