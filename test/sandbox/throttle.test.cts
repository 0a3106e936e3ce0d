/**
 * Rate limits of message sends: an account rate and a per-recipient pair rate, answered with 429 in
 * Azeer's error envelope, Retry-After on every other 429, counted, and set by the control API.
 */
import type { Sandbox } from '../../sandbox/index.cjs';
import { call, callOk, useSandbox } from './helpers.cjs';

const template = (to: string) => ({
	to,
	type: 'template',
	template: { template_id: 'hello_world', language: 'en' },
});
const CREATE = { create: 'true' };
const recipient = (i: number) => String(966500001000 + i);

describe('sandbox rate limits', () => {
	let sandbox: Sandbox;
	useSandbox({ statusDelayMs: -1 }, (s) => (sandbox = s));
	afterEach(() =>
		sandbox.setLimits({
			accountPerSecond: 0,
			recipientIntervalSeconds: 0,
			retryAfter: 'sometimes',
		}),
	);

	it('are off unless asked for, so every send goes through', async () => {
		const answers = await Promise.all(
			Array.from({ length: 20 }, () =>
				call(sandbox, 'POST', '/message/send', { query: CREATE, body: template(recipient(0)) }),
			),
		);
		expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
		expect(sandbox.limits().throttled).toEqual({ account: 0, recipient: 0, withRetryAfter: 0 });
	});

	it('answer 429 rate_limited over the account rate, Retry-After on every other one, and count them', async () => {
		const control = await fetch(`${sandbox.origin}/__sandbox/limits`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ accountPerSecond: 5, recipientIntervalSeconds: 0 }),
		});
		expect(await control.json()).toEqual({
			accountPerSecond: 5,
			recipientIntervalSeconds: 0,
			retryAfter: 'sometimes',
			throttled: { account: 0, recipient: 0, withRetryAfter: 0 },
		});

		// All at once, so that the bucket cannot refill in between, however slow the machine.
		const answers = await Promise.all(
			Array.from({ length: 9 }, (_, i) =>
				callOk(sandbox, 'POST', '/message/send', { query: CREATE, body: template(recipient(i)) }),
			),
		);
		expect(answers.map((a) => a.status).sort()).toEqual([
			200, 200, 200, 200, 200, 429, 429, 429, 429,
		]);
		const rejected = answers.filter((a) => a.status === 429);
		expect(rejected.map((a) => a.body.code)).toEqual(Array(4).fill('rate_limited'));
		expect(rejected[0].body).toMatchObject({
			success: false,
			message: expect.stringContaining('5 per second'),
		});
		expect(rejected.map((a) => a.headers.get('retry-after')).sort()).toEqual([
			'1',
			'1',
			null,
			null,
		]);
		expect(sandbox.messages().filter((m) => m.direction === 'out')).toHaveLength(5);
		expect(sandbox.limits().throttled).toEqual({ account: 4, recipient: 0, withRetryAfter: 2 });
	});

	it('answer 429 recipient_rate_limited to a number messaged again within the pair interval', async () => {
		sandbox.setLimits({ accountPerSecond: 0, recipientIntervalSeconds: 6, retryAfter: 'always' });
		const first = await callOk(sandbox, 'POST', '/message/send', {
			query: CREATE,
			body: template(recipient(1)),
		});
		const again = await callOk(sandbox, 'POST', '/message/send', {
			query: CREATE,
			body: template(recipient(1)),
		});
		const other = await callOk(sandbox, 'POST', '/message/send', {
			query: CREATE,
			body: template(recipient(2)),
		});
		expect([first.status, again.status, other.status]).toEqual([200, 429, 200]);
		expect(again.body.code).toBe('recipient_rate_limited');
		expect(Number(again.headers.get('retry-after'))).toBeGreaterThanOrEqual(5);
		expect(sandbox.limits().throttled).toEqual({ account: 0, recipient: 1, withRetryAfter: 1 });
	});

	it('never send Retry-After when told so, and only limit message sends', async () => {
		sandbox.setLimits({ accountPerSecond: 1, retryAfter: 'never' });
		const sends = await Promise.all(
			[0, 1, 2].map((i) =>
				callOk(sandbox, 'POST', '/message/send', { query: CREATE, body: template(recipient(i)) }),
			),
		);
		expect(sends.map((a) => [a.status, a.headers.get('retry-after')]).sort()).toEqual([
			[200, null],
			[429, null],
			[429, null],
		]);
		expect((await callOk(sandbox, 'GET', '/tags')).status).toBe(200);
	});

	it('reject a bad limits request on the control API', async () => {
		const response = await fetch(`${sandbox.origin}/__sandbox/limits`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ accountPerSecond: -1 }),
		});
		expect(response.status).toBe(400);
	});
});
