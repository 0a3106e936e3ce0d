/** Where a freeze run's wall clock meets the nodes n8n ran and the clock of its CPU profile. */

/** A node's run as n8n recorded it (wall clock of n8n's process). */
export interface NodeWindow {
	name: string;
	startMs: number;
	endMs: number;
}

export const overlapMs = (fromMs: number, toMs: number, startMs: number, endMs: number) =>
	Math.max(0, Math.min(toMs, endMs) - Math.max(fromMs, startMs));

/**
 * What n8n was doing during a stretch of wall clock: each node it overlaps and for how long,
 * longest first (the first `parts` of them); the time outside every node is "before the first
 * node", "between nodes" or "after the last node (saving)".
 */
export function describeStretch(
	fromMs: number,
	toMs: number,
	nodes: NodeWindow[],
	parts = Infinity,
): string {
	if (nodes.length === 0) return 'no run data';
	const firstStart = Math.min(...nodes.map((node) => node.startMs));
	const lastEnd = Math.max(...nodes.map((node) => node.endMs));
	const pieces = nodes.map((node) => ({
		what: node.name,
		ms: overlapMs(fromMs, toMs, node.startMs, node.endMs),
	}));
	const before = overlapMs(fromMs, toMs, -Infinity, firstStart);
	const after = overlapMs(fromMs, toMs, lastEnd, Infinity);
	const inNodes = pieces.reduce((sum, piece) => sum + piece.ms, 0);
	pieces.push(
		{ what: 'before the first node', ms: before },
		{ what: 'after the last node (saving)', ms: after },
		{ what: 'between nodes', ms: Math.max(0, toMs - fromMs - inNodes - before - after) },
	);
	return pieces
		.filter((piece) => piece.ms >= 1)
		.sort((a, b) => b.ms - a.ms)
		.slice(0, parts)
		.map((piece) => `${piece.what} ${Math.round(piece.ms)} ms`)
		.join(', ');
}

/** Where a profile's clock (V8's monotonic microseconds) meets the wall clock; the run's nodes. */
export interface ProfileClock {
	label: string;
	mainPid: number;
	/** process.hrtime (the same monotonic clock as V8's profiler) and Date.now(), read together. */
	monotonicUs: number;
	wallMs: number;
	/** The measured run: from the webhook call to the last /healthz answer. */
	runFromMs: number;
	runToMs: number;
	nodes: NodeWindow[];
	/** The longest /healthz gaps of the run, longest first (wall clock). */
	gaps: Array<{ fromMs: number; toMs: number; ms: number; during: string }>;
}
