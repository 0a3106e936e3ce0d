import type { INodeParameters } from 'n8n-workflow';

import { AZEER_NODE_TYPE, runNode } from '../../../../harness/engine';
import {
	contactIn,
	contactParameters,
	DECLARATIVE_AZEER_TYPE,
	expectOneRequest,
	expectRejectedBeforeRequest,
	nodeTypes,
	useSandbox,
} from '../../fixtures';

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
	async function sentBy(type: string, parameters: INodeParameters) {
		env.sandbox.reset();
		const result = await runNode({
			nodeTypes,
			type,
			parameters: { resource: 'contact', operation: 'create', ...parameters },
			input: [
				{ json: { phone: '+966 55 000 0001', name: 'Sara' } },
				{ json: { phone: 966550000002, name: 'Omar' } },
			],
			credentials: {
				azeerApi: { apiKey: env.sandbox.apiKey, baseUrl: env.sandbox.baseUrl },
			},
		});
		const requests = env.requests().map(({ method, path, query, body, headers }) => ({
			method,
			path,
			query,
			body,
			authorization: headers.authorization,
			contentType: headers['content-type'],
		}));
		const outputs = result.items.map((item) => ({ json: item.json, pairedItem: item.pairedItem }));
		return { error: result.error?.message, requests, outputs };
	}

	it.each<[string, INodeParameters]>([
		['the contact fields', contactParameters],
		[
			'additional fields',
			{
				...contactParameters,
				additionalFields: { email: 'sara@example.org', tagIds: [1], displayName: 'S' },
			},
		],
		['a bad item', { ...contactParameters, additionalFields: { email: 'not-an-email' } }],
	])('sends what the routing description describes, with %s', async (_, parameters) => {
		const routed = await sentBy(DECLARATIVE_AZEER_TYPE, parameters);
		const run = await sentBy(AZEER_NODE_TYPE, parameters);
		expect(routed.requests).toHaveLength(routed.error ? 0 : 2);
		expect(run).toEqual(routed);
	});
});
