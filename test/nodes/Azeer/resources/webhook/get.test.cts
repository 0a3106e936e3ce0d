import {
	byId,
	expectOneRequest,
	expectRejectedBeforeRequest,
	useSandbox,
	withWebhook,
} from '../../fixtures.cjs';

const env = useSandbox();

describe('Webhook → Get', () => {
	it('Get returns the webhook', async () => {
		await withWebhook(env);
		const got = await env.run({ resource: 'webhook', operation: 'get', webhookId: byId(1) });
		expect(got.items[0].json).toMatchObject({ id: 1, name: 'Orders' });
		expectOneRequest(env, { method: 'GET', path: '/v1/webhook/1', query: {} });
	});

	it('Get rejects an ID that is not a number before any request', async () => {
		const result = await env.run({
			resource: 'webhook',
			operation: 'get',
			webhookId: byId('={{ "abc" }}'),
		});
		expectRejectedBeforeRequest(env, result, /"abc" is not a webhook ID/);
	});
});
