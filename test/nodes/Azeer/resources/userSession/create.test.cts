import { expectOneRequest, expectRejectedBeforeRequest, useSandbox } from '../../fixtures.cjs';

const env = useSandbox();
const BUSINESS = '550e8400-e29b-41d4-a716-446655440000';

const session = {
	resource: 'userSession',
	operation: 'create',
	hostId: 'host-7',
	businessId: BUSINESS,
	platformType: 'avocado',
	platformId: '1234567890',
	sessionRole: 'admin',
	profileName: 'johndoe',
	sessionDisplayName: 'John Doe',
	profileImageUrl: 'https://example.com/p.jpg',
};

describe('User Session → Create', () => {
	it('sends host_id as query and the user in the body', async () => {
		const result = await env.run(session);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			user_id: '1234567890',
			url: expect.stringContaining('host_id=host-7'),
		});
		expectOneRequest(env, {
			method: 'POST',
			path: '/v1/app/user.new.session',
			query: { host_id: 'host-7' },
			body: {
				business_id: BUSINESS,
				platform_type: 'avocado',
				platform_id: '1234567890',
				role: 'admin',
				profile_name: 'johndoe',
				display_name: 'John Doe',
				profile_image_url: 'https://example.com/p.jpg',
			},
		});
	});

	it('rejects a business ID that is not a UUID before any request', async () => {
		const result = await env.run({ ...session, businessId: 'acme' });
		expectRejectedBeforeRequest(env, result, /"acme" is not a business ID/);
	});
});
