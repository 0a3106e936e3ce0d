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

// Contact → Add Tags runs item by item; its routing description must still describe what is sent.
describe('Contact → Add Tags: the requests as the description routes them', () => {
	const input = [{ json: { phone: '+966 51 111 1111' } }, { json: { phone: 966511111111 } }];

	it.each<[string, INodeParameters, number?]>([
		['tag IDs', { tagIds: [1, 2] }],
		['tag IDs as text', { tagIds: '1, 2' }],
		['a bad tag', { tagIds: '={{ ["vip"] }}' }, 1],
	])('sends what the routing description describes, with %s', async (_, fields, count = 2) => {
		const parameters = {
			resource: 'contact',
			operation: 'addTags',
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
