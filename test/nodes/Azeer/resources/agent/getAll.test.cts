import { expectOneRequest, expectRejectedBeforeRequest, useSandbox } from '../../fixtures.cjs';

const env = useSandbox();

describe('Agent → Get Many', () => {
	it('Get Many returns one item per agent, up to the limit', async () => {
		const all = await env.run({ resource: 'agent', operation: 'getAll', returnAll: true });
		expect(all.items.map((item) => item.json.email)).toEqual([
			'sara@example.com',
			'omar@example.com',
		]);
		expectOneRequest(env, { method: 'GET', path: '/v1/agent', query: {} });
		const limited = await env.run({ resource: 'agent', operation: 'getAll', limit: 1 });
		expect(limited.items).toHaveLength(1);
	});

	it('Get Many rejects a limit below 1', async () => {
		const result = await env.run({ resource: 'agent', operation: 'getAll', limit: 0 });
		expectRejectedBeforeRequest(env, result, /Limit must be a whole number of at least 1/);
	});
});
