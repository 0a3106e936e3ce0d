import { expectOneRequest, expectRejectedBeforeRequest, useSandbox } from '../../fixtures.cjs';

const env = useSandbox();

describe('Custom Field → Get Many', () => {
	it('returns one item per field with its group type', async () => {
		const result = await env.run({ resource: 'customField', operation: 'getAll', returnAll: true });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual([
			{ id: 1, display_name: 'Company', type: 'text', group_type: 'text' },
			{ id: 2, display_name: 'City', type: 'text', group_type: 'text' },
			{ id: 3, display_name: 'Orders count', type: 'number', group_type: 'number' },
			{ id: 4, display_name: 'Birthday', type: 'date', group_type: 'date' },
			{ id: 5, display_name: 'Plan', type: 'dropdown', group_type: 'dropdown' },
		]);
		expectOneRequest(env, { method: 'GET', path: '/v1/customfield/group', query: {} });
	});

	it('keeps only the chosen fields and honours the limit', async () => {
		const chosen = await env.run({
			resource: 'customField',
			operation: 'getAll',
			returnAll: true,
			customFieldFilters: { fieldIds: [3, 5] },
		});
		expect(chosen.items.map((item) => item.json.id)).toEqual([3, 5]);
		const limited = await env.run({ resource: 'customField', operation: 'getAll', limit: 2 });
		expect(limited.items).toHaveLength(2);
	});

	it('rejects a limit below 1', async () => {
		const result = await env.run({ resource: 'customField', operation: 'getAll', limit: 0 });
		expectRejectedBeforeRequest(env, result, /Limit must be a whole number/);
	});
});
