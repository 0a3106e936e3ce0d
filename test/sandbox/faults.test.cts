/** Fault injection: each kind applies to the next N matching API requests, then normal service resumes. */
import { request } from 'node:http';

import type { Sandbox } from '../../sandbox/index.cjs';
import { call, callOk, useSandbox } from './helpers.cjs';

describe('fault injection', () => {
	let sandbox: Sandbox;

	useSandbox({ statusDelayMs: -1 }, (s) => (sandbox = s));

	it('429 carries Retry-After and the rate_limited body, for exactly `count` requests', async () => {
		sandbox.fault({ kind: '429', count: 2, retryAfter: 7 });
		for (let i = 0; i < 2; i++) {
			const limited = await callOk(sandbox, 'GET', '/tags');
			expect(limited.status).toBe(429);
			expect(limited.headers.get('retry-after')).toBe('7');
			expect(limited.body).toMatchObject({ success: false, code: 'rate_limited' });
		}
		expect((await callOk(sandbox, 'GET', '/tags')).status).toBe(200);
		expect(sandbox.requests().map((r) => r.fault)).toEqual(['429', '429', null]);
	});

	it('500 and 503 answer with error bodies; faults only match their method and path prefix', async () => {
		sandbox.fault({ kind: '500', path: '/message', method: 'POST' });
		sandbox.fault({ kind: '503', path: '/v1/agent' });
		expect((await callOk(sandbox, 'GET', '/tags')).status).toBe(200);
		expect((await callOk(sandbox, 'GET', '/agent/1')).body).toMatchObject({
			code: 'service_unavailable',
		});
		const failed = await callOk(sandbox, 'POST', '/message/send', {
			body: {
				to: '966511111111',
				type: 'template',
				template: { template_id: 'hello_world', language: 'en' },
			},
		});
		expect(failed.status).toBe(500);
		expect(failed.body.code).toBe('internal_error');
		expect(sandbox.messages()).toHaveLength(0);
		expect(sandbox.faults()).toEqual([]);
	});

	it('slow answers normally after the delay', async () => {
		sandbox.fault({ kind: 'slow', delayMs: 150 });
		const started = Date.now();
		const result = await callOk(sandbox, 'GET', '/tags');
		expect(result.status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
	});

	it('malformed answers 200 with a JSON body that does not parse', async () => {
		sandbox.fault({ kind: 'malformed' });
		const response = await fetch(`${sandbox.baseUrl}/tags`, {
			headers: { authorization: `Bearer ${sandbox.apiKey}` },
		});
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/application\/json/);
		const text = await response.text();
		expect(() => JSON.parse(text)).toThrow();
	});

	it('drop closes the connection without an answer', async () => {
		sandbox.fault({ kind: 'drop', path: '/tags' });
		const outcome = await new Promise<string>((resolve) => {
			const req = request(
				`${sandbox.baseUrl}/tags`,
				{ headers: { authorization: `Bearer ${sandbox.apiKey}` } },
				(res) => resolve(`answered ${res.statusCode}`),
			);
			req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
			req.end();
		});
		expect(outcome).toBe('ECONNRESET');
		expect(sandbox.requests()[0]).toMatchObject({ fault: 'drop', status: null });
		expect((await callOk(sandbox, 'GET', '/tags')).status).toBe(200);
	});

	it('is set, listed and cleared over the control API, which validates its input', async () => {
		const control = (method: string, body?: unknown) =>
			fetch(`${sandbox.origin}/__sandbox/faults`, {
				method,
				body: body === undefined ? undefined : JSON.stringify(body),
			});
		expect((await control('POST', { kind: 'teapot' })).status).toBe(400);
		expect(
			await (await control('POST', { kind: '503', count: 3, path: '/webhook' })).json(),
		).toEqual([{ kind: '503', count: 3, path: '/webhook' }]);
		expect((await call(sandbox, 'GET', '/webhook')).status).toBe(503);
		expect(await (await control('GET')).json()).toEqual([
			{ kind: '503', count: 2, path: '/webhook' },
		]);
		await control('DELETE');
		expect((await call(sandbox, 'GET', '/webhook')).status).toBe(200);
	});

	it('applies before authentication, like a proxy in front of the API', async () => {
		sandbox.fault({ kind: '429' });
		expect((await call(sandbox, 'GET', '/tags', { key: null })).status).toBe(429);
		expect((await call(sandbox, 'GET', '/tags', { key: null })).status).toBe(401);
	});
});
