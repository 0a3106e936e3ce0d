import type { INodeParameters } from 'n8n-workflow';

import { AZEER_NODE_TYPE } from '../../../../harness/engine.cjs';
import {
	DECLARATIVE_AZEER_TYPE,
	expectOneRequest,
	expectRejectedBeforeRequest,
	requestsAndOutputs,
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

// Contact → Assign to Agent runs item by item; its routing description must still describe what is sent.
describe('Contact → Assign to Agent: the requests as the description routes them', () => {
	const input = [{ json: { phone: '+966 51 111 1111' } }, { json: { phone: 966511111111 } }];

	it.each<[string, INodeParameters, number?]>([
		[
			'an agent from the list',
			{ agentEmail: { __rl: true, mode: 'list', value: 'sara@example.com' } },
		],
		[
			'an agent that is not an email',
			{ agentEmail: { __rl: true, mode: 'email', value: 'Sara' } },
			1,
		],
	])('sends what the routing description describes, with %s', async (_, fields, count = 2) => {
		const parameters = {
			resource: 'contact',
			operation: 'assign',
			phone: '={{ $json.phone }}',
			...fields,
		};
		// A bad run is compared over one item: naming several bad items is the per-item run's own.
		const items = input.slice(0, count);
		const routed = await requestsAndOutputs(env, DECLARATIVE_AZEER_TYPE, parameters, items);
		const run = await requestsAndOutputs(env, AZEER_NODE_TYPE, parameters, items);
		expect(routed.requests).toHaveLength(routed.error ? 0 : count);
		expect(run).toEqual(routed);
	});
});
