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
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ensureN8nInstalled, N8N_VERSION } from '../scripts/lib/n8n.cjs';
import {
	argument,
	capture,
	freePort,
	log,
	startService,
	waitFor,
} from '../scripts/lib/process.cjs';
import { v8Collections } from './v8GcTrace.cjs';

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

async function main(): Promise<void> {
	const requests = Number(argument('--requests') ?? 6000);
	const runtime = await ensureN8nInstalled(N8N_VERSION);
	const node = path.join(runtime.nodeHome, 'bin', 'node');
	const n8nModules = path.resolve(path.dirname(runtime.bin), '..', '..');
	const port = await freePort();
	const timesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'azeer-connection-promotion-'));
	const server = startService('answering server', node, [CLIENT, 'serve', String(port)], {
		env: process.env,
		logFile: path.join(timesDir, 'server.log'),
	});
	await waitFor('the answering server', async () =>
		(await fetch(`http://127.0.0.1:${port}/`, { method: 'POST' })).ok ? true : undefined,
	);
	try {
		console.log(
			`${requests} template sends at 1,000/s, at most 32 in flight, to 127.0.0.1, on Node ${runtime.release.nodeVersion} (n8n ${N8N_VERSION}'s)`,
		);
		console.log('| way of sending | young collections | promoted per request | full collections |');
		console.log('|---|---|---|---|');
		for (const { way, what } of WAYS) {
			const timesFile = path.join(timesDir, `${way}.json`);
			const trace = await capture(node, [
				'--trace-gc-nvp',
				CLIENT,
				'send',
				way,
				String(port),
				String(requests),
				timesFile,
				n8nModules,
			]);
			const { startedAt, finishedAt } = JSON.parse(fs.readFileSync(timesFile, 'utf8')) as {
				startedAt: number;
				finishedAt: number;
			};
			const sending = v8Collections(trace).filter(
				({ atMs }) => atMs >= startedAt && atMs <= finishedAt,
			);
			const young = sending.filter(({ kind }) => kind === 's');
			const promoted = young.reduce((sum, { figures }) => sum + (figures.promoted ?? 0), 0);
			const full = sending.filter(({ kind }) => kind === 'mc').length;
			console.log(
				`| ${what} | ${young.length} | ${(promoted / requests / 1024).toFixed(1)} kB | ${full} |`,
			);
		}
	} finally {
		await server.stop();
		fs.rmSync(timesDir, { recursive: true, force: true });
	}
}

main().catch((error: unknown) => {
	log(error instanceof Error ? (error.stack ?? error.message) : String(error));
	process.exit(1);
});
