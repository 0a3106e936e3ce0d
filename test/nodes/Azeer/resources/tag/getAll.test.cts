import { expectOneRequest, expectRejectedBeforeRequest, useSandbox } from '../../fixtures.cjs';

const env = useSandbox();

describe('Tag → Get Many', () => {
	it('Get Many returns one item per tag', async () => {
		const result = await env.run({ resource: 'tag', operation: 'getAll', returnAll: true });
		expect(result.items.map((item) => item.json.tag)).toEqual(['VIP', 'Lead']);
		expectOneRequest(env, { method: 'GET', path: '/v1/tags', query: {} });
	});

	it('Get Many rejects a limit below 1', async () => {
		const result = await env.run({ resource: 'tag', operation: 'getAll', limit: -5 });
		expectRejectedBeforeRequest(env, result, /Limit must be a whole number/);
	});
});
