import { expectOneRequest, expectRejectedBeforeRequest, useSandbox } from '../../fixtures.cjs';

const env = useSandbox();

describe('Agent → Create', () => {
	it('Create sends the agent and outputs its new ID', async () => {
		const result = await env.run({
			resource: 'agent',
			operation: 'create',
			email: 'lina@example.com',
			agentName: 'Lina Support',
			role: 'supervisor',
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual([{ agent_id: '3' }]);
		expectOneRequest(env, {
			method: 'POST',
			path: '/v1/agent',
			body: {
				email: 'lina@example.com',
				name: 'Lina Support',
				display_name: 'Lina Support',
				role: 'supervisor',
				status: 'active',
			},
		});
	});

	it('Create rejects a bad email before any request', async () => {
		const result = await env.run({
			resource: 'agent',
			operation: 'create',
			email: 'lina',
			agentName: 'Lina',
		});
		expectRejectedBeforeRequest(env, result, /"lina" is not an email address/);
	});
});
