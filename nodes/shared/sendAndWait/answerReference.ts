/**
 * Signed answer references of Send and Wait questions.
 *
 * Every button or list row of a question carries, as its WhatsApp reply ID, a reference to the
 * waiting execution: `azw1.<executionId>.<nodeId>.<choiceId>.<mac>.<resumeSignature>`. The MAC binds the execution,
 * the waiting node, the contact the question went to and the choice, under a key derived from the
 * Azeer credential's API key; nobody without that key can make a reference, and a reference only
 * counts when it comes back from the contact it was sent to.
 *
 * The Azeer Trigger (the account-level listener) verifies a reply's reference and forwards the
 * answer to the execution's resume URL, signing what it forwards with the same key (forward.ts);
 * the waiting node accepts only forwarded answers with a valid signature and a valid reference.
 */
import { createHmac } from 'crypto';

import { safeEqual } from '../signing';

const ANSWER_PREFIX = 'azw1';

const MAC_BYTES = 16;

export interface AnswerTarget {
	executionId: string;
	nodeId: string;
	/** The contact's phone number, digits only. */
	contact: string;
	/** n8n's signature of the execution's resume URL (empty on n8n versions without one). */
	resumeSignature: string;
}

export interface AnswerReference extends AnswerTarget {
	/** The choice's own ID, as the workflow defined it (e.g. "approve"). */
	choice: string;
	mac: string;
}

/** The key both ends derive from the credential: the API key itself is never used as a MAC key. */
export function answerKey(apiKey: string): Buffer {
	return createHmac('sha256', apiKey).update('n8n-nodes-azeer/send-and-wait/v1').digest();
}

function macOf(key: Buffer, target: AnswerTarget, choice: string): string {
	return createHmac('sha256', key)
		.update([ANSWER_PREFIX, target.executionId, target.nodeId, target.contact, choice].join('|'))
		.digest()
		.subarray(0, MAC_BYTES)
		.toString('base64url');
}

export function answerId(key: Buffer, target: AnswerTarget, choice: string): string {
	const parts = [
		ANSWER_PREFIX,
		target.executionId,
		target.nodeId,
		choice,
		macOf(key, target, choice),
		target.resumeSignature,
	];
	return parts.join('.');
}

export function looksLikeAnswerId(value: unknown): value is string {
	return typeof value === 'string' && value.startsWith(`${ANSWER_PREFIX}.`);
}

/** The parts of a reference as written; the contact is not in it and comes from the reply. */
export function parseAnswerId(value: string, contact: string): AnswerReference | undefined {
	const parts = value.split('.');
	if (parts.length !== 6 || parts[0] !== ANSWER_PREFIX) return undefined;
	const [, executionId, nodeId, choice, mac, resumeSignature] = parts;
	if (!/^[0-9A-Za-z_-]{1,64}$/.test(executionId) || !/^[0-9A-Za-z-]{1,64}$/.test(nodeId))
		return undefined;
	if (!/^[0-9A-Za-z_-]{1,40}$/.test(choice) || !/^[0-9A-Za-z_-]{22}$/.test(mac)) return undefined;
	if (!/^[0-9a-f]{0,128}$/.test(resumeSignature)) return undefined;
	return { executionId, nodeId, contact, choice, mac, resumeSignature };
}

/** Whether the reference was made with this key for this contact (constant time). */
export function verifyAnswerReference(key: Buffer, reference: AnswerReference): boolean {
	return safeEqual(reference.mac, macOf(key, reference, reference.choice));
}
