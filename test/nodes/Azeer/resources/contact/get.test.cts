import {
	expectOneRequest,
	expectRejectedBeforeRequest,
	SEED,
	useSandbox,
} from '../../fixtures.cjs';

const env = useSandbox();

describe('Contact → Get', () => {
	it('gets a contact by a pasted number, simplified', async () => {
		const result = await env.run({
			resource: 'contact',
			operation: 'get',
			phone: '+966-51-111-1111',
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({
			id: 101,
			platform_id: SEED.contactPhone,
			profile_name: 'Ahmed',
			profile_email: 'ahmed@example.com',
			tags: ['VIP'],
			assigned_agent: null,
			last_inbound_at: null,
		});
		expectOneRequest(env, { method: 'GET', path: `/v1/contact/${SEED.contactPhone}`, query: {} });
	});

	it('reports an unknown contact as a 404 with advice', async () => {
		const result = await env.run({ resource: 'contact', operation: 'get', phone: '966599999999' });
		expect((result.error as unknown as { httpCode: string }).httpCode).toBe('404');
		expect(result.error?.description).toMatch(/Check the ID|not a contact/);
	});

	it('rejects a bad number for Get before any request', async () => {
		const result = await env.run({ resource: 'contact', operation: 'get', phone: '+1 23' });
		expectRejectedBeforeRequest(env, result, /"\+1 23" is not a valid phone number/);
	});
});
