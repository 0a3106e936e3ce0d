/** Sending rules the schema cannot express: contacts, the 24-hour window, templates and their placeholders. */
import { startSandbox } from '../../sandbox/index.cjs';
import type { Sandbox } from '../../sandbox/index.cjs';
import { callOk, TEMPLATE_ORDER_UPDATE, useSandbox } from './helpers.cjs';

const PHONE = '966511111111';

describe('sending messages', () => {
	let sandbox: Sandbox;

	useSandbox({ statusDelayMs: -1 }, (s) => (sandbox = s));

	const sendTemplate = (template: Record<string, unknown>, to = PHONE) =>
		callOk(sandbox, 'POST', '/message/send', { body: { to, type: 'template', template } });

	it.each([
		[
			'an unknown template',
			{ template_id: 'nope', language: 'en' },
			404,
			'template_not_found',
			'template.template_id',
		],
		[
			'a language the template lacks',
			{ template_id: 'otp_code', language: 'ar', argument: { BODY: ['1'] } },
			404,
			'template_not_found',
			'template.language',
		],
		[
			'a pending template',
			{ template_id: 'black_friday', language: 'en', argument: { BODY: ['30%'] } },
			400,
			'template_not_approved',
			'template.template_id',
		],
		[
			'too few body values',
			{ ...TEMPLATE_ORDER_UPDATE, argument: { ...TEMPLATE_ORDER_UPDATE.argument, BODY: ['Sam'] } },
			400,
			'template_mismatch',
			'template.argument.BODY',
		],
		[
			'a missing button value',
			{ ...TEMPLATE_ORDER_UPDATE, argument: { HEADER: ['A'], BODY: ['a', 'b'] } },
			400,
			'template_mismatch',
			'template.argument.BUTTONS',
		],
		[
			'values for a template without placeholders',
			{ template_id: 'hello_world', language: 'en', argument: { BODY: ['x'] } },
			400,
			'template_mismatch',
			'template.argument.BODY',
		],
		[
			'a media header that is not a URL',
			{
				template_id: 'welcome_offer',
				language: 'ar',
				argument: { HEADER: ['photo.jpg'], BODY: ['Sam'] },
			},
			400,
			'template_mismatch',
			'template.argument.HEADER[0]',
		],
	])('refuses %s', async (_name, template, status, code, field) => {
		const result = await sendTemplate(template);
		expect(result.status).toBe(status);
		expect(result.body.code).toBe(code);
		expect(result.body.errors[0].field).toBe(field);
	});

	it('names the expected and actual counts in a template_mismatch message', async () => {
		const result = await sendTemplate({
			template_id: 'otp_code',
			language: 'en',
			argument: { BODY: [] },
		});
		expect(result.body.message).toBe('Template otp_code BODY expects 1 value(s) but got 0');
	});

	it('sends templates outside the session window, with a media header URL, and records the rendered text', async () => {
		const sent = await sendTemplate({
			template_id: 'welcome_offer',
			language: 'en',
			argument: { HEADER: ['https://cdn.example.com/offer.jpg'], BODY: ['Sam'] },
		});
		expect(sent.status).toBe(200);
		expect(sent.body.data).toMatchObject({
			message_id: 1,
			id: expect.stringMatching(/^wamid\./),
			to: PHONE,
			type: 'template',
			status: 'sent',
			contact_id: 101,
		});
		expect(sandbox.messages(PHONE)[0]).toMatchObject({
			direction: 'out',
			from: '966500000000',
			text: 'Welcome Sam! Enjoy 20% off your first order.',
		});
		expect((await sendTemplate({ template_id: 'hello_world', language: 'en' })).status).toBe(200);
	});

	it('creates the contact with create=true and not without it', async () => {
		const without = await sendTemplate(
			{ template_id: 'hello_world', language: 'en' },
			'966577777777',
		);
		expect(without.body.code).toBe('contact_not_found');
		const created = await callOk(sandbox, 'POST', '/message/send', {
			query: { create: 'true' },
			body: {
				to: '966577777777',
				type: 'template',
				template: { template_id: 'hello_world', language: 'en' },
			},
		});
		expect(created.status).toBe(200);
		expect((await callOk(sandbox, 'GET', '/contact/966577777777')).body.data).toMatchObject({
			id: created.body.data.contact_id,
			platform_id: '966577777777',
		});
	});

	it('closes the window after sessionWindowHours and says to send a template', async () => {
		const shortWindow = await startSandbox({ sessionWindowHours: 0 });
		try {
			shortWindow.inbound({ from: PHONE, text: 'hi' });
			const result = await callOk(shortWindow, 'POST', '/message/send', {
				body: { to: PHONE, type: 'text', text: { body: 'late' } },
			});
			expect(result.body).toMatchObject({
				code: 'session_window_closed',
				message: expect.stringContaining('send an approved template instead'),
			});
		} finally {
			await shortWindow.stop();
		}
	});

	it('sends every free-form type inside the window and attributes agent messages', async () => {
		sandbox.inbound({ from: PHONE, text: 'hi' });
		const bodies = [
			{ type: 'text', text: { body: 'Hello\n\nthere', preview_url: true } },
			{ type: 'image', image: { link: 'https://cdn.example.com/a.jpg', caption: 'pic' } },
			{ type: 'document', document: { link: 'https://cdn.example.com/a.pdf', filename: 'a.pdf' } },
			{ type: 'audio', audio: { link: 'https://cdn.example.com/a.ogg' } },
			{ type: 'video', video: { link: 'https://cdn.example.com/a.mp4' } },
			{ type: 'location', location: { latitude: 24.7, longitude: 46.7, name: 'Riyadh office' } },
			{
				type: 'contacts',
				contacts: [
					{
						name: { formatted_name: 'Support' },
						phones: [{ phone: '+966500000000', type: 'WORK' }],
					},
				],
			},
			{
				type: 'interactive',
				interactive: {
					type: 'button',
					body: { text: 'Rate us' },
					action: { buttons: [{ type: 'reply', reply: { id: 'good', title: 'Good' } }] },
				},
			},
		];
		for (const body of bodies) {
			const result = await callOk(sandbox, 'POST', '/message/send', {
				body: { to: PHONE, recipient_type: 'individual', source: 'agent', agent_id: 2, ...body },
			});
			expect({ type: body.type, status: result.status }).toEqual({ type: body.type, status: 200 });
		}
		const out = sandbox.messages(PHONE).filter((m) => m.direction === 'out');
		expect(out.map((m) => [m.type, m.text, m.agent_id])).toEqual([
			['text', 'Hello\n\nthere', 2],
			['image', 'pic', 2],
			['document', null, 2],
			['audio', null, 2],
			['video', null, 2],
			['location', 'Riyadh office', 2],
			['contacts', null, 2],
			['interactive', 'Rate us', 2],
		]);
		const unknownAgent = await callOk(sandbox, 'POST', '/message/send', {
			body: { to: PHONE, agent_id: 99, ...bodies[0] },
		});
		expect(unknownAgent.body.errors[0].field).toBe('agent_id');
	});

	it('deletes messages one by one and in bulk', async () => {
		for (let i = 0; i < 3; i++) await sendTemplate({ template_id: 'hello_world', language: 'en' });
		expect((await callOk(sandbox, 'DELETE', '/message/2')).body.data).toEqual({
			id: 2,
			deleted: true,
		});
		expect(
			(await callOk(sandbox, 'DELETE', '/message/bulk', { body: { message_ids: [1, 2, 3, 3] } }))
				.body.data,
		).toEqual({ deleted: [1, 3], not_found: [2] });
		expect(sandbox.messages()).toEqual([]);
	});

	it('rejects a body that is not JSON, naming the body', async () => {
		const result = await callOk(sandbox, 'POST', '/message/send', { rawBody: '{"to": ' });
		expect(result.status).toBe(400);
		expect(result.body.errors).toEqual([{ field: 'body', message: 'not valid JSON' }]);
		expect(sandbox.requests()[0].body).toBe('{"to": ');
	});
});
