import { expectOneRequest, expectRejectedBeforeRequest, useSandbox } from '../../fixtures.cjs';

const env = useSandbox();

describe('Template → Get', () => {
	it('gets one template by name and language', async () => {
		const result = await env.run({
			resource: 'template',
			operation: 'get',
			template: { __rl: true, mode: 'list', value: 'welcome_offer|ar' },
			simplify: false,
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({
			id: '1002',
			name: 'welcome_offer',
			language: 'ar',
		});
		expectOneRequest(env, { method: 'GET', path: '/v1/partner/templates' });
	});

	it('says which languages exist when the name is ambiguous', async () => {
		const result = await env.run({
			resource: 'template',
			operation: 'get',
			template: { __rl: true, mode: 'name', value: 'welcome_offer' },
		});
		expect(result.error?.message).toMatch(/exists in several languages \(ar, en\)/);
	});

	it('rejects an empty template before any request', async () => {
		const result = await env.run({
			resource: 'template',
			operation: 'get',
			template: { __rl: true, mode: 'name', value: '={{ $json.template }}' },
		});
		expectRejectedBeforeRequest(env, result, /No template chosen/);
	});
});
