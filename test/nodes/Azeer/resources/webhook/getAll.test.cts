import {
	expectOneRequest,
	expectRejectedBeforeRequest,
	useSandbox,
	withWebhook,
} from '../../fixtures.cjs';

const env = useSandbox();

describe('Webhook → Get Many', () => {
	it('Get Many returns one item per webhook', async () => {
		await withWebhook(env);
		const all = await env.run({ resource: 'webhook', operation: 'getAll', returnAll: true });
		expect(all.items.map((item) => item.json.id)).toEqual([1]);
		expectOneRequest(env, { method: 'GET', path: '/v1/webhook' });
	});

	it('Get Many rejects a limit below 1', async () => {
		const result = await env.run({ resource: 'webhook', operation: 'getAll', limit: 0 });
		expectRejectedBeforeRequest(env, result, /Limit must be a whole number/);
	});
});
