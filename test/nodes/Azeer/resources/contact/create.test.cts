import {
	contactIn,
	contactParameters,
	expectOneRequest,
	expectRejectedBeforeRequest,
	useSandbox,
} from '../../fixtures.cjs';

const env = useSandbox();

describe('Contact → Create', () => {
	it('creates one contact per item (sync) and outputs it', async () => {
		const result = await env.run(
			{
				resource: 'contact',
				operation: 'create',
				...contactParameters,
				additionalFields: { email: 'sara@example.org', tagIds: [1] },
			},
			{ input: [{ json: { phone: '+966 55 000 0001', name: 'Sara' } }] },
		);
		expect(result.error).toBeUndefined();
		const created = {
			...contactIn('966550000001', 'Sara'),
			profile_email: 'sara@example.org',
			tags: [1],
		};
		expect(result.items.map((item) => item.json)).toEqual([{ ...created, status: 'created' }]);
		expectOneRequest(env, {
			method: 'POST',
			path: '/v1/contact/create',
			query: {},
			body: { mode: 'sync', contacts: [created] },
		});
	});

	it('rejects a bad email before any request', async () => {
		const result = await env.run({
			resource: 'contact',
			operation: 'create',
			phone: '966550000001',
			contactName: 'Sara',
			countryCode: 'SA',
			additionalFields: { email: 'not-an-email' },
		});
		expectRejectedBeforeRequest(env, result, /"not-an-email" is not an email address/);
	});
});
