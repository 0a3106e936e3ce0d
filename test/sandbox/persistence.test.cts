/** The state file and its journal: every change reaches it, a clean stop folds it, a kill loses nothing whole. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startSandbox } from '../../sandbox/index.cjs';
import type { Sandbox, StateData } from '../../sandbox/index.cjs';
import { journalFile, loadState } from '../../sandbox/persistence.cjs';
import { seedState } from '../../sandbox/state.cjs';
import { callOk, TEMPLATE_ORDER_UPDATE } from './helpers.cjs';

const ROOT = join(__dirname, '../..');
const PHONE = '966511111111';

let dir: string;
let stateFile: string;

beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'azeer-state-'));
	stateFile = join(dir, 'state.json');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** What a reload must give back: the state as JSON (undefined fields dropped, as on disk). */
const asStored = (data: StateData) => JSON.parse(JSON.stringify(data)) as StateData;

const journalLines = () => readFileSync(journalFile(stateFile), 'utf8').split('\n').filter(Boolean);

/** Touches every collection through the API and the control methods. */
async function changeEverything(sandbox: Sandbox): Promise<void> {
	await callOk(sandbox, 'POST', '/tags', { body: { tag: 'Journaled' } });
	await callOk(sandbox, 'POST', '/agent', {
		body: {
			name: 'Lina Agent',
			display_name: 'Lina',
			email: 'lina@example.com',
			role: 'agent',
			status: 'active',
		},
	});
	await callOk(sandbox, 'PATCH', '/agent/2', { body: { name: 'Omar Renamed' } });
	const webhook = {
		name: 'w',
		description: '',
		url: 'http://127.0.0.1:9/h',
		event: 'new_contact',
		securetoken: 'keep-me',
		policy: 'none',
		enabled: false,
	};
	await callOk(sandbox, 'POST', '/webhook', { body: webhook });
	await callOk(sandbox, 'POST', '/webhook', { body: { ...webhook, name: 'gone' } });
	await callOk(sandbox, 'DELETE', '/webhook/2');
	await callOk(sandbox, 'POST', '/contact/create', {
		body: {
			mode: 'sync',
			contacts: [{ platform_id: '966533333333', profile_name: 'Mona', tags: [2] }],
		},
	});
	sandbox.inbound({ from: PHONE, text: 'hello' });
	await callOk(sandbox, 'POST', '/message/send', {
		body: { to: PHONE, type: 'text', text: { body: 'hi Ahmed' } },
	});
	for (const to of ['966544444444', '966555555555'])
		await callOk(sandbox, 'POST', '/message/send', {
			query: { create: 'true' },
			body: { to, type: 'template', template: TEMPLATE_ORDER_UPDATE },
		});
	sandbox.advanceStatuses(2);
	sandbox.setStatus(3, 'failed');
	await callOk(sandbox, 'DELETE', '/message/4');
	sandbox.fireEvent('template_approved', { template_name: 'black_friday', language: 'en' });
	// Last, so that no later change of the same contact carries them along.
	await callOk(sandbox, 'POST', '/contact/tags', { body: { platform_id: PHONE, tag_ids: [2] } });
	await callOk(sandbox, 'POST', '/contact/assign', {
		body: { platform_id: PHONE, assigned_platform_id: 'omar@example.com' },
	});
}

describe('sandbox state file', () => {
	it('journals every kind of change, so that a reload without a stop finds them all', async () => {
		const sandbox = await startSandbox({ stateFile, statusDelayMs: -1 });
		try {
			const seed = readFileSync(stateFile, 'utf8');
			await changeEverything(sandbox);
			sandbox.persist();
			// As if the process died now: the snapshot is still the seed, the journal holds the rest.
			expect(readFileSync(stateFile, 'utf8')).toBe(seed);
			expect(journalLines().length).toBeGreaterThan(1);
			const reloaded = loadState(stateFile)!;
			expect(reloaded.data).toEqual(asStored(sandbox.state()));
			expect(reloaded.data.templates.find((t) => t.name === 'black_friday')?.status).toBe(
				'approved',
			);
			expect(reloaded.data.messages.map((m) => [m.message_id, m.status])).toEqual([
				[1, 'received'],
				[2, 'delivered'],
				[3, 'failed'],
			]);
		} finally {
			await sandbox.stop();
		}
	});

	it('batches the changes of one moment into one journal entry, appended a moment later', async () => {
		const sandbox = await startSandbox({ stateFile, statusDelayMs: -1 });
		try {
			for (let i = 0; i < 20; i++) sandbox.inbound({ from: PHONE, text: `burst ${i}` });
			expect(journalLines()).toHaveLength(1);
			// The batch is due after FLUSH_DELAY_MS; a loaded machine may run the timer late.
			for (let waited = 0; journalLines().length < 2 && waited < 5000; waited += 50)
				await new Promise((resolve) => setTimeout(resolve, 50));
			expect(journalLines()).toHaveLength(2);
			expect(JSON.parse(journalLines()[1]).messages).toHaveLength(20);
		} finally {
			await sandbox.stop();
		}
	});

	it('folds the journal into the state file on stop, and starts again from it', async () => {
		const first = await startSandbox({ stateFile, statusDelayMs: -1 });
		await changeEverything(first);
		const before = asStored(first.state());
		await first.stop();
		expect(journalLines()).toHaveLength(1);
		const { snapshot, ...onDisk } = JSON.parse(readFileSync(stateFile, 'utf8'));
		expect(onDisk).toEqual(before);
		expect(JSON.parse(journalLines()[0])).toEqual({ journal: 1, snapshot });
		const second = await startSandbox({ stateFile, statusDelayMs: -1 });
		try {
			expect(second.loadedState).toEqual({ snapshotId: snapshot, replayed: 0, ignoredBytes: 0 });
			expect(asStored(second.state())).toEqual(before);
			const sent = await callOk(second, 'POST', '/message/send', {
				body: { to: '966544444444', type: 'template', template: TEMPLATE_ORDER_UPDATE },
			});
			expect(sent.body.data.message_id).toBe(5);
			expect(second.messages('966544444444').map((m) => m.parent_message_id)).toEqual([null, 3]);
		} finally {
			await second.stop();
		}
	});

	it('loads a state file written as pretty JSON before the journal existed, ids and threads intact', async () => {
		const first = await startSandbox({ statusDelayMs: -1 });
		await changeEverything(first);
		const old = asStored(first.state());
		await first.stop();
		writeFileSync(stateFile, JSON.stringify(old, null, '\t'));
		const sandbox = await startSandbox({ stateFile, statusDelayMs: -1 });
		try {
			expect(sandbox.loadedState).toEqual({ snapshotId: undefined, replayed: 0, ignoredBytes: 0 });
			expect(asStored(sandbox.state())).toEqual(old);
			expect(sandbox.setStatus(3, 'read').to).toBe('966544444444');
			expect(() => sandbox.setStatus(4, 'read')).toThrow('No outgoing message 4');
			const sent = await callOk(sandbox, 'POST', '/message/send', {
				body: { to: '966544444444', type: 'template', template: TEMPLATE_ORDER_UPDATE },
			});
			expect(sent.body.data.message_id).toBe(5);
			expect(sandbox.messages('966544444444').map((m) => m.parent_message_id)).toEqual([null, 3]);
			// Rewritten at start as a snapshot with its own (empty) journal.
			expect(JSON.parse(readFileSync(stateFile, 'utf8')).snapshot).toEqual(expect.any(String));
		} finally {
			await sandbox.stop();
		}
		expect(loadState(stateFile)!.data.messages.map((m) => m.message_id)).toEqual([1, 2, 3, 5]);
	});

	it('ignores a journal entry cut short, keeps every whole one, and goes on from there', async () => {
		const first = await startSandbox({ stateFile, statusDelayMs: -1 });
		first.inbound({ from: PHONE, text: 'kept' });
		first.persist();
		const kept = asStored(first.state());
		first.inbound({ from: PHONE, text: 'cut short' });
		first.persist();
		const snapshot = readFileSync(stateFile, 'utf8');
		const [header, whole, last] = journalLines();
		await first.stop();
		// As a process that died while writing its last entry leaves them: 40 bytes of it made it.
		writeFileSync(stateFile, snapshot);
		writeFileSync(journalFile(stateFile), `${header}\n${whole}\n${last.slice(0, 40)}`);
		const loaded = loadState(stateFile)!;
		expect(loaded.replayed).toBe(1);
		expect(loaded.ignoredBytes).toBe(40);
		expect(loaded.data).toEqual(kept);

		const second = await startSandbox({ stateFile, statusDelayMs: -1 });
		try {
			expect(second.loadedState).toMatchObject({ replayed: 1, ignoredBytes: 40 });
			expect(second.messages().map((m) => m.text)).toEqual(['kept']);
			second.inbound({ from: PHONE, text: 'after' });
			second.persist();
			expect(loadState(stateFile)!.data.messages.map((m) => [m.message_id, m.text])).toEqual([
				[1, 'kept'],
				[2, 'after'],
			]);
		} finally {
			await second.stop();
		}
	});

	it('ignores garbage in the journal and a journal left from an earlier snapshot', async () => {
		const sandbox = await startSandbox({ stateFile, statusDelayMs: -1 });
		sandbox.inbound({ from: PHONE, text: 'one' });
		await sandbox.stop();
		const snapshot = readFileSync(stateFile, 'utf8');
		const header = journalLines()[0];
		appendFileSync(journalFile(stateFile), '{"next": not json}\n');
		expect(loadState(stateFile)).toMatchObject({ replayed: 0, ignoredBytes: 19 });
		// A compaction that died after renaming its snapshot: the journal names the one before.
		writeFileSync(
			journalFile(stateFile),
			`${JSON.stringify({ journal: 1, snapshot: 'an-earlier-one' })}\n${JSON.stringify({ next: seedState().next, messages: [] })}\n`,
		);
		const loaded = loadState(stateFile)!;
		expect(loaded.replayed).toBe(0);
		expect(loaded.data.messages.map((m) => m.text)).toEqual(['one']);
		expect(readFileSync(stateFile, 'utf8')).toBe(snapshot);
		expect(header).toContain(loaded.snapshotId);
	});
});

interface CliSandbox {
	child: ChildProcess;
	origin: string;
	exited: Promise<number | null>;
}

async function startCli(file: string): Promise<CliSandbox> {
	const child = spawn(
		process.execPath,
		['--import', 'tsx', 'sandbox/cli.cts', '--port', '0', '--no-limits', '--state', file],
		{ cwd: ROOT },
	);
	const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
	let output = '';
	child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const origin = await new Promise<string>((resolve, reject) => {
		child.stdout.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			const match = /Control API:\s+(\S+)\/__sandbox/.exec(output);
			if (match) resolve(match[1]);
		});
		void exited.then((code) => reject(new Error(`CLI exited ${code}: ${output}`)));
	});
	return { child, origin, exited };
}

interface Acknowledged {
	message_id: number;
	id: string;
}

/**
 * Sends templates to new numbers, 16 at a time, until the sandbox stops answering or `limit`
 * were acknowledged; `onAcknowledged` sees the running count (to pull the plug mid-way).
 */
async function sendUntilGone(
	origin: string,
	firstPhone: number,
	limit: number,
	onAcknowledged: (count: number) => void,
): Promise<Acknowledged[]> {
	const acknowledged: Acknowledged[] = [];
	let next = 0;
	const worker = async () => {
		while (next < limit) {
			const to = String(firstPhone + next++);
			const answer = await fetch(`${origin}/v1/message/send?create=true`, {
				method: 'POST',
				headers: { authorization: 'Bearer sandbox-rw-key', 'content-type': 'application/json' },
				body: JSON.stringify({ to, type: 'template', template: TEMPLATE_ORDER_UPDATE }),
			}).then(
				async (response) => (response.ok ? ((await response.json()).data as Acknowledged) : null),
				() => null,
			);
			if (!answer) return;
			acknowledged.push({ message_id: answer.message_id, id: answer.id });
			onAcknowledged(acknowledged.length);
		}
	};
	await Promise.all(Array.from({ length: 16 }, worker));
	return acknowledged;
}

/** The state is whole: ids run 1..n, every message's contact exists, the counters are past them. */
function expectConsistent(data: StateData): void {
	const ids = data.messages.map((m) => m.message_id);
	expect(ids).toEqual(ids.map((_, index) => index + 1));
	expect(data.next.message).toBe(ids.length + 1);
	const contacts = new Set(data.contacts.map((c) => c.id));
	expect(contacts.size).toBe(data.contacts.length);
	expect(data.messages.filter((m) => !contacts.has(m.contact_id))).toEqual([]);
	expect(Math.max(...contacts)).toBeLessThan(data.next.contact);
	expect(data.messages.filter((m) => m.status_history.at(-1)?.status !== m.status)).toEqual([]);
}

const KILL_TEST_TIMEOUT_MS = 120_000;

describe('sandbox state file when the process is killed', () => {
	it(
		'keeps a consistent state through SIGKILLs during heavy writes, each restart going on from it',
		async () => {
			const all = new Map<number, string>();
			for (let round = 0; round < 3; round++) {
				const sandbox = await startCli(stateFile);
				const killAt = 300 + round * 200;
				const acknowledged = await sendUntilGone(
					sandbox.origin,
					966560000000 + round * 10_000,
					5000,
					(count) => count === killAt && sandbox.child.kill('SIGKILL'),
				);
				await sandbox.exited;
				for (const { message_id, id } of acknowledged) all.set(message_id, id);
				const { data } = loadState(stateFile)!;
				expectConsistent(data);
				// Whatever was kept is what was acknowledged under that id; at most the last moments are lost.
				expect(data.messages.filter((m) => all.get(m.message_id) !== m.id)).toEqual([]);
				expect(data.messages.length).toBeGreaterThan(0);
			}
		},
		KILL_TEST_TIMEOUT_MS,
	);

	it.each(['SIGINT', 'SIGTERM'] as const)(
		'keeps every acknowledged send when stopped with %s during heavy writes',
		async (signal) => {
			const sandbox = await startCli(stateFile);
			const acknowledged = await sendUntilGone(
				sandbox.origin,
				966570000000,
				5000,
				(count) => count === 800 && sandbox.child.kill(signal),
			);
			expect(await sandbox.exited).toBe(0);
			expect(acknowledged.length).toBeGreaterThanOrEqual(800);
			expect(journalLines()).toHaveLength(1);
			const { data } = loadState(stateFile)!;
			expectConsistent(data);
			const stored = new Map(data.messages.map((m) => [m.message_id, m.id]));
			expect(acknowledged.filter((a) => stored.get(a.message_id) !== a.id)).toEqual([]);
			// A send in flight at the signal may have been stored without its answer getting out.
			expect(data.messages.length - acknowledged.length).toBeLessThanOrEqual(16);
		},
		KILL_TEST_TIMEOUT_MS,
	);
});
