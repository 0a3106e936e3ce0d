import {
	expectOneRequest,
	expectRejectedBeforeRequest,
	SEED,
	useSandbox,
} from '../../fixtures.cjs';

const env = useSandbox();

describe('Agent → Get', () => {
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

	it("Simplify (the default) keeps 7 of the agent record's 11 fields; off returns them all", async () => {
		const agentId = { __rl: true, mode: 'id', value: String(SEED.agent.id) };
		const simplified = await env.run({ resource: 'agent', operation: 'get', agentId });
		expect(Object.keys(simplified.items[0].json)).toEqual([
			'id',
			'name',
			'display_name',
			'email',
			'role',
			'status',
			'platform_id',
		]);
		const raw = await env.run({ resource: 'agent', operation: 'get', agentId, simplify: false });
		expect(Object.keys(raw.items[0].json)).toHaveLength(11);
		expect(raw.items[0].json).toMatchObject(simplified.items[0].json);
	});

	it('Get rejects an ID given by expression that is not a number', async () => {
		const result = await env.run({
			resource: 'agent',
			operation: 'get',
			agentId: { __rl: true, mode: 'id', value: '={{ "sara" }}' },
		});
		expectRejectedBeforeRequest(env, result, /"sara" is not an agent ID/);
	});
});
