import {
	signatureFor,
	verifyDelivery,
	webhookSecret,
} from '../../../nodes/AzeerTrigger/verification';
import type { DeliveryEvidence, VerificationKey } from '../../../nodes/AzeerTrigger/verification';

const PATH = '/webhook/4f1c/webhook';
const keyOf = (apiKey: string): VerificationKey => ({
	events: ['incoming_msg', 'new_contact'],
	secretFor: (nonce, event) => webhookSecret(apiKey, nonce, event, PATH),
});
const key = keyOf('key-one');
const nonce = '0123456789abcdef0123456789abcdef';
const secret = webhookSecret('key-one', nonce, 'incoming_msg', PATH);
const now = 1_700_000_000;
const rawBody = JSON.stringify({ webhook_event_type: 'incoming_msg', text: 'hi' });

function evidence(overrides: Partial<DeliveryEvidence> = {}): DeliveryEvidence {
	const timestamp = String(now);
	return {
		event: 'incoming_msg',
		headerEvent: 'incoming_msg',
		nonce,
		token: secret,
		headerToken: secret,
		timestamp,
		signature: signatureFor(secret, timestamp, rawBody),
		rawBody,
		...overrides,
	};
}

describe('webhookSecret', () => {
	it('differs per key, nonce, event and path, and never contains the key', () => {
		const variants = [
			webhookSecret('key-two', nonce, 'incoming_msg', PATH),
			webhookSecret('key-one', 'f'.repeat(32), 'incoming_msg', PATH),
			webhookSecret('key-one', nonce, 'new_contact', PATH),
			webhookSecret('key-one', nonce, 'incoming_msg', '/webhook-test/4f1c/webhook'),
		];
		expect(new Set([secret, ...variants]).size).toBe(5);
		expect(secret).toMatch(/^[0-9a-f]{64}$/);
		expect(secret).not.toContain('key-one');
	});
});

describe('verifyDelivery', () => {
	const options = { requireSignature: false, nowSeconds: now };

	it('accepts a delivery with the right token, header token and signature', () => {
		const verdict = verifyDelivery(key, evidence(), options);
		expect(verdict).toEqual({ ok: true, event: 'incoming_msg', nonce, secret, signed: true });
	});

	it('accepts a token-only delivery unless a signature is required or was seen before', () => {
		const unsigned = evidence({
			signature: undefined,
			timestamp: undefined,
			headerToken: undefined,
		});
		expect(verifyDelivery(key, unsigned, options)).toMatchObject({ ok: true, signed: false });
		expect(verifyDelivery(key, unsigned, { ...options, requireSignature: true })).toMatchObject({
			ok: false,
		});
		expect(
			verifyDelivery(key, unsigned, {
				...options,
				signedBefore: (n, e) => n === nonce && e === 'incoming_msg',
			}),
		).toEqual({
			ok: false,
			reason: 'the x-azeer-signature header is missing',
		});
	});

	it('refuses every token once the API key of the credential changed', () => {
		const verdict = verifyDelivery(keyOf('key-two'), evidence(), options);
		expect(verdict).toMatchObject({
			ok: false,
			reason: expect.stringContaining('deactivate and activate the workflow'),
		});
		expect(JSON.stringify(verdict)).not.toContain('key-');
	});

	it.each([
		['no token', { token: undefined }],
		['no nonce', { nonce: undefined }],
		['a nonce that is not 32 hex digits', { nonce: 'abc' }],
		['another nonce with the same token', { nonce: 'f'.repeat(32) }],
		['a wrong token', { token: 'c'.repeat(64) }],
		['the token of another event', { token: webhookSecret('key-one', nonce, 'new_contact', PATH) }],
		[
			'the token of the test URL',
			{ token: webhookSecret('key-one', nonce, 'incoming_msg', '/webhook-test/4f1c/webhook') },
		],
		['a truncated token', { token: secret.slice(0, 63) }],
		['an upper-case token', { token: secret.toUpperCase() }],
		['a token given twice', { token: [secret, secret] }],
		['a wrong header token', { headerToken: 'b'.repeat(64) }],
		[
			'a body of an event the node does not listen for',
			{ event: 'chat_closed', headerEvent: 'chat_closed' },
		],
		['header and body naming different events', { headerEvent: 'new_contact' }],
		['an altered body', { rawBody: rawBody.replace('hi', 'ho') }],
		['a stale timestamp', { timestamp: String(now - 301) }],
		['a timestamp in the future', { timestamp: String(now + 301) }],
		['a timestamp that is not a number', { timestamp: 'yesterday' }],
		[
			'a signature of the wrong secret',
			{ signature: signatureFor('b'.repeat(64), String(now), rawBody) },
		],
	])('refuses %s', (_, overrides) => {
		expect(verifyDelivery(key, evidence(overrides as Partial<DeliveryEvidence>), options).ok).toBe(
			false,
		);
	});
});
