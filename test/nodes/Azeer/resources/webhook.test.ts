import { expectOneRequest, expectRejectedBeforeRequest, useSandbox } from '../fixtures';

const env = useSandbox();
const byId = (id: number | string) => ({ __rl: true, mode: 'id', value: String(id) });

async function createWebhook() {
	const result = await env.run({
		resource: 'webhook',
		operation: 'create',
		name: 'Orders',
		url: 'http://127.0.0.1:9/hook',
		event: 'incoming_msg',
		securetoken: 'token-1234567890',
		retry: false,
		description: 'orders flow',
	});
	return result;
}

describe('Webhook', () => {
	it('Create sends every field and never echoes the secure token', async () => {
		const result = await createWebhook();
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

	it('Get, Get Many and Delete', async () => {
		await createWebhook();
		env.sandbox.clearRequests();
		const got = await env.run({ resource: 'webhook', operation: 'get', webhookId: byId(1) });
		expect(got.items[0].json).toMatchObject({ id: 1, name: 'Orders' });
		expectOneRequest(env, { method: 'GET', path: '/v1/webhook/1', query: {} });
		env.sandbox.clearRequests();
		const all = await env.run({ resource: 'webhook', operation: 'getAll', returnAll: true });
		expect(all.items.map((item) => item.json.id)).toEqual([1]);
		expectOneRequest(env, { method: 'GET', path: '/v1/webhook' });
		env.sandbox.clearRequests();
		const deleted = await env.run({ resource: 'webhook', operation: 'delete', webhookId: byId(1) });
		expect(deleted.items.map((item) => item.json)).toEqual([{ id: 1, deleted: true }]);
		expectOneRequest(env, { method: 'DELETE', path: '/v1/webhook/1' });
	});

	it.each(['get', 'delete'])(
		'%s rejects an ID that is not a number before any request',
		async (operation) => {
			const result = await env.run({
				resource: 'webhook',
				operation,
				webhookId: byId('={{ "abc" }}'),
			});
			expectRejectedBeforeRequest(env, result, /"abc" is not a webhook ID/);
		},
	);

	it('Get Many rejects a limit below 1', async () => {
		const result = await env.run({ resource: 'webhook', operation: 'getAll', limit: 0 });
		expectRejectedBeforeRequest(env, result, /Limit must be a whole number/);
	});
});
