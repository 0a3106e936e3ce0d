import {
	expectOneRequest,
	expectRejectedBeforeRequest,
	SEED,
	useSandbox,
} from '../../fixtures.cjs';

const env = useSandbox();

describe('Contact → Assign to Agent', () => {
	it('assigns a contact to an agent by email', async () => {
		const result = await env.run({
			resource: 'contact',
			operation: 'assign',
			phone: SEED.contactPhone,
			agentEmail: { __rl: true, mode: 'list', value: SEED.agent.email },
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({
			platform_id: SEED.contactPhone,
			assigned_platform_id: SEED.agent.email,
		});
		expectOneRequest(env, {
			method: 'POST',
			path: '/v1/contact/assign',
			body: { platform_id: SEED.contactPhone, assigned_platform_id: SEED.agent.email },
		});
	});

	it('rejects an agent that is not an email before any request', async () => {
		const result = await env.run({
			resource: 'contact',
			operation: 'assign',
			phone: SEED.contactPhone,
			agentEmail: { __rl: true, mode: 'email', value: 'Sara' },
		});
		expectRejectedBeforeRequest(env, result, /"Sara" is not an agent's email/);
	});
});
