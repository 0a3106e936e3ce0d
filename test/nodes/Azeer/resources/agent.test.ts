import { expectOneRequest, expectRejectedBeforeRequest, SEED, useSandbox } from '../fixtures';

const env = useSandbox();
const agentById = (value: string | number) => ({ __rl: true, mode: 'id', value: String(value) });

describe('Agent', () => {
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

	it('Update sends only the changed fields', async () => {
		const result = await env.run({
			resource: 'agent',
			operation: 'update',
			agentId: agentById(2),
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
			agentId: agentById(2),
			updateFields: {},
		});
		expectRejectedBeforeRequest(env, result, /Nothing to update/);
	});

	it('Get returns the agent', async () => {
		const result = await env.run({
			resource: 'agent',
			operation: 'get',
			agentId: { __rl: true, mode: 'list', value: String(SEED.agent.id) },
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ id: 1, email: SEED.agent.email, role: 'admin' });
		expectOneRequest(env, { method: 'GET', path: '/v1/agent/1', query: {} });
	});

	it('Get rejects an ID given by expression that is not a number', async () => {
		const result = await env.run({
			resource: 'agent',
			operation: 'get',
			agentId: { __rl: true, mode: 'id', value: '={{ "sara" }}' },
		});
		expectRejectedBeforeRequest(env, result, /"sara" is not an agent ID/);
	});

	it('Get Many returns one item per agent, up to the limit', async () => {
		const all = await env.run({ resource: 'agent', operation: 'getAll', returnAll: true });
		expect(all.items.map((item) => item.json.email)).toEqual([
			'sara@example.com',
			'omar@example.com',
		]);
		expectOneRequest(env, { method: 'GET', path: '/v1/agent', query: {} });
		const limited = await env.run({ resource: 'agent', operation: 'getAll', limit: 1 });
		expect(limited.items).toHaveLength(1);
	});

	it('Get Many rejects a limit below 1', async () => {
		const result = await env.run({ resource: 'agent', operation: 'getAll', limit: 0 });
		expectRejectedBeforeRequest(env, result, /Limit must be a whole number of at least 1/);
	});
});
