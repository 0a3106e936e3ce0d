import {
	byId,
	expectOneRequest,
	expectRejectedBeforeRequest,
	useSandbox,
} from '../../fixtures.cjs';

const env = useSandbox();

describe('Agent → Update', () => {
	it('Update sends only the changed fields', async () => {
		const result = await env.run({
			resource: 'agent',
			operation: 'update',
			agentId: byId(2),
			updateFields: { status: 'inactive', displayName: 'Omar A.' },
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			id: 2,
			status: 'inactive',
			display_name: 'Omar A.',
		});
		expectOneRequest(env, {
			method: 'PATCH',
			path: '/v1/agent/2',
			body: { status: 'inactive', display_name: 'Omar A.' },
		});
	});

	it('Update rejects an empty update before any request', async () => {
		const result = await env.run({
			resource: 'agent',
			operation: 'update',
			agentId: byId(2),
			updateFields: {},
		});
		expectRejectedBeforeRequest(env, result, /Nothing to update/);
	});
});
