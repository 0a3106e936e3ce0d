import { expectOneRequest, expectRejectedBeforeRequest, useSandbox } from '../../fixtures.cjs';

const env = useSandbox();

describe('Tag → Create', () => {
	it('Create sends name, colour and description', async () => {
		const result = await env.run({
			resource: 'tag',
			operation: 'create',
			tagName: 'Wholesale',
			tagOptions: { colour: '#112233', description: 'B2B buyers' },
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			id: 3,
			tag: 'Wholesale',
			colour: '#112233',
			description: 'B2B buyers',
		});
		expectOneRequest(env, {
			method: 'POST',
			path: '/v1/tags',
			body: { tag: 'Wholesale', colour: '#112233', description: 'B2B buyers' },
		});
	});

	it('Create rejects a colour that is not #rrggbb before any request', async () => {
		const result = await env.run({
			resource: 'tag',
			operation: 'create',
			tagName: 'X',
			tagOptions: { colour: 'red' },
		});
		expectRejectedBeforeRequest(env, result, /"red" is not a colour like #1a2b3c/);
	});

	it("Create surfaces the API's own message for a duplicate tag", async () => {
		const result = await env.run({ resource: 'tag', operation: 'create', tagName: 'VIP' });
		expect(result.error?.message).toBe('A tag named VIP already exists');
		expect(result.error?.description).toMatch(/^tag: already exists\./);
	});
});
