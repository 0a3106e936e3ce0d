import {
	createWebhook,
	expectOneRequest,
	expectRejectedBeforeRequest,
	useSandbox,
} from '../../fixtures.cjs';

const env = useSandbox();

describe('Webhook → Create', () => {
	it('Create sends every field and never echoes the secure token', async () => {
		const result = await createWebhook(env);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			id: 1,
			name: 'Orders',
			event: 'incoming_msg',
			policy: 'none',
			enabled: true,
		});
		expect(JSON.stringify(result.items)).not.toContain('token-1234567890');
		expectOneRequest(env, {
			method: 'POST',
			path: '/v1/webhook',
			body: {
				name: 'Orders',
				url: 'http://127.0.0.1:9/hook',
				event: 'incoming_msg',
				securetoken: 'token-1234567890',
				policy: 'none',
				enabled: true,
				description: 'orders flow',
			},
		});
	});

	it('Create rejects a URL that is not http(s) before any request', async () => {
		const result = await env.run({
			resource: 'webhook',
			operation: 'create',
			name: 'x',
			url: 'ftp://x',
			securetoken: 't',
		});
		expectRejectedBeforeRequest(env, result, /"ftp:\/\/x" is not an http\(s\) URL/);
	});
});
