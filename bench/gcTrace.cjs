/**
 * Loaded into the measured n8n with `--require` by `npm run bench -- --only freeze
 * --freeze-gc-trace`: writes to `$AZEER_GC_TRACE_DIR/gc.<pid>.jsonl` one line per garbage
 * collection of at least MIN_GC_MS (with the heap used once it is over) and one per stall, when a
 * timer due every TICK_MS ran at least MIN_STALL_MS late, each with its wall-clock start, after a
 * first line with the process's own start on the wall clock. It also turns on V8's
 * `--trace-gc-nvp`, whose line per collection (its phases, the main thread's share of incremental
 * marking, what a scavenge promoted) goes to n8n's log, timed from that start.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { constants, performance, PerformanceObserver } = require('node:perf_hooks');
const v8 = require('node:v8');

const MIN_GC_MS = 5;
const MIN_STALL_MS = 50;
const TICK_MS = 10;

const KINDS = {
	[constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
	[constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
	[constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
	[constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};

const dir = process.env.AZEER_GC_TRACE_DIR;
if (dir) {
	v8.setFlagsFromString('--trace-gc-nvp');
	const out = fs.openSync(path.join(dir, `gc.${process.pid}.jsonl`), 'a');
	const write = (entry) => fs.writeSync(out, `${JSON.stringify(entry)}\n`);
	const wallOf = (monotonicMs) => Math.round(performance.timeOrigin + monotonicMs);
	// V8's lines count from the process's start: this puts them on the wall clock.
	write({ processStartedAt: wallOf(0) });

	new PerformanceObserver((list) => {
		for (const entry of list.getEntries()) {
			if (entry.duration < MIN_GC_MS) continue;
			write({
				at: wallOf(entry.startTime),
				gc: KINDS[entry.detail.kind] ?? String(entry.detail.kind),
				ms: Math.round(entry.duration * 10) / 10,
				heapUsedMb: Math.round(v8.getHeapStatistics().used_heap_size / 1e6),
			});
		}
	}).observe({ entryTypes: ['gc'] });

	let last = performance.now();
	setInterval(() => {
		const now = performance.now();
		if (now - last - TICK_MS >= MIN_STALL_MS)
			write({ at: wallOf(last), stallMs: Math.round(now - last) });
		last = now;
	}, TICK_MS).unref();
}
