/**
 * The sandbox's state on disk: a JSON snapshot (the state file) plus an append-only journal
 * beside it (`<file>.journal`) of the records that changed, written in batches off the request
 * path, compacted into a new snapshot as it grows and on a clean stop, and flushed on exit.
 */
import { randomUUID } from 'node:crypto';
import {
	closeSync,
	existsSync,
	openSync,
	readFileSync,
	renameSync,
	statSync,
	writeFileSync,
	writeSync,
} from 'node:fs';

import type { Contact, StateData, StoredMessage } from './state.cjs';

/** How long a change may wait in memory before its batch is appended to the journal. */
export const FLUSH_DELAY_MS = 25;
/** The journal is compacted into a new snapshot once it is larger than this and twice the snapshot. */
const COMPACT_MIN_BYTES = 16 * 1024 * 1024;

/** What the world reports after changing its data (see World's `onChange`). */
export type StateChange =
	| { kind: 'message'; message: StoredMessage }
	| { kind: 'messageDeleted'; messageId: number }
	| { kind: 'contact'; contact: Contact }
	| { kind: 'reset' }
	| { kind: 'other' };

/** The small collections, kept whole in a batch whenever one of them changed. */
type Rest = Pick<StateData, 'agents' | 'tags' | 'templates' | 'customFields' | 'webhooks'>;

/** One line of the journal: the records a batch changed, in their state at the flush. */
interface JournalBatch {
	next: StateData['next'];
	messages?: StoredMessage[];
	contacts?: Contact[];
	deleted?: number[];
	rest?: Rest;
}

interface JournalHeader {
	journal: 1;
	snapshot: string;
}

export interface LoadedState {
	data: StateData;
	/** The snapshot's id; undefined for a state file written before the journal existed. */
	snapshotId?: string;
	/** Batches replayed from the journal (0 after a clean stop). */
	replayed: number;
	/** Bytes at the end of the journal that were not a whole batch (a write cut short) and were ignored. */
	ignoredBytes: number;
}

export function journalFile(stateFile: string): string {
	return `${stateFile}.journal`;
}

function restOf(data: StateData): Rest {
	const { agents, tags, templates, customFields, webhooks } = data;
	return { agents, tags, templates, customFields, webhooks };
}

/** Applies journal batches in order, with every record found by id in one map built once. */
class Replay {
	private readonly contactAt: Map<number, number>;
	private readonly messageAt: Map<number, number>;
	private readonly messages: Array<StoredMessage | undefined>;

	constructor(private readonly data: StateData) {
		this.contactAt = new Map(data.contacts.map((contact, index) => [contact.id, index]));
		this.messages = data.messages;
		this.messageAt = new Map(data.messages.map((message, index) => [message.message_id, index]));
	}

	apply(batch: JournalBatch): void {
		const { data } = this;
		data.next = batch.next;
		if (batch.rest) Object.assign(data, batch.rest);
		for (const contact of batch.contacts ?? []) {
			const index = this.contactAt.get(contact.id);
			if (index === undefined) this.contactAt.set(contact.id, data.contacts.push(contact) - 1);
			else data.contacts[index] = contact;
		}
		for (const message of batch.messages ?? []) {
			const index = this.messageAt.get(message.message_id);
			if (index === undefined)
				this.messageAt.set(message.message_id, this.messages.push(message) - 1);
			else this.messages[index] = message;
		}
		for (const messageId of batch.deleted ?? []) {
			const index = this.messageAt.get(messageId);
			if (index === undefined) continue;
			this.messages[index] = undefined;
			this.messageAt.delete(messageId);
		}
	}

	finish(): void {
		this.data.messages = this.messages.filter((message) => message !== undefined);
	}
}

/**
 * Reads a state file and replays its journal. A file written before the journal existed (pretty
 * JSON, no snapshot id) loads as it is. A journal that belongs to another snapshot (a compaction
 * cut short after the new snapshot was in place) is ignored: that snapshot already holds it all.
 */
export function loadState(stateFile: string): LoadedState | undefined {
	if (!existsSync(stateFile)) return undefined;
	const { snapshot: snapshotId, ...data } = JSON.parse(
		readFileSync(stateFile, 'utf8'),
	) as StateData & {
		snapshot?: string;
	};
	const loaded: LoadedState = { data, snapshotId, replayed: 0, ignoredBytes: 0 };
	const journal = journalFile(stateFile);
	if (snapshotId === undefined || !existsSync(journal)) return loaded;
	const text = readFileSync(journal, 'utf8');
	let start = text.indexOf('\n') + 1;
	const header = start > 0 ? parseLine<JournalHeader>(text.slice(0, start - 1)) : undefined;
	if (header?.snapshot !== snapshotId) return loaded;
	const replay = new Replay(data);
	while (start < text.length) {
		const end = text.indexOf('\n', start);
		const batch = end < 0 ? undefined : parseLine<JournalBatch>(text.slice(start, end));
		if (!batch) {
			loaded.ignoredBytes = Buffer.byteLength(text.slice(start));
			break;
		}
		replay.apply(batch);
		loaded.replayed++;
		start = end + 1;
	}
	replay.finish();
	return loaded;
}

function parseLine<T>(line: string): T | undefined {
	try {
		return JSON.parse(line) as T;
	} catch {
		return undefined;
	}
}

const open = new Set<StateFile>();
let exitHooked = false;

/** Appends a world's changes to its state file's journal; one per sandbox started with a state file. */
export class StateFile {
	private journalFd = -1;
	private snapshotBytes = 0;
	private journalBytes = 0;
	private lastRest = '';
	private readonly messages = new Set<StoredMessage>();
	private readonly contacts = new Set<Contact>();
	private readonly deleted: number[] = [];
	private pending = false;
	private timer: NodeJS.Timeout | undefined;

	/**
	 * Starts the journal for `data` (as loaded from `file`, or a fresh seed). Compacts first unless
	 * the file ends in an empty journal of its own snapshot, as a clean stop leaves it.
	 */
	constructor(
		private readonly file: string,
		private readonly data: () => StateData,
		loaded?: LoadedState,
	) {
		if (
			loaded?.snapshotId &&
			loaded.replayed === 0 &&
			loaded.ignoredBytes === 0 &&
			this.journalIsEmpty(loaded.snapshotId)
		) {
			this.snapshotBytes = statSync(file).size;
			this.lastRest = JSON.stringify(restOf(data()));
			this.journalFd = openSync(journalFile(file), 'a');
		} else this.compact();
		open.add(this);
		if (!exitHooked) {
			exitHooked = true;
			process.on('exit', () => {
				for (const stateFile of open) stateFile.flush();
			});
		}
	}

	/** Notes a change; its batch is appended within FLUSH_DELAY_MS. */
	record(change: StateChange): void {
		switch (change.kind) {
			case 'message':
				this.messages.add(change.message);
				break;
			case 'messageDeleted':
				this.deleted.push(change.messageId);
				break;
			case 'contact':
				this.contacts.add(change.contact);
				break;
			case 'reset':
				this.compact();
				return;
			case 'other':
				break;
		}
		this.schedule();
	}

	/** Appends what changed since the last batch now (a no-op when nothing did). */
	flush(): void {
		this.pending = false;
		clearTimeout(this.timer);
		if (this.journalFd < 0) return;
		const data = this.data();
		const batch: JournalBatch = { next: data.next };
		if (this.messages.size) batch.messages = [...this.messages];
		if (this.contacts.size) batch.contacts = [...this.contacts];
		if (this.deleted.length) batch.deleted = [...this.deleted];
		const rest = JSON.stringify(restOf(data));
		if (rest !== this.lastRest) batch.rest = restOf(data);
		if (!batch.messages && !batch.contacts && !batch.deleted && !batch.rest) return;
		this.lastRest = rest;
		this.messages.clear();
		this.contacts.clear();
		this.deleted.length = 0;
		const bytes = Buffer.from(`${JSON.stringify(batch)}\n`);
		let written = 0;
		while (written < bytes.length)
			written += writeSync(this.journalFd, bytes, written, bytes.length - written);
		this.journalBytes += bytes.length;
		if (this.journalBytes > Math.max(COMPACT_MIN_BYTES, 2 * this.snapshotBytes)) this.compact();
	}

	/** Flushes, folds a non-empty journal into the snapshot, and stops recording. */
	close(): void {
		if (this.journalFd < 0) return;
		this.flush();
		if (this.journalBytes > 0) this.compact();
		closeSync(this.journalFd);
		this.journalFd = -1;
		open.delete(this);
	}

	private schedule(): void {
		if (this.pending || this.journalFd < 0) return;
		this.pending = true;
		this.timer = setTimeout(() => this.flush(), FLUSH_DELAY_MS);
		this.timer.unref();
	}

	private journalIsEmpty(snapshotId: string): boolean {
		const journal = journalFile(this.file);
		if (!existsSync(journal)) return false;
		const header: JournalHeader = { journal: 1, snapshot: snapshotId };
		return readFileSync(journal, 'utf8') === `${JSON.stringify(header)}\n`;
	}

	/**
	 * Writes the whole state as a new snapshot and starts an empty journal for it. Each file is
	 * written beside its place and renamed over it, so a kill at any point leaves either the old
	 * snapshot with its journal, or the new snapshot (whose id the old journal does not carry).
	 */
	private compact(): void {
		const data = this.data();
		const snapshotId = randomUUID();
		const snapshot = JSON.stringify({ snapshot: snapshotId, ...data });
		writeFileSync(`${this.file}.tmp`, snapshot);
		renameSync(`${this.file}.tmp`, this.file);
		const journal = journalFile(this.file);
		const header: JournalHeader = { journal: 1, snapshot: snapshotId };
		writeFileSync(`${journal}.tmp`, `${JSON.stringify(header)}\n`);
		renameSync(`${journal}.tmp`, journal);
		if (this.journalFd >= 0) closeSync(this.journalFd);
		this.journalFd = openSync(journal, 'a');
		this.snapshotBytes = Buffer.byteLength(snapshot);
		this.journalBytes = 0;
		this.lastRest = JSON.stringify(restOf(data));
		this.messages.clear();
		this.contacts.clear();
		this.deleted.length = 0;
	}
}
