/**
 * Reads an allocation profile of n8n written by `npm run bench -- --only freeze
 * --freeze-alloc-profile` and says whose code allocated what over the process's life (start-up
 * included): each sampled allocation counts for the innermost frame of its stack that belongs to
 * a known owner (bench/profileOwners.cts), so n8n's helpers called by our code count as ours.
 *
 *   bash scripts/azeer.sh tsx bench/allocationProfile.cts <run>.heapprofile [--items N] [--top 15]
 *     [--frames-of "HTTP client"]
 *
 * With `--items N` each owner's share is also given per item of the run. The frames listed are
 * our package's, or with `--frames-of` those of the first owner whose name holds the text.
 */
import fs from 'node:fs';

import { argument } from '../scripts/lib/process.cjs';
import { type CallFrame, frameName, OWNERS } from './profileOwners.cjs';

interface ProfileNode {
	callFrame: CallFrame;
	selfSize: number;
	children?: ProfileNode[];
}

const OTHER = 'the rest of n8n and Node';

function main(): void {
	const [file] = process.argv.slice(2).filter((arg) => arg.endsWith('.heapprofile'));
	if (!file)
		throw new Error(
			'usage: tsx bench/allocationProfile.cts <run>.heapprofile [--items N] [--top 15]',
		);
	const items = Number(argument('--items') ?? 0);
	const top = Number(argument('--top') ?? 15);
	const framesOf = argument('--frames-of');
	const listed = framesOf
		? OWNERS.find(({ owner }) => owner.includes(framesOf))?.owner
		: OWNERS[0].owner;
	if (!listed) throw new Error(`no owner's name holds "${framesOf}"`);
	const { head } = JSON.parse(fs.readFileSync(file, 'utf8')) as { head: ProfileNode };

	const byOwner = new Map<string, number>();
	const frames = new Map<string, number>();
	let total = 0;
	const visit = (node: ProfileNode, stack: CallFrame[]) => {
		const stackFrames = [...stack, node.callFrame];
		if (node.selfSize) {
			total += node.selfSize;
			let owner = OTHER;
			for (let at = stackFrames.length - 1; at >= 0; at--) {
				const named = OWNERS.find(({ matches }) => matches(stackFrames[at]));
				if (!named) continue;
				owner = named.owner;
				if (owner === listed) {
					const where = `${frameName(stackFrames[at])}${at < stackFrames.length - 1 ? ` → ${frameName(stackFrames[stackFrames.length - 1])}` : ''}`;
					frames.set(where, (frames.get(where) ?? 0) + node.selfSize);
				}
				break;
			}
			byOwner.set(owner, (byOwner.get(owner) ?? 0) + node.selfSize);
		}
		for (const child of node.children ?? []) visit(child, stackFrames);
	};
	visit(head, []);

	const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
	const perItem = (bytes: number) =>
		items ? `, ${(bytes / items / 1000).toFixed(1)} kB per item` : '';
	const lines = [`${file}: ${mb(total)} allocated (sampled), by whose code allocated it:`];
	for (const [owner, bytes] of [...byOwner].sort((a, b) => b[1] - a[1]))
		lines.push(
			`  ${mb(bytes).padStart(8)}  ${((100 * bytes) / total).toFixed(0).padStart(3)} %  ${owner}${perItem(bytes)}`,
		);
	lines.push(`${listed}, by its innermost frame → the allocating frame (top ${top}):`);
	for (const [where, bytes] of [...frames].sort((a, b) => b[1] - a[1]).slice(0, top))
		lines.push(`  ${mb(bytes).padStart(8)}  ${where}`);
	process.stdout.write(`${lines.join('\n')}\n`);
}

main();
