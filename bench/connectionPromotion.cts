/**
 * What a new connection per request costs the garbage collector, in Node alone and in n8n's HTTP
 * client, against one connection kept open: each way sends the same template bodies to a server
 * on 127.0.0.1 in its own process under V8's `--trace-gc-nvp`, and this prints, over the sending
 * only, how many bytes per request each young-generation collection kept and moved to the old
 * generation (which only a full collection, with its pause, frees again) and how many full
 * collections ran. The node cannot choose: n8n's request helpers open a new connection for every
 * request, whichever node sends (BENCHMARKS.md, "What would close the 100,000-item gap").
 *
 *   bash scripts/azeer.sh tsx bench/connectionPromotion.cts [--requests 6000]
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

import { ensureN8nInstalled, N8N_VERSION } from '../scripts/lib/n8n.cjs';
import { argument, freePort, log } from '../scripts/lib/process.cjs';

const CLIENT = path.join(__dirname, 'connectionClient.cjs');

const WAYS = [
	{ way: 'reused', what: "Node's http, one keep-alive connection" },
	{ way: 'new-connection', what: "Node's http, a new connection per request" },
	{ way: 'n8n', what: `n8n ${N8N_VERSION}'s HTTP client (helpers.httpRequest)` },
	{ way: 'n8n-shared-agents', what: 'the same, its agents shared and kept alive' },
	{
		way: 'n8n-shared-agents-no-redirects',
		what: 'the same, also without following redirects',
	},
];

interface Collections {
	scavenges: number;
	promotedBytes: number;
	fullCollections: number;
}

/** The collections of V8's `--trace-gc-nvp` lines (`[pid:…] 1234 ms: … gc=s … promoted=N …`) in [from, to] ms. */
function collectionsBetween(trace: string, from: number, to: number): Collections {
	const figures: Collections = { scavenges: 0, promotedBytes: 0, fullCollections: 0 };
	for (const line of trace.split('\n')) {
		const at = /\s(\d+) ms: /.exec(line);
		const kind = / gc=(\w+) /.exec(line)?.[1];
		if (!at || !kind || Number(at[1]) < from || Number(at[1]) > to) continue;
		if (kind === 's') {
			figures.scavenges++;
			figures.promotedBytes += Number(/ promoted=(\d+)/.exec(line)?.[1] ?? 0);
		} else if (kind === 'mc') {
			figures.fullCollections++;
		}
	}
	return figures;
}

/** Runs `node args` to its end; its stdout and stderr. */
async function runNode(node: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
	const child = spawn(node, args, { stdio: ['ignore', 'pipe', 'pipe'] });
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
	if (code !== 0) throw new Error(`node ${args.join(' ')} exited with ${code}: ${stderr}`);
	return { stdout, stderr };
}

async function main(): Promise<void> {
	const requests = Number(argument('--requests') ?? 6000);
	const runtime = await ensureN8nInstalled(N8N_VERSION);
	const node = path.join(runtime.nodeHome, 'bin', 'node');
	const n8nModules = path.resolve(path.dirname(runtime.bin), '..', '..');
	const port = await freePort();
	const server = spawn(node, [CLIENT, 'serve', String(port)], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	await new Promise<void>((resolve, reject) => {
		server.stdout.on('data', (chunk: Buffer) => {
			if (chunk.toString().includes('listening')) resolve();
		});
		server.on('exit', (code) => reject(new Error(`the answering server exited with ${code}`)));
	});
	try {
		console.log(
			`${requests} template sends at 1,000/s, at most 32 in flight, to 127.0.0.1, on Node ${runtime.release.nodeVersion} (n8n ${N8N_VERSION}'s)`,
		);
		console.log('| way of sending | young collections | promoted per request | full collections |');
		console.log('|---|---|---|---|');
		for (const { way, what } of WAYS) {
			const { stdout: trace, stderr } = await runNode(node, [
				'--trace-gc-nvp',
				CLIENT,
				'send',
				way,
				String(port),
				String(requests),
				n8nModules,
			]);
			const { startedAt, finishedAt } = JSON.parse(stderr.trim().split('\n').pop()!) as {
				startedAt: number;
				finishedAt: number;
			};
			const figures = collectionsBetween(trace, startedAt, finishedAt);
			console.log(
				`| ${what} | ${figures.scavenges} | ${(figures.promotedBytes / requests / 1024).toFixed(1)} kB | ${figures.fullCollections} |`,
			);
		}
	} finally {
		server.kill();
	}
}

main().catch((error: unknown) => {
	log(error instanceof Error ? (error.stack ?? error.message) : String(error));
	process.exit(1);
});
