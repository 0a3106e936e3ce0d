import { claimDelivery, deliveryKeys, DEDUP_MAX_PERSISTED_KEYS, DEDUP_RETENTION_MS, releaseDelivery } from '../../../nodes/AzeerTrigger/dedup';
import type { SeenKeys } from '../../../nodes/AzeerTrigger/dedup';
import { isApiOrigin, mediaFileName, mediaMimeType } from '../../../nodes/AzeerTrigger/media';
import { simplifyPayload } from '../../../nodes/AzeerTrigger/simplify';
import { signatureFor, verifyDelivery, webhookSecret } from '../../../nodes/AzeerTrigger/verification';
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
		const unsigned = evidence({ signature: undefined, timestamp: undefined, headerToken: undefined });
		expect(verifyDelivery(key, unsigned, options)).toMatchObject({ ok: true, signed: false });
		expect(verifyDelivery(key, unsigned, { ...options, requireSignature: true })).toMatchObject({ ok: false });
		expect(verifyDelivery(key, unsigned, { ...options, signedBefore: (n, e) => n === nonce && e === 'incoming_msg' })).toEqual({
			ok: false,
			reason: 'the x-azeer-signature header is missing',
		});
	});

	it('refuses every token once the API key of the credential changed', () => {
		const verdict = verifyDelivery(keyOf('key-two'), evidence(), options);
		expect(verdict).toMatchObject({ ok: false, reason: expect.stringContaining('deactivate and activate the workflow') });
		expect(JSON.stringify(verdict)).not.toContain('key-');
	});

	it.each([
		['no token', { token: undefined }],
		['no nonce', { nonce: undefined }],
		['a nonce that is not 32 hex digits', { nonce: 'abc' }],
		['another nonce with the same token', { nonce: 'f'.repeat(32) }],
		['a wrong token', { token: 'c'.repeat(64) }],
		['the token of another event', { token: webhookSecret('key-one', nonce, 'new_contact', PATH) }],
		['the token of the test URL', { token: webhookSecret('key-one', nonce, 'incoming_msg', '/webhook-test/4f1c/webhook') }],
		['a truncated token', { token: secret.slice(0, 63) }],
		['an upper-case token', { token: secret.toUpperCase() }],
		['a token given twice', { token: [secret, secret] }],
		['a wrong header token', { headerToken: 'b'.repeat(64) }],
		['a body of an event the node does not listen for', { event: 'chat_closed', headerEvent: 'chat_closed' }],
		['header and body naming different events', { headerEvent: 'new_contact' }],
		['an altered body', { rawBody: rawBody.replace('hi', 'ho') }],
		['a stale timestamp', { timestamp: String(now - 301) }],
		['a timestamp in the future', { timestamp: String(now + 301) }],
		['a timestamp that is not a number', { timestamp: 'yesterday' }],
		['a signature of the wrong secret', { signature: signatureFor('b'.repeat(64), String(now), rawBody) }],
	])('refuses %s', (_, overrides) => {
		expect(verifyDelivery(key, evidence(overrides as Partial<DeliveryEvidence>), options).ok).toBe(false);
	});
});

describe('deliveryKeys and claimDelivery', () => {
	it('derives the event id, delivery id and message identity', () => {
		expect(
			deliveryKeys({ webhook_event_type: 'incoming_msg', event_id: 'e1', id: 'wamid.1', message_id: 5 }, 'd1'),
		).toEqual(['event:e1', 'delivery:d1', 'message:incoming_msg:wamid.1']);
		expect(
			deliveryKeys({ webhook_event_type: 'message_status_changed', event_id: 'e2', id: 'wamid.1', status: 'read' }, undefined),
		).toEqual(['event:e2', 'status:wamid.1:read']);
	});

	it('claims once, lets a retry through after a release, and forgets after the retention time', () => {
		const seen: SeenKeys = {};
		const keys = ['event:one'];
		expect(claimDelivery('scope-a', seen, keys, 1000)).toBe(true);
		expect(claimDelivery('scope-a', seen, keys, 2000)).toBe(false);
		// Another process that loaded the saved static data sees the claim too.
		expect(claimDelivery('scope-b', { ...seen }, keys, 2000)).toBe(false);
		releaseDelivery('scope-a', seen, keys);
		expect(claimDelivery('scope-a', seen, keys, 3000)).toBe(true);
		expect(claimDelivery('scope-c', seen, keys, 3000 + DEDUP_RETENTION_MS + 1)).toBe(true);
	});

	it('catches a copy that shares only the message id with the first delivery', () => {
		const seen: SeenKeys = {};
		const first = deliveryKeys({ webhook_event_type: 'incoming_msg', event_id: 'e1', id: 'wamid.9' }, 'd1');
		const copy = deliveryKeys({ webhook_event_type: 'incoming_msg', event_id: 'e2', id: 'wamid.9' }, 'd2');
		expect(claimDelivery('scope-d', seen, first, 1)).toBe(true);
		expect(claimDelivery('scope-d', seen, copy, 2)).toBe(false);
	});

	it('keeps the persisted record bounded', () => {
		const seen: SeenKeys = {};
		for (let i = 0; i < DEDUP_MAX_PERSISTED_KEYS + 50; i++) claimDelivery('scope-e', seen, [`event:${i}`], i);
		expect(Object.keys(seen)).toHaveLength(DEDUP_MAX_PERSISTED_KEYS);
		expect(seen['event:0']).toBeUndefined();
		expect(seen[`event:${DEDUP_MAX_PERSISTED_KEYS + 49}`]).toBeDefined();
	});
});

describe('simplifyPayload', () => {
	it('flattens a button reply', () => {
		expect(
			simplifyPayload(
				{
					webhook_event_type: 'incoming_msg',
					event_id: 'e1',
					contact_id: 101,
					contact_name: 'James',
					direction: 'in',
					from: '91987654321',
					to: '966594220647',
					id: 'wamid.X',
					interactive_reply_id: '$0',
					message_id: 12345,
					parent_message_id: 12344,
					message_type: 'interactive',
					text: 'requests',
					timestamp: '2024-03-08T07:30:03Z',
				},
				new Date(0),
			),
		).toEqual({
			event: 'incoming_msg',
			eventId: 'e1',
			timestamp: '2024-03-08T07:30:03.000Z',
			direction: 'in',
			contactPhone: '91987654321',
			contactName: 'James',
			contactId: 101,
			messageType: 'interactive',
			text: 'requests',
			buttonReplyId: '$0',
			messageId: 12345,
			whatsappMessageId: 'wamid.X',
			replyToMessageId: 12344,
		});
	});

	it('uses the recipient as the contact of status changes and outgoing messages', () => {
		const status = simplifyPayload(
			{ webhook_event_type: 'message_status_changed', to: '966511111111', status: 'read', message_id: 7 },
			new Date('2025-01-01T00:00:00Z'),
		);
		expect(status).toMatchObject({ contactPhone: '966511111111', status: 'read', timestamp: '2025-01-01T00:00:00.000Z' });
		const outgoing = simplifyPayload(
			{ webhook_event_type: 'outgoing_msg', from: '966500000000', to: '966522222222', direction: 'out' },
			new Date(0),
		);
		expect(outgoing.contactPhone).toBe('966522222222');
	});
});

describe('media helpers', () => {
	it('prefers a specific served type, normalises WhatsApp aliases, and names files', () => {
		expect(mediaMimeType('image/jpg', 'application/octet-stream')).toBe('image/jpeg');
		expect(mediaMimeType('audio/aac', 'audio/ogg; codecs=opus')).toBe('audio/ogg');
		expect(mediaMimeType(undefined, undefined)).toBe('application/octet-stream');
		expect(mediaFileName('https://cdn.mottasl.ai/msgs/file_9.aac', 'audio/aac', '9')).toBe('file_9.aac');
		expect(mediaFileName('https://cdn.example/download?id=3', 'application/pdf', '3')).toBe('download.pdf');
		expect(mediaFileName('https://cdn.example/', 'image/png', '3')).toBe('media-3.png');
	});

	it('sends the key only to the API origin', () => {
		expect(isApiOrigin('https://api.mottasl.ai/media/a.jpg', 'https://api.mottasl.ai/v1')).toBe(true);
		expect(isApiOrigin('https://cdn.mottasl.ai/a.jpg', 'https://api.mottasl.ai/v1')).toBe(false);
		expect(isApiOrigin('http://api.mottasl.ai/a.jpg', 'https://api.mottasl.ai/v1')).toBe(false);
		expect(isApiOrigin('http://127.0.0.1:4011/a.jpg', 'http://127.0.0.1:4010/v1')).toBe(false);
	});
});
