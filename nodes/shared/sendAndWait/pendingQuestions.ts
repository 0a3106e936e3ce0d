/**
 * Questions that accept a written reply (Send and Wait's Free Text, or "Accept as the Answer"), kept
 * in this process's memory so that the Azeer Trigger can find, for a contact's message that
 * carries no answer ID, the question it answers.
 *
 * Why memory: Azeer's documented API has nowhere to keep it (no custom-field write, no tag
 * removal, no message lookup), and n8n gives code running for a webhook no shared store
 * (a webhook that starts an execution does not save workflow static data; Data Tables are only
 * offered to executing nodes; CONTRIBUTING.md names the versions read). n8n loads every node of a package from the same folder, so the
 * Azeer node and the trigger share this module. What it cannot see: questions asked in
 * another process, or before a restart; their written replies reach the trigger's workflow.
 *
 * An entry holds the question's signed reference (execution, node, contact), never the API key;
 * it is looked up by the contact and a hash of the key derived from the credential, so another
 * credential's trigger cannot use it.
 */
import { createHash } from 'crypto';

export const PENDING_LIMITS = {
	/** Questions kept at once; past this the oldest is dropped (its replies then go unrouted). */
	questions: 10_000,
	/** Longest an entry lives, for questions without Limit Wait Time (or with a later one). */
	questionMs: 30 * 86_400_000,
	/** How long the outcome of routing one message is kept for the other triggers it reaches. */
	claimMs: 10 * 60_000,
	claims: 10_000,
};

export interface PendingQuestion {
	/** The signed answer reference a written reply is forwarded with. */
	reference: string;
	/** The contact the question went to (digits only). */
	contact: string;
	executionId: string;
	nodeId: string;
	/** n8n's signature of the execution's resume URL (also inside the reference). */
	resumeSignature: string;
	/** Epoch ms after which the question no longer takes written replies here. */
	until: number;
}

interface Claim {
	credential: string;
	outcome: Promise<string | undefined>;
	until: number;
}

/** `${contact}|${credential}` → question; Map order is registration order (oldest first). */
const questions = new Map<string, PendingQuestion>();
/** Contacts with a question or a claim: the one lookup made for every other incoming message. */
const contactUses = new Map<string, number>();

function use(contact: string, change: 1 | -1) {
	const count = (contactUses.get(contact) ?? 0) + change;
	if (count > 0) contactUses.set(contact, count);
	else contactUses.delete(contact);
}

const contactOf = (mapKey: string) => mapKey.slice(0, mapKey.indexOf('|'));

function removeQuestion(mapKey: string) {
	if (questions.delete(mapKey)) use(contactOf(mapKey), -1);
}

/** Drops expired entries and, past `cap`, the oldest ones. */
function makeRoom<T extends { until: number }>(
	entries: Map<string, T>,
	remove: (mapKey: string) => void,
	cap: number,
	nowMs: number,
) {
	if (entries.size < cap) return;
	for (const [mapKey, entry] of entries) if (entry.until <= nowMs) remove(mapKey);
	for (const mapKey of entries.keys()) {
		if (entries.size < cap) break;
		remove(mapKey);
	}
}

/** Identifies the credential by a hash of the key already derived from it (answerKey). */
export function credentialId(answerKey: Buffer): string {
	return createHash('sha256').update(answerKey).digest('base64url');
}

/** The newest question to a contact wins: a second question replaces the first one's entry. */
export function registerPendingQuestion(
	answerKey: Buffer,
	question: Omit<PendingQuestion, 'until'>,
	waitTill: Date,
	nowMs: number,
): void {
	const { contact } = question;
	const mapKey = `${contact}|${credentialId(answerKey)}`;
	removeQuestion(mapKey);
	makeRoom(questions, removeQuestion, PENDING_LIMITS.questions, nowMs);
	const until = Math.min(waitTill.getTime(), nowMs + PENDING_LIMITS.questionMs);
	questions.set(mapKey, { ...question, until });
	use(contact, 1);
}

/** Removes the contact's entry if it is this execution's question (answered or gone). */
export function forgetPendingQuestion(
	answerKey: Buffer,
	contact: string,
	executionId: string,
	nodeId: string,
): void {
	const mapKey = `${contact}|${credentialId(answerKey)}`;
	const question = questions.get(mapKey);
	if (question?.executionId === executionId && question.nodeId === nodeId) removeQuestion(mapKey);
}

/** Cheap check before the credential is read: could a message from `contact` be a written reply? */
export function mayHavePendingQuestion(contact: string): boolean {
	return contactUses.has(contact);
}

/** One message claimed by this trigger, which routes it through `route`. */
export interface OwnClaim {
	/** Waits for this trigger's routing of the message and shares its outcome with the others. */
	route<T extends string | undefined>(routing: Promise<T>): Promise<T>;
}

/**
 * `${contact}|${messageKey}` → what became of that message, shared by every trigger of the
 * credential it reaches: the first one routes it, the others share its outcome.
 */
class MessageClaims {
	private readonly entries = new Map<string, Claim>();

	/** `countsAsUse`: a claim makes mayHavePendingQuestion true for its contact while it lives. */
	constructor(private readonly countsAsUse: boolean) {}

	private readonly remove = (mapKey: string) => {
		if (this.entries.delete(mapKey) && this.countsAsUse) use(contactOf(mapKey), -1);
	};

	/** What became of the message if another trigger of this credential already routes it. */
	earlierOutcome(
		credential: string,
		claimKey: string | undefined,
		nowMs: number,
	): Promise<string | undefined> | undefined {
		const earlier = claimKey === undefined ? undefined : this.entries.get(claimKey);
		if (earlier && earlier.until <= nowMs) this.remove(claimKey!);
		else if (earlier?.credential === credential) return earlier.outcome;
		return undefined;
	}

	/** Claims the routing of the message for this trigger. */
	claim(credential: string, claimKey: string | undefined, nowMs: number): OwnClaim {
		let settle!: (outcome: string | undefined) => void;
		let fail!: (error: unknown) => void;
		const outcome = new Promise<string | undefined>((resolve, reject) => {
			settle = resolve;
			fail = reject;
		});
		// A claim that failed is not kept, so that Azeer's retry of the message routes it again.
		outcome.catch(() => claimKey !== undefined && this.remove(claimKey));
		if (claimKey !== undefined) {
			this.remove(claimKey);
			makeRoom(this.entries, this.remove, PENDING_LIMITS.claims, nowMs);
			this.entries.set(claimKey, { credential, outcome, until: nowMs + PENDING_LIMITS.claimMs });
			if (this.countsAsUse) use(contactOf(claimKey), 1);
		}
		return {
			route: async (routing) => {
				routing.then(settle, fail);
				return await routing;
			},
		};
	}
}

const writtenReplyClaims = new MessageClaims(true);
/** Taps need no question here, so their claims do not make the contact's messages look for one. */
const tapClaims = new MessageClaims(false);

const claimKeyOf = (contact: string, messageKey: string | undefined) =>
	messageKey === undefined ? undefined : `${contact}|${messageKey}`;

/**
 * A tap on a question's button reaches every active Azeer Trigger with the credential: the first
 * one forwards it, the others share its outcome. n8n checks that an execution waits before it
 * resumes it, so two forwards at once would both resume it.
 */
export function claimTap(
	answerKey: Buffer,
	contact: string,
	messageKey: string | undefined,
	nowMs: number,
): OwnClaim | { outcome: Promise<string | undefined> } {
	const credential = credentialId(answerKey);
	const claimKey = claimKeyOf(contact, messageKey);
	const outcome = tapClaims.earlierOutcome(credential, claimKey, nowMs);
	return outcome ? { outcome } : tapClaims.claim(credential, claimKey, nowMs);
}

export type WrittenReplyClaim =
	/** This trigger routes the message. */
	| ({ question: PendingQuestion } & OwnClaim)
	/** Another trigger of this process already routes it: its outcome. */
	| { outcome: Promise<string | undefined> };

/**
 * For a message from `contact` without an answer ID: the question it answers, claimed by the
 * first trigger it reaches (an account's message reaches every active Azeer Trigger with that
 * credential); or undefined when no question here takes it.
 */
export function claimTypedReply(
	answerKey: Buffer,
	contact: string,
	messageKey: string | undefined,
	nowMs: number,
): WrittenReplyClaim | undefined {
	const credential = credentialId(answerKey);
	const claimKey = claimKeyOf(contact, messageKey);
	const outcome = writtenReplyClaims.earlierOutcome(credential, claimKey, nowMs);
	if (outcome) return { outcome };
	const questionKey = `${contact}|${credential}`;
	const question = questions.get(questionKey);
	if (!question) return undefined;
	if (question.until <= nowMs) {
		removeQuestion(questionKey);
		return undefined;
	}
	return { question, ...writtenReplyClaims.claim(credential, claimKey, nowMs) };
}
