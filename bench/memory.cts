/**
 * Run in a child process by bench/run.cts, so that the figure is this workload's alone:
 * RSS after a warm-up and a GC, then the peak RSS (getrusage maxrss) while `count` items of
 * Send Text go through the given node. Prints one JSON line.
 */
import { MEMORY_WORKLOADS, textItems } from './workloads.cjs';

async function main(): Promise<void> {
	const [baseUrl, which, countText] = process.argv.slice(2);
	const send = MEMORY_WORKLOADS[which as keyof typeof MEMORY_WORKLOADS];
	if (!send) throw new Error(`unknown workload ${which}`);
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) throw new Error('run with --expose-gc');
	await send(baseUrl, textItems(200));
	gc();
	const baselineBytes = process.memoryUsage().rss;
	const items = textItems(Number(countText));
	const begin = performance.now();
	await send(baseUrl, items);
	const milliseconds = performance.now() - begin;
	const peakBytes = process.resourceUsage().maxRSS * 1024;
	process.stdout.write(`${JSON.stringify({ baselineBytes, peakBytes, milliseconds })}\n`);
}

main().then(
	() => process.exit(0),
	(error: Error) => {
		process.stderr.write(`${error.stack}\n`);
		process.exit(1);
	},
);
