/**
 * Webhook deliveries: each of the 11 events reaches a registered receiver with the securetoken
 * and a valid signature, happens for real where the sandbox can cause it, is retried for policy
 * "retry", sent once for "none", and can be duplicated on purpose with the same ids.
 */
import { startSandbox, signDelivery } from '../../sandbox/index.cjs';
import type { Sandbox } from '../../sandbox/index.cjs';
import {
	callOk,
	contract,
	registerWebhook,
	TEMPLATE_ORDER_UPDATE,
	useSandbox,
	WebhookReceiver,
} from './helpers.cjs';
import type { ReceivedDelivery } from './helpers.cjs';

function expectGenuine(delivery: ReceivedDelivery, securetoken: string) {
	const headers = delivery.headers as Record<string, string>;
	expect(contract.validateWebhookHeaders(headers)).toEqual([]);
	expect(headers['x-azeer-securetoken']).toBe(securetoken);
	expect(headers['x-azeer-signature']).toBe(
		signDelivery(securetoken, headers['x-azeer-timestamp'], delivery.rawBody),
	);
	expect(headers['x-azeer-event']).toBe(delivery.body.webhook_event_type);
	expect(contract.validateWebhookPayload(delivery.body.webhook_event_type, delivery.body)).toEqual(
		[],
	);
}

describe('webhook deliveries', () => {
	let sandbox: Sandbox;
	const receiver = new WebhookReceiver();
	useSandbox({ statusDelayMs: -1, retryDelaysMs: [5, 10, 20] }, (s) => (sandbox = s), receiver);

	const received = (event: string) =>
		receiver.received.filter((d) => d.body.webhook_event_type === event);

	it.each(contract.webhookEvents)(
		'delivers %s via the control API with the securetoken, a valid signature and a contract-valid payload',
		async (event) => {
			await registerWebhook(sandbox, receiver, event);
			const fired = await fetch(`${sandbox.origin}/__sandbox/events/${event}`, {
				method: 'POST',
				body: JSON.stringify({ note_from_test: 'x' }),
			});
			expect(fired.status).toBe(200);
			await sandbox.settle();
			expect(receiver.received).toHaveLength(1);
			expectGenuine(receiver.received[0], `token-${event}`);
			expect(receiver.received[0].body).toMatchObject({
				webhook_event_type: event,
				note_from_test: 'x',
			});
		},
	);

	it('produces incoming_msg, new_contact, outgoing_msg, message_status_changed and chat_assigned naturally', async () => {
		for (const event of [
			'incoming_msg',
			'new_contact',
			'outgoing_msg',
			'message_status_changed',
			'chat_assigned',
		])
			await registerWebhook(sandbox, receiver, event);
		sandbox.inbound({ from: '966533333333', name: 'Mona', text: 'hello' });
		sandbox.inbound({ from: '966533333333', media: { type: 'audio' } });
		sandbox.inbound({ from: '966533333333', interactive: { reply_id: '$0', title: 'requests' } });
		const sent = await callOk(sandbox, 'POST', '/message/send', {
			body: { to: '966533333333', type: 'text', text: { body: 'Hi Mona' } },
		});
		expect(sandbox.advanceStatuses().map((m) => m.status)).toEqual(['delivered']);
		sandbox.setStatus(sent.body.data.message_id, 'read');
		await callOk(sandbox, 'POST', '/contact/assign', {
			body: { platform_id: '966533333333', assigned_platform_id: 'omar@example.com' },
		});
		await callOk(sandbox, 'POST', '/contact/create', {
			body: {
				mode: 'sync',
				contacts: [
					{
						platform_id: '966544444444',
						platform: 'whatsapp',
						profile_name: 'A',
						profile_display_name: 'A',
						country_code: 'SA',
					},
				],
			},
		});
		await sandbox.settle();
		for (const delivery of receiver.received)
			expectGenuine(delivery, `token-${delivery.body.webhook_event_type}`);
		expect(
			received('incoming_msg').map((d) => [
				d.body.message_type,
				d.body.text ?? d.body.mime_type,
				d.body.interactive_reply_id,
			]),
		).toEqual([
			['text', 'hello', undefined],
			['audio', 'audio/ogg', undefined],
			['interactive', 'requests', '$0'],
		]);
		expect(
			received('new_contact').map((d) => [d.body.platform_id, d.body.contact_name, d.body.source]),
		).toEqual([
			['966533333333', 'Mona', 'inbound'],
			['966544444444', 'A', 'api'],
		]);
		expect(
			received('outgoing_msg').map((d) => [d.body.direction, d.body.from, d.body.to, d.body.text]),
		).toEqual([['out', sandbox.world.businessNumber, '966533333333', 'Hi Mona']]);
		expect(
			received('message_status_changed').map((d) => [d.body.message_id, d.body.status]),
		).toEqual([
			[sent.body.data.message_id, 'delivered'],
			[sent.body.data.message_id, 'read'],
		]);
		expect(received('chat_assigned')[0].body).toMatchObject({
			platform_id: '966533333333',
			assigned_platform_id: 'omar@example.com',
			agent_id: 2,
		});
	});

	it('serves the media of an inbound message at its filename_url', async () => {
		await registerWebhook(sandbox, receiver, 'incoming_msg');
		sandbox.inbound({ from: '966533333333', media: { type: 'document' }, text: 'the invoice' });
		await sandbox.settle();
		const { body } = receiver.received[0];
		expect(body).toMatchObject({
			message_type: 'document',
			mime_type: 'application/pdf',
			text: 'the invoice',
		});
		const file = await fetch(body.filename_url);
		expect(file.headers.get('content-type')).toBe('application/pdf');
		expect((await file.text()).startsWith('%PDF-1.4')).toBe(true);
	});

	it('moves statuses on its own after statusDelayMs', async () => {
		const timed = await startSandbox({ statusDelayMs: 1 });
		try {
			timed.inbound({ from: '966511111111', text: 'hi' });
			const sent = await callOk(timed, 'POST', '/message/send', {
				body: { to: '966511111111', type: 'text', text: { body: 'hello' } },
			});
			const message = () =>
				timed.messages().find((m) => m.message_id === sent.body.data.message_id)!;
			// Bounded wait for the sandbox's own timers (1 ms each); the assertion is on the order, not the time.
			for (let i = 0; i < 200 && message().status !== 'read'; i++)
				await new Promise((resolve) => setTimeout(resolve, 5));
			expect(message().status_history.map((h) => h.status)).toEqual(['sent', 'delivered', 'read']);
		} finally {
			await timed.stop();
		}
	});

	it('retries a failing receiver for policy "retry" with the same delivery id and event id', async () => {
		await registerWebhook(sandbox, receiver, 'billing_alert');
		receiver.answer = (_d, index) => (index < 2 ? 500 : 204);
		sandbox.fireEvent('billing_alert');
		await sandbox.settle();
		expect(receiver.received).toHaveLength(3);
		expect(new Set(receiver.received.map((d) => d.headers['x-azeer-delivery'])).size).toBe(1);
		expect(new Set(receiver.received.map((d) => d.body.event_id)).size).toBe(1);
		expect(sandbox.deliveries().map((d) => [d.attempt, d.status])).toEqual([
			[1, 500],
			[2, 500],
			[3, 204],
		]);
	});

	it('gives up after the configured retries and records network errors', async () => {
		await callOk(sandbox, 'POST', '/webhook', {
			body: {
				name: 'dead',
				description: '',
				url: 'http://127.0.0.1:1/hook?x=1',
				event: 'chat_closed',
				securetoken: 't',
				policy: 'retry',
				enabled: true,
			},
		});
		sandbox.fireEvent('chat_closed');
		await sandbox.settle();
		const attempts = sandbox.deliveries();
		expect(attempts.map((d) => [d.attempt, d.status, d.url])).toEqual(
			[1, 2, 3, 4].map((n) => [n, null, 'http://127.0.0.1:1/hook?x=1']),
		);
		expect(attempts[0].error).toEqual(expect.any(String));
	});

	it('tries once for policy "none" and never delivers to a disabled webhook', async () => {
		await registerWebhook(sandbox, receiver, 'chat_mentioned', { policy: 'none' });
		await registerWebhook(sandbox, receiver, 'chat_closed', { enabled: false });
		receiver.answer = () => 503;
		sandbox.fireEvent('chat_mentioned');
		sandbox.fireEvent('chat_closed');
		await sandbox.settle();
		expect(receiver.received.map((d) => d.body.webhook_event_type)).toEqual(['chat_mentioned']);
		expect(sandbox.events().map((e) => [e.event, e.webhooks.length])).toEqual([
			['chat_mentioned', 1],
			['chat_closed', 0],
		]);
	});

	it('duplicates deliberately with the same event_id and delivery id', async () => {
		await registerWebhook(sandbox, receiver, 'incoming_msg');
		await registerWebhook(sandbox, receiver, 'for_rules');
		sandbox.inbound({ from: '966511111111', text: 'twice', duplicate: 2 });
		await fetch(`${sandbox.origin}/__sandbox/events/for_rules`, {
			method: 'POST',
			body: '{"duplicate": 3}',
		});
		await sandbox.settle();
		const byType = (t: string) => receiver.received.filter((d) => d.body.webhook_event_type === t);
		expect(byType('incoming_msg')).toHaveLength(2);
		expect(byType('for_rules')).toHaveLength(3);
		for (const copies of [byType('incoming_msg'), byType('for_rules')]) {
			expect(new Set(copies.map((d) => d.body.event_id)).size).toBe(1);
			expect(new Set(copies.map((d) => d.headers['x-azeer-delivery'])).size).toBe(1);
		}
		expect(
			sandbox
				.deliveries()
				.filter((d) => d.event === 'for_rules')
				.map((d) => d.copy),
		).toEqual([1, 2, 3]);
	});

	it('approves a pending template when template_approved is fired for it', async () => {
		await registerWebhook(sandbox, receiver, 'template_approved');
		sandbox.fireEvent('template_approved');
		await sandbox.settle();
		expect(receiver.received[0].body).toMatchObject({
			template_name: 'black_friday',
			language: 'en',
			status: 'approved',
		});
		const sent = await callOk(sandbox, 'POST', '/message/send', {
			body: {
				to: '966511111111',
				type: 'template',
				template: { template_id: 'black_friday', language: 'en', argument: { BODY: ['30%'] } },
			},
		});
		expect(sent.status).toBe(200);
	});

	it('keeps the query string of the registered URL and refuses unknown events on the control API', async () => {
		await registerWebhook(sandbox, receiver, 'outgoing_msg', { url: `${receiver.url}?workflow=7` });
		await callOk(sandbox, 'POST', '/message/send', {
			body: { to: '966511111111', type: 'template', template: TEMPLATE_ORDER_UPDATE },
		});
		await sandbox.settle();
		expect(receiver.received[0].path).toBe('/hook?workflow=7');
		const unknown = await fetch(`${sandbox.origin}/__sandbox/events/order_created`, {
			method: 'POST',
		});
		expect(unknown.status).toBe(404);
	});
});
