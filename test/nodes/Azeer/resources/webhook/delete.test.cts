import {
	byId,
	expectOneRequest,
	expectRejectedBeforeRequest,
	useSandbox,
	withWebhook,
} from '../../fixtures.cjs';

const env = useSandbox();

describe('Webhook → Delete', () => {
	it('Delete removes the webhook and outputs deleted: true', async () => {
		await withWebhook(env);
		const deleted = await env.run({ resource: 'webhook', operation: 'delete', webhookId: byId(1) });
		expect(deleted.items.map((item) => item.json)).toEqual([{ id: 1, deleted: true }]);
		expectOneRequest(env, { method: 'DELETE', path: '/v1/webhook/1' });
	});

	it('Delete rejects an ID that is not a number before any request', async () => {
		const result = await env.run({
			resource: 'webhook',
			operation: 'delete',
			webhookId: byId('={{ "abc" }}'),
		});
		expectRejectedBeforeRequest(env, result, /"abc" is not a webhook ID/);
	});
});
