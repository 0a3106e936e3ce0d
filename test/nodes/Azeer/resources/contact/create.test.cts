import type { INodeParameters } from 'n8n-workflow';

import { AZEER_NODE_TYPE } from '../../../../harness/engine.cjs';
import {
	contactIn,
	contactParameters,
	DECLARATIVE_AZEER_TYPE,
	expectOneRequest,
	expectRejectedBeforeRequest,
	requestsAndOutputs,
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

// Contact → Create runs item by item; its routing description must still describe what is sent.
describe('Contact → Create: the requests as the description routes them', () => {
	const input = [
		{ json: { phone: '+966 55 000 0001', name: 'Sara' } },
		{ json: { phone: 966550000002, name: 'Omar' } },
	];

	it.each<[string, INodeParameters, number?]>([
		['the contact fields', contactParameters],
		[
			'additional fields',
			{
				...contactParameters,
				additionalFields: { email: 'sara@example.org', tagIds: [1], displayName: 'S' },
			},
		],
		['a bad item', { ...contactParameters, additionalFields: { email: 'not-an-email' } }, 1],
	])('sends what the routing description describes, with %s', async (_, fields, count = 2) => {
		const parameters = { resource: 'contact', operation: 'create', ...fields };
		// A bad run is compared over one item: naming several bad items is the per-item run's own.
		const items = input.slice(0, count);
		const routed = await requestsAndOutputs(env, DECLARATIVE_AZEER_TYPE, parameters, items);
		const run = await requestsAndOutputs(env, AZEER_NODE_TYPE, parameters, items);
		expect(routed.requests).toHaveLength(routed.error ? 0 : count);
		expect(run).toEqual(routed);
	});
});
