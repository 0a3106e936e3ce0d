import { expectOneRequest, expectRejectedBeforeRequest, useSandbox } from '../../fixtures.cjs';

const env = useSandbox();
const list = { resource: 'template', operation: 'getAll' };

describe('Template → Get Many', () => {
	it('returns approved templates by default, one item per template, simplified', async () => {
		const result = await env.run({ ...list, returnAll: true });
		expect(result.error).toBeUndefined();
		const names = result.items.map(
			(item) => `${String(item.json.name)} (${String(item.json.language)})`,
		);
		expect(names).toEqual([
			'order_update (en)',
			'welcome_offer (ar)',
			'welcome_offer (en)',
			'otp_code (en)',
			'hello_world (en)',
		]);
		expect(result.items[0].json).toEqual({
			id: '1001',
			name: 'order_update',
			language: 'en',
			status: 'approved',
			category: 'UTILITY',
			header_format: 'TEXT',
			body: 'Hi {{1}}, your order is now {{2}}.',
			variables: ['header_1', 'body_1', 'body_2', 'button_1'],
		});
		expectOneRequest(env, { method: 'GET', path: '/v1/partner/templates', query: {} });
	});

	it('filters by status, language and category and honours the limit', async () => {
		const pending = await env.run({ ...list, status: 'pending', returnAll: true, simplify: false });
		expect(pending.items.map((item) => item.json.name)).toEqual(['black_friday']);
		expect(pending.items[0].json.components).toBeDefined();
		const marketing = await env.run({
			...list,
			filters: { language: 'ar', category: 'MARKETING' },
			returnAll: true,
		});
		expect(marketing.items.map((item) => item.json.name)).toEqual(['welcome_offer']);
		const limited = await env.run({ ...list, returnAll: false, limit: 2 });
		expect(limited.items).toHaveLength(2);
	});

	it('rejects a language that is not a language code', async () => {
		const result = await env.run({ ...list, filters: { language: 'English!' } });
		expectRejectedBeforeRequest(env, result, /"English!" is not a language code/);
	});
});
