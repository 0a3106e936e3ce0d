/**
 * V8's `--trace-gc-nvp` lines, one per garbage collection:
 * `[<pid>:0x…:0]   1234 ms: pause=0.5 … gc=s … promoted=378528 …`, the time in milliseconds since
 * the process's V8 started. Read by the freeze bench (from n8n's log) and by
 * bench/connectionPromotion.cts.
 */

export interface V8Collection {
	pid: number;
	/** Milliseconds since the process's V8 started. */
	atMs: number;
	/** `s` a young-generation collection (scavenge), `mc` a major one (mark-compact). */
	kind: string;
	/** Every numeric `name=value` of the line, e.g. `promoted`, `incremental`, `end_object_size`. */
	figures: Record<string, number>;
}

const LINE = /^\[(\d+):[^\]]*\]\s+(\d+) ms: (.*)$/;

export function v8Collections(text: string): V8Collection[] {
	const collections: V8Collection[] = [];
	for (const line of text.split('\n')) {
		const match = LINE.exec(line);
		const kind = match && / gc=(\w+)/.exec(match[3])?.[1];
		if (!match || !kind) continue;
		const figures: Record<string, number> = {};
		for (const [, name, value] of match[3].matchAll(/([\w.]+)=(-?[\d.]+)(?=\s|%|$)/g))
			figures[name] = Number(value);
		collections.push({ pid: Number(match[1]), atMs: Number(match[2]), kind, figures });
	}
	return collections;
}
