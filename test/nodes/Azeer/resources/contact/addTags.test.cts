import {
	expectOneRequest,
	expectRejectedBeforeRequest,
	SEED,
	useSandbox,
} from '../../fixtures.cjs';

const env = useSandbox();

describe('Contact → Add Tags', () => {
	it('adds tags and returns all tag IDs of the contact', async () => {
		const result = await env.run({
			resource: 'contact',
			operation: 'addTags',
			phone: SEED.contactPhone,
			tagIds: [2],
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({ platform_id: SEED.contactPhone, tag_ids: [1, 2] });
		expectOneRequest(env, {
			method: 'POST',
			path: '/v1/contact/tags',
			body: { platform_id: SEED.contactPhone, tag_ids: [2] },
		});
	});

	it('rejects tag IDs that are not numbers before any request', async () => {
		const result = await env.run({
			resource: 'contact',
			operation: 'addTags',
			phone: SEED.contactPhone,
			tagIds: '={{ ["vip"] }}',
		});
		expectRejectedBeforeRequest(env, result, /Tags: not IDs: "vip"/);
	});
});
