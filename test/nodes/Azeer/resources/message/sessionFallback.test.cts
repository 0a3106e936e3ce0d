import { openSession, SEED, useSandbox } from '../../fixtures.cjs';

const env = useSandbox();
const PHONE = '966544351828';
const byName = (value: string) => ({ __rl: true, mode: 'name', value });
const bodyValues = (...values: string[]) => ({ values: values.map((value) => ({ value })) });

const sendText = (sendOptions: Record<string, unknown>, parameters: Record<string, unknown> = {}) =>
	env.run(
		{
			resource: 'message',
			operation: 'sendText',
			to: '+966 54 435 1828',
			text: 'Your code is ready',
			sendOptions,
			...parameters,
		} as never,
		{ continueOnFail: false },
	);

const fallbackOptions = (template: string, ...values: string[]) => ({
	createContact: true,
	agentId: SEED.agent.id,
	outsideWindow: 'sendTemplate',
	fallbackTemplate: byName(template),
	fallbackBodyValues: bodyValues(...values),
});

const sends = () => env.requests().filter((request) => request.path === '/v1/message/send');

describe('Send Text outside the 24-hour window', () => {
	it('sends the fallback template to the same number with the same options, and says so', async () => {
		const result = await sendText(fallbackOptions('otp_code|en', '4821'));
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({
			to: PHONE,
			type: 'template',
			status: 'sent',
			fallback: { reason: 'session_window_closed', template: 'otp_code|en' },
		});
		const [text, template] = sends();
		expect(sends()).toHaveLength(2);
		expect(text).toMatchObject({ method: 'POST', status: 400, query: { create: 'true' } });
		expect(text.body).toMatchObject({
			type: 'text',
			to: PHONE,
			text: { body: 'Your code is ready' },
		});
		expect(template.headers.authorization).toBe(`Bearer ${env.sandbox.apiKey}`);
		expect(template).toMatchObject({ method: 'POST', status: 200, query: { create: 'true' } });
		expect(template.body).toEqual({
			recipient_type: 'individual',
			to: PHONE,
			type: 'template',
			source: 'agent',
			agent_id: SEED.agent.id,
			template: { template_id: 'otp_code', language: 'en', argument: { BODY: ['4821'] } },
		});
		expect(env.sandbox.messages(PHONE).map((message) => message.type)).toEqual(['template']);
	});

	it('works for the other free-form sends too (an image, falling back to a template without placeholders)', async () => {
		const result = await env.run({
			resource: 'message',
			operation: 'sendImage',
			to: SEED.contactPhone,
			mediaUrl: 'https://example.com/menu.jpg',
			sendOptions: { outsideWindow: 'sendTemplate', fallbackTemplate: byName('hello_world|en') },
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			type: 'template',
			fallback: { reason: 'session_window_closed', template: 'hello_world|en' },
		});
		expect(sends().map((request) => [request.query, request.body])).toEqual([
			[{ create: 'true' }, expect.objectContaining({ type: 'image' })],
			[
				{ create: 'true' },
				{
					recipient_type: 'individual',
					to: SEED.contactPhone,
					type: 'template',
					template: { template_id: 'hello_world', language: 'en', argument: {} },
				},
			],
		]);
	});

	it('sends only the text when the window is open', async () => {
		openSession(env, PHONE);
		const result = await sendText(fallbackOptions('otp_code|en', '4821'));
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ to: PHONE, type: 'text', status: 'sent' });
		expect(result.items[0].json).not.toHaveProperty('fallback');
		expect(
			env.requests().map((request) => `${request.method} ${request.path} ${request.status}`),
		).toEqual(['POST /v1/message/send 200']);
	});

	it('fails as before by default', async () => {
		const result = await sendText({}, { to: SEED.contactPhone });
		expect(result.error?.message).toMatch(/No message from 966511111111 in the last 24 hours/);
		expect(result.error?.description).toMatch(/Send an approved template instead/);
		expect(result.error?.context?.itemIndex).toBe(0);
		expect(env.requests()).toHaveLength(1);
	});

	it('rejects a value count that does not match the template body, without sending the template', async () => {
		const result = await sendText(fallbackOptions('otp_code|en', '4821', 'extra'));
		expect(result.error?.message).toMatch(
			/Fallback template otp_code \(en\): the template needs 1 value\(s\) \(1 body\) but 2 were given.*\[item 0\]/,
		);
		expect(result.error?.context?.itemIndex).toBe(0);
		expect(env.requests().map((request) => `${request.method} ${request.path}`)).toEqual([
			'POST /v1/message/send',
			'GET /v1/partner/templates',
		]);
	});

	it('refuses a template with header or button placeholders', async () => {
		const result = await sendText(fallbackOptions('order_update|en', 'Sara', 'shipped'));
		expect(result.error?.message).toMatch(
			/order_update \(en\) has header or button placeholders.*only body values can be given here/,
		);
		expect(sends()).toHaveLength(1);
	});

	it('refuses a template that is not approved, naming each item, without the API key in the error', async () => {
		const result = await env.run(
			{
				resource: 'message',
				operation: 'sendText',
				to: PHONE,
				text: 'x',
				sendOptions: fallbackOptions('black_friday|en'),
			},
			{ input: [{ json: {} }, { json: {} }], continueOnFail: true },
		);
		expect(result.items).toHaveLength(2);
		for (const [index, item] of result.items.entries()) {
			expect(item.error?.name).toBe('NodeOperationError');
			expect(item.error?.message).toBe(
				`Fallback template black_friday (en) is pending, not approved [item ${index}]`,
			);
			expect(JSON.stringify(item.error)).not.toContain(env.sandbox.apiKey);
		}
		expect(sends().map((request) => request.body)).toEqual([
			expect.objectContaining({ type: 'text' }),
			expect.objectContaining({ type: 'text' }),
		]);
	});
});
