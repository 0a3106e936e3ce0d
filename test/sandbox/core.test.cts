import { signDelivery } from '../../sandbox/index.cjs';
import type { Sandbox } from '../../sandbox/index.cjs';
import {
	call,
	callOk,
	registerWebhook,
	TEMPLATE_ORDER_UPDATE,
	useSandbox,
	WebhookReceiver,
} from './helpers.cjs';

describe('sandbox core: auth, validation, state, deliveries, request log', () => {
	let sandbox: Sandbox;
	const receiver = new WebhookReceiver();
	useSandbox({ statusDelayMs: -1, retryDelaysMs: [10, 20] }, (s) => (sandbox = s), receiver);

	it('listens on 127.0.0.1 and exposes baseUrl and keys', () => {
		expect(sandbox.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
		expect(sandbox.keys).toEqual({ readWrite: ['sandbox-rw-key'], readOnly: ['sandbox-ro-key'] });
	});

	it('answers 401 without a key and with an unknown key, 403 for a read-only key on writes', async () => {
		expect((await callOk(sandbox, 'GET', '/tags', { key: null })).body).toMatchObject({
			success: false,
			code: 'unauthorized',
		});
		expect((await callOk(sandbox, 'GET', '/tags', { key: 'nope' })).status).toBe(401);
		expect((await callOk(sandbox, 'GET', '/tags', { key: sandbox.readOnlyKey })).status).toBe(200);
		const write = await callOk(sandbox, 'POST', '/tags', {
			key: sandbox.readOnlyKey,
			body: { tag: 'X' },
		});
		expect(write.status).toBe(403);
		expect(write.body.code).toBe('forbidden');
	});

	it('rejects a bad body with 400 naming each field', async () => {
		const result = await callOk(sandbox, 'POST', '/message/send', {
			body: { to: '+966', type: 'text' },
		});
		expect(result.status).toBe(400);
		expect(result.body.code).toBe('validation_error');
		expect(result.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
			'text',
			'to',
		]);
	});

	it('sends a template to a new contact with create=true, logs the request and delivers outgoing_msg signed', async () => {
		await registerWebhook(sandbox, receiver, 'outgoing_msg');
		sandbox.clearRequests();
		const sent = await callOk(sandbox, 'POST', '/message/send', {
			query: { create: 'true' },
			body: { to: '966522222222', type: 'template', template: TEMPLATE_ORDER_UPDATE },
		});
		expect(sent.status).toBe(200);
		expect(sent.body.data).toMatchObject({ to: '966522222222', type: 'template', status: 'sent' });
		const [logged] = sandbox.requests();
		expect(logged).toMatchObject({
			method: 'POST',
			path: '/v1/message/send',
			query: { create: 'true' },
			status: 200,
			operationId: 'sendMessage',
		});
		expect(logged.headers.authorization).toBe('Bearer sandbox-rw-key');
		expect(logged.body).toMatchObject({ to: '966522222222' });
		await sandbox.settle();
		expect(receiver.received).toHaveLength(1);
		const delivery = receiver.received[0];
		expect(delivery.headers['x-azeer-securetoken']).toBe('token-outgoing_msg');
		expect(delivery.headers['x-azeer-signature']).toBe(
			signDelivery(
				'token-outgoing_msg',
				String(delivery.headers['x-azeer-timestamp']),
				delivery.rawBody,
			),
		);
		expect(delivery.body).toMatchObject({
			webhook_event_type: 'outgoing_msg',
			direction: 'out',
			to: '966522222222',
			message_id: sent.body.data.message_id,
		});
	});

	it('refuses free-form text without an open session and accepts it after an inbound message', async () => {
		const closed = await callOk(sandbox, 'POST', '/message/send', {
			body: { to: '966511111111', type: 'text', text: { body: 'hi' } },
		});
		expect(closed.status).toBe(400);
		expect(closed.body.code).toBe('session_window_closed');
		await sandbox.inbound({ from: '966511111111', text: 'hello' });
		const open = await callOk(sandbox, 'POST', '/message/send', {
			body: { to: '966511111111', type: 'text', text: { body: 'hi' } },
		});
		expect(open.status).toBe(200);
		expect(sandbox.messages('966511111111').map((m) => [m.direction, m.text])).toEqual([
			['in', 'hello'],
			['out', 'hi'],
		]);
	});

	it('keeps working over plain HTTP for the control API', async () => {
		const response = await fetch(`${sandbox.origin}/__sandbox/inbound`, {
			method: 'POST',
			body: JSON.stringify({ from: '966533333333', name: 'Mona', text: 'hey' }),
		});
		expect(response.status).toBe(200);
		const contact = await call(sandbox, 'GET', '/contact/966533333333');
		expect(contact.body.data).toMatchObject({ platform_id: '966533333333', profile_name: 'Mona' });
	});
});
