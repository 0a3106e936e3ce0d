/**
 * Reads a CPU profile of n8n written by `npm run bench -- --only freeze --freeze-profile` and
 * lists its longest stretches without a return to the event loop (consecutive samples that are
 * not V8's "(idle)"), with the nodes n8n was running and the functions that took the time.
 *
 *   bash scripts/azeer.sh tsx bench/cpuProfile.cts <run>.cpuprofile [--top 5]
 *
 * With the run's `<run>.clock.json` beside it, only the measured run counts and each stretch is
 * placed against the nodes' run times; without it, the whole profile counts.
 */
import fs from 'node:fs';

import { argument } from '../scripts/lib/process.cjs';
import { describeStretch, type ProfileClock } from './freezeClock.cjs';
import { type CallFrame, frameName, leafOwner, OWNERS } from './profileOwners.cjs';

interface CpuProfile {
	nodes: Array<{ id: number; callFrame: CallFrame; children?: number[] }>;
	startTime: number;
	endTime: number;
	samples: number[];
	timeDeltas: number[];
}

interface Stretch {
	/** Indexes into the samples, end exclusive. */
	first: number;
	end: number;
	startUs: number;
	durationUs: number;
}

function analyse(profile: CpuProfile, clock: ProfileClock | undefined, top: number): string[] {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parentOf = new Map<number, number>();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parentOf.set(child, node.id);
	const stackOf = (id: number) => {
		const frames: CallFrame[] = [];
		for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at))
			frames.push(byId.get(at)!.callFrame);
		return frames.filter((frame) => frame.functionName !== '(root)');
	};
	// A sample lasts until the next one; timeDeltas[i] is the time before sample i.
	const times: number[] = [];
	let now = profile.startTime;
	for (const delta of profile.timeDeltas) times.push((now += delta));
	const lasting = (index: number) =>
		index + 1 < times.length ? times[index + 1] - times[index] : 0;
	const wallOf = (us: number) => (clock ? clock.wallMs + (us - clock.monotonicUs) / 1000 : NaN);
	const inRun = (index: number) =>
		!clock || (wallOf(times[index]) >= clock.runFromMs && wallOf(times[index]) <= clock.runToMs);
	const idle = (index: number) =>
		byId.get(profile.samples[index])!.callFrame.functionName === '(idle)';

	const stretches: Stretch[] = [];
	let runUs = 0;
	let idleUs = 0;
	for (let index = 0; index < profile.samples.length;) {
		if (!inRun(index)) {
			index++;
			continue;
		}
		if (idle(index)) {
			runUs += lasting(index);
			idleUs += lasting(index);
			index++;
			continue;
		}
		const first = index;
		let durationUs = 0;
		for (; index < profile.samples.length && inRun(index) && !idle(index); index++)
			durationUs += lasting(index);
		runUs += durationUs;
		stretches.push({ first, end: index, startUs: times[first], durationUs });
	}
	const longest = [...stretches].sort((a, b) => b.durationUs - a.durationUs);
	const ms = (us: number) => `${(us / 1000).toFixed(0)} ms`;
	const lines = [
		`${clock ? `run ${clock.label}` : 'whole profile'}: ${ms(runUs)} sampled, ${((100 * idleUs) / Math.max(1, runUs)).toFixed(0)} % idle; stretches without a return to the event loop: ${[50, 100, 200].map((limit) => `${stretches.filter((stretch) => stretch.durationUs >= limit * 1000).length} ≥ ${limit} ms`).join(', ')}`,
	];
	if (clock)
		lines.push(
			`nodes: ${clock.nodes.map((node) => `${node.name} ${new Date(node.startMs).toISOString().slice(11, 23)} + ${node.endMs - node.startMs} ms`).join('; ')}`,
			`longest /healthz gaps: ${clock.gaps
				.slice(0, 5)
				.map(
					(gap) =>
						`${gap.ms.toFixed(0)} ms at ${new Date(gap.fromMs).toISOString().slice(11, 23)} (${gap.during})`,
				)
				.join('; ')}`,
		);
	longest.slice(0, top).forEach((stretch, rank) => {
		const self = new Map<string, number>();
		const total = new Map<string, number>();
		const owned = new Map<string, number>();
		const leaves = new Map<string, number>();
		for (let index = stretch.first; index < stretch.end; index++) {
			const stack = stackOf(profile.samples[index]);
			const us = lasting(index);
			const leaf = stack[0] ? frameName(stack[0]) : '(none)';
			self.set(leaf, (self.get(leaf) ?? 0) + us);
			const owner = leafOwner(stack);
			leaves.set(owner, (leaves.get(owner) ?? 0) + us);
			for (const name of new Set(stack.map(frameName)))
				total.set(name, (total.get(name) ?? 0) + us);
			for (const { owner, matches } of OWNERS)
				if (stack.some(matches)) owned.set(owner, (owned.get(owner) ?? 0) + us);
		}
		const share = (us: number) => `${((100 * us) / stretch.durationUs).toFixed(0)} %`;
		const ranked = (counts: Map<string, number>, count: number) =>
			[...counts]
				.sort((a, b) => b[1] - a[1])
				.slice(0, count)
				.map(([name, us]) => `      ${share(us).padStart(5)}  ${name}`);
		const startMs = wallOf(stretch.startUs);
		const where = clock
			? `at ${new Date(startMs).toISOString().slice(11, 23)}, during ${describeStretch(startMs, startMs + stretch.durationUs / 1000, clock.nodes)}`
			: `at +${ms(stretch.startUs - profile.startTime)} into the profile`;
		lines.push(
			`#${rank + 1}: ${ms(stretch.durationUs)} ${where}`,
			`    samples whose stack holds: ${
				[...owned]
					.sort((a, b) => b[1] - a[1])
					.map(([owner, us]) => `${owner} ${share(us)}`)
					.join(', ') || 'none of ours, the expression engine, the task runner or the database'
			}`,
			`    self time by whose code runs: ${[...leaves]
				.sort((a, b) => b[1] - a[1])
				.slice(0, 6)
				.map(([owner, us]) => `${owner} ${share(us)}`)
				.join(', ')}`,
			'    self time:',
			...ranked(self, 6),
			'    total time (the frame anywhere in the stack):',
			...ranked(total, 12),
		);
	});
	return lines;
}

function main(): void {
	const [file] = process.argv.slice(2).filter((arg) => arg.endsWith('.cpuprofile'));
	if (!file) throw new Error('usage: tsx bench/cpuProfile.cts <run>.cpuprofile [--top 5]');
	const top = Number(argument('--top') ?? 5);
	const clockFile = file.replace(/\.cpuprofile$/, '.clock.json');
	const clock = fs.existsSync(clockFile)
		? (JSON.parse(fs.readFileSync(clockFile, 'utf8')) as ProfileClock)
		: undefined;
	const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
	process.stdout.write(`${analyse(profile, clock, top).join('\n')}\n`);
}

main();
