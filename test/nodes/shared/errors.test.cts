/**
 * Error handling on the real engine against the sandbox: the API's own messages with advice,
 * 429 retried as told, sends that may have been processed never repeated, Continue On Fail, and
 * the API key kept out of every error, output and log line.
 */
import { LoggerProxy } from 'n8n-workflow';

import { PACING } from '../../../nodes/shared/pacer';
import { openSession, useSandbox } from '../Azeer/fixtures.cjs';

const env = useSandbox();
const PHONE = '966544351828';
const sendText = { resource: 'message', operation: 'sendText', to: PHONE, text: 'hello' };
const httpCode = (error: unknown) => (error as { httpCode?: string }).httpCode;

function expectNoSecret(secret: string, ...values: unknown[]) {
	for (const value of values) expect(JSON.stringify(value ?? null)).not.toContain(secret);
}

describe("API errors become NodeApiError with the API's message and advice", () => {
	it('401: wrong key', async () => {
		const badKey = 'eyJhbGciOiJIUzI1NiJ9.revoked-key-42.signature';
		const result = await env.run(sendText, { apiKey: badKey });
		expect(result.error?.name).toBe('NodeApiError');
		expect(httpCode(result.error)).toBe('401');
		expect(result.error?.description).toMatch(/key was not accepted.*revoked/);
		expect(env.requests()[0].headers.authorization).toBe(`Bearer ${badKey}`);
		expectNoSecret(
			badKey,
			result.error,
			result.error?.message,
			result.error?.description,
			result.items,
			result.run.data.resultData,
		);
	});

	it('403: read-only key on a send', async () => {
		openSession(env, PHONE);
		const result = await env.run(sendText, { apiKey: env.sandbox.readOnlyKey });
		expect(httpCode(result.error)).toBe('403');
		expect(result.error?.description).toMatch(/"Read only".*"Read and write"/);
		expect(env.sandbox.messages(PHONE).filter((message) => message.direction === 'out')).toEqual(
			[],
		);
	});

	it('the 24-hour rule: advises sending a template', async () => {
		const result = await env.run({ ...sendText, sendOptions: { createContact: true } });
		expect(httpCode(result.error)).toBe('400');
		expect(result.error?.message).toMatch(/No message from 966544351828 in the last 24 hours/);
		expect(result.error?.description).toMatch(
			/Send an approved template instead \(Message → Send Template\)/,
		);
	});

	it('unknown contact without "Create Contact If Missing": says how to fix it', async () => {
		const result = await env.run({
			...sendText,
			to: '966577777777',
			sendOptions: { createContact: false },
		});
		expect(httpCode(result.error)).toBe('404');
		expect(result.error?.description).toMatch(/Turn on "Create Contact If Missing"/);
	});

	it('an answer that is not JSON is reported, not output', async () => {
		env.sandbox.fault({ kind: 'malformed', count: 1, path: '/tags' });
		const result = await env.run({ resource: 'tag', operation: 'getAll', returnAll: true });
		expect(result.error?.message).toMatch(/not JSON|JSON/);
		expect(result.items).toEqual([]);
	});
});

describe('Rate limits and faults', () => {
	it('429 with Retry-After: waits, retries and succeeds, sending the message once', async () => {
		openSession(env, PHONE);
		env.sandbox.fault({ kind: '429', count: 1, retryAfter: 1, path: '/message/send' });
		const started = Date.now();
		const result = await env.run(sendText);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ status: 'sent', to: PHONE });
		const requests = env.requests();
		expect(requests.map((request) => request.status)).toEqual([429, 200]);
		expect(requests[1].body).toEqual(requests[0].body);
		expect(requests[1].headers.authorization).toBe(`Bearer ${env.sandbox.apiKey}`);
		expect(Date.parse(requests[1].at) - Date.parse(requests[0].at)).toBeGreaterThanOrEqual(900);
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(
			env.sandbox.messages(PHONE).filter((message) => message.direction === 'out'),
		).toHaveLength(1);
	});

	it('429 that does not stop: gives up after 20 retries with advice', async () => {
		env.sandbox.fault({ kind: '429', count: 30, retryAfter: 0 });
		const result = await env.run({ resource: 'agent', operation: 'getAll', returnAll: true });
		expect(httpCode(result.error)).toBe('429');
		expect(result.error?.description).toMatch(/paused and retried/);
		expect(env.requests()).toHaveLength(PACING.maxRateLimitRetries + 1);
	});

	it('429 on a Create Many batch is retried too', async () => {
		env.sandbox.fault({ kind: '429', count: 1, retryAfter: 0, path: '/contact/create' });
		const result = await env.run(
			{
				resource: 'contact',
				operation: 'createMany',
				mode: 'sync',
				phone: '={{ $json.phone }}',
				contactName: 'X',
				countryCode: 'SA',
			},
			{ input: [{ json: { phone: '966550000001' } }, { json: { phone: '966550000002' } }] },
		);
		expect(result.error).toBeUndefined();
		expect(env.requests().map((request) => request.status)).toEqual([429, 200]);
		expect(result.items).toHaveLength(2);
	});

	it('500 on a send is reported and not retried (no double send)', async () => {
		openSession(env, PHONE);
		env.sandbox.fault({ kind: '500', count: 1, path: '/message/send' });
		const result = await env.run(sendText);
		expect(httpCode(result.error)).toBe('500');
		expect(result.error?.description).toMatch(/did not retry it \(no double sends\)/);
		expect(env.requests()).toHaveLength(1);
	});

	it('a dropped connection on a send is reported and not retried', async () => {
		openSession(env, PHONE);
		env.sandbox.fault({ kind: 'drop', count: 1, path: '/message/send' });
		const result = await env.run(sendText);
		expect(result.error?.name).toBe('NodeApiError');
		expect(env.requests()).toHaveLength(1);
		expectNoSecret(env.sandbox.apiKey, result.error, result.run.data.resultData);
	});
});

describe('Continue On Fail', () => {
	it('yields one error item per failed input and keeps the others', async () => {
		openSession(env, PHONE);
		const result = await env.run(
			{ ...sendText, to: '={{ $json.to }}', sendOptions: { createContact: false } },
			{
				continueOnFail: true,
				input: [
					{ json: { to: PHONE } },
					{ json: { to: 'not a phone' } },
					{ json: { to: '966577777777' } },
					{ json: { to: `+${PHONE}` } },
				],
			},
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(4);
		expect(result.items[0].json).toMatchObject({ status: 'sent' });
		expect(result.items[1].error?.name).toBe('NodeOperationError');
		expect(result.items[1].error?.message).toMatch(
			/"not a phone" is not a valid phone number \[item 1\]/,
		);
		expect(result.items[2].error?.name).toBe('NodeApiError');
		expect((result.items[2].error as unknown as { httpCode: string }).httpCode).toBe('404');
		expect(result.items[3].json).toMatchObject({ status: 'sent' });
		expect(env.requests()).toHaveLength(3);
	});
});

describe('The API key stays secret', () => {
	it('appears in no error, output item or log line of failing runs', async () => {
		const secret = env.sandbox.apiKey;
		const logged: string[] = [];
		const capture = (message: string, metadata?: unknown) =>
			logged.push(`${message} ${JSON.stringify(metadata ?? {})}`);
		LoggerProxy.init({ error: capture, warn: capture, info: capture, debug: capture });
		try {
			env.sandbox.fault({ kind: '500', count: 1 });
			const results = [
				await env.run(sendText),
				await env.run({ ...sendText, to: 'bad' }),
				await env.run(sendText, { continueOnFail: true }),
				await env.run({ resource: 'contact', operation: 'get', phone: '966599999999' }),
			];
			for (const result of results)
				expectNoSecret(secret, result.error, result.items, result.run.data);
		} finally {
			LoggerProxy.init({ error: () => {}, warn: () => {}, info: () => {}, debug: () => {} });
		}
		expect(logged.length).toBeGreaterThan(0);
		expect(logged.join('\n')).not.toContain(secret);
	});
});
