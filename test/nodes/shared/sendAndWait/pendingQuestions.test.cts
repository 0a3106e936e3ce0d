/**
 * The process-memory registry of questions that take a written reply: what the Send and Wait node
 * registers and what the trigger finds, per credential and contact, with expiry, a size cap and
 * one routing per message shared by every trigger it reaches.
 */
import { randomUUID } from 'node:crypto';

import { WAIT_INDEFINITELY } from 'n8n-workflow';

import { answerKey } from '../../../../nodes/shared/sendAndWait/answerReference';
import {
	claimTypedReply,
	forgetPendingQuestion,
	mayHavePendingQuestion,
	PENDING_LIMITS,
	registerPendingQuestion,
} from '../../../../nodes/shared/sendAndWait/pendingQuestions';
import type { WrittenReplyClaim } from '../../../../nodes/shared/sendAndWait/pendingQuestions';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const HOUR = 3600_000;

/** Every test has its own credential, so entries of another test never match. */
let apiKey: string;
let key: Buffer;
beforeEach(() => {
	apiKey = `key-${randomUUID()}`;
	key = answerKey(apiKey);
});

let nextContact = 966500000000;
const newContact = () => String(nextContact++);

function question(contact: string, executionId: string) {
	return {
		reference: `azw1.${executionId}.node-1.typed-reply.mac.sig`,
		contact,
		executionId,
		nodeId: 'node-1',
		resumeSignature: 'sig',
	};
}

function register(contact: string, executionId: string, waitTill = new Date(NOW + HOUR)) {
	registerPendingQuestion(key, question(contact, executionId), waitTill, NOW);
}

/** The question a message from `contact` answers (a message without an ID: no shared claim). */
function claimed(contact: string, at = NOW, withKey = key) {
	const claim = claimTypedReply(withKey, contact, undefined, at);
	if (claim === undefined) return undefined;
	if (!('question' in claim)) throw new Error('a fresh message was joined to another claim');
	void claim.route(Promise.resolve(undefined));
	return claim.question;
}

describe('pending questions (written replies)', () => {
	it('finds the question for its contact and credential only', () => {
		const contact = newContact();
		const other = newContact();
		expect(mayHavePendingQuestion(contact)).toBe(false);
		register(contact, '101');
		expect(mayHavePendingQuestion(contact)).toBe(true);
		expect(claimed(contact)).toEqual({ ...question(contact, '101'), until: NOW + HOUR });
		// Another contact's message does not resolve it; another credential's trigger does not see it.
		expect(claimed(other)).toBeUndefined();
		expect(claimed(contact, NOW, answerKey(`${apiKey}-other`))).toBeUndefined();
		expect(claimed(contact)).toEqual(expect.objectContaining({ executionId: '101' }));
	});

	it('never holds the API key', () => {
		const contact = newContact();
		register(contact, '102');
		const held = JSON.stringify(claimed(contact));
		expect(held).not.toContain(apiKey);
		expect(held).not.toContain(key.toString('hex'));
		expect(held).not.toContain(key.toString('base64url'));
	});

	it('expires with Limit Wait Time, and after 30 days without one', () => {
		const limited = newContact();
		const unlimited = newContact();
		register(limited, '103', new Date(NOW + HOUR));
		register(unlimited, '104', WAIT_INDEFINITELY);
		expect(claimed(limited, NOW + HOUR - 1)).toBeDefined();
		expect(claimed(limited, NOW + HOUR)).toBeUndefined();
		expect(mayHavePendingQuestion(limited)).toBe(false);
		expect(claimed(unlimited, NOW + PENDING_LIMITS.questionMs - 1)).toBeDefined();
		expect(claimed(unlimited, NOW + PENDING_LIMITS.questionMs)).toBeUndefined();
	});

	it("keeps the newest question to a contact; an answer removes only its own question's entry", () => {
		const contact = newContact();
		register(contact, '105');
		register(contact, '106');
		expect(claimed(contact)?.executionId).toBe('106');
		forgetPendingQuestion(key, contact, '105', 'node-1');
		forgetPendingQuestion(key, contact, '106', 'another-node');
		forgetPendingQuestion(answerKey(`${apiKey}-other`), contact, '106', 'node-1');
		expect(claimed(contact)?.executionId).toBe('106');
		forgetPendingQuestion(key, contact, '106', 'node-1');
		expect(claimed(contact)).toBeUndefined();
	});

	it('routes a message once for every trigger it reaches; a failed routing is routed again', async () => {
		const contact = newContact();
		register(contact, '107');
		const first = claimTypedReply(key, contact, 'wamid.1', NOW) as WrittenReplyClaim;
		const second = claimTypedReply(key, contact, 'wamid.1', NOW) as WrittenReplyClaim;
		expect('question' in first && first.question.executionId).toBe('107');
		expect('outcome' in second).toBe(true);
		if (!('question' in first) || !('outcome' in second)) return;
		await expect(first.route(Promise.reject(new Error('n8n answered 503')))).rejects.toThrow(
			'n8n answered 503',
		);
		await expect(second.outcome).rejects.toThrow('n8n answered 503');

		// Azeer's retry: routed again, and this time settled.
		const retry = claimTypedReply(key, contact, 'wamid.1', NOW + 1000) as WrittenReplyClaim;
		expect('question' in retry).toBe(true);
		if (!('question' in retry)) return;
		await retry.route(Promise.resolve('forwarded'));
		forgetPendingQuestion(key, contact, '107', 'node-1');
		const late = claimTypedReply(key, contact, 'wamid.1', NOW + 2000) as WrittenReplyClaim;
		expect('outcome' in late && (await late.outcome)).toBe('forwarded');
		// Another credential's trigger does not share the outcome, and finds no question.
		expect(claimTypedReply(answerKey('x'), contact, 'wamid.1', NOW + 2000)).toBeUndefined();
		// The shared outcome is kept for a while, then the contact costs nothing again.
		expect(claimTypedReply(key, contact, 'wamid.1', NOW + PENDING_LIMITS.claimMs + 1000)).toBe(
			undefined,
		);
		expect(mayHavePendingQuestion(contact)).toBe(false);
	});

	it(`keeps at most ${PENDING_LIMITS.questions} questions, dropping the oldest`, () => {
		const first = newContact();
		register(first, 'oldest');
		const contacts = Array.from({ length: PENDING_LIMITS.questions }, newContact);
		for (const [index, contact] of contacts.entries()) register(contact, String(index));
		expect(claimed(first)).toBeUndefined();
		expect(mayHavePendingQuestion(first)).toBe(false);
		expect(claimed(contacts[0])?.executionId).toBe('0');
		expect(claimed(contacts.at(-1)!)?.executionId).toBe(String(PENDING_LIMITS.questions - 1));
	});
});
