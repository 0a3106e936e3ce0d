/**
 * The Azeer node's shell: it has Send and Wait's waiting webhook (webhook()) and runs every
 * operation itself, item by item with its expressions ($json), so it needs no routing engine.
 */
import type { INodeType } from 'n8n-workflow';

import { Azeer } from '../../../nodes/Azeer/Azeer.node';
import { AZEER_NODE_TYPE, runNode, TestNodeTypes } from '../../harness/engine.cjs';
import { useSandbox } from './fixtures.cjs';

const env = useSandbox();
const tagsFromItems = {
	resource: 'tag',
	operation: 'create',
	tagName: '={{ $json.segment + " buyers" }}',
};
const twoSegments = [{ json: { segment: 'Retail' } }, { json: { segment: 'Wholesale' } }];

describe('the Azeer node', () => {
	it('has the waiting webhook of Send and Wait, and is declarative (request defaults)', () => {
		const node = new Azeer();
		expect(typeof node.webhook).toBe('function');
		expect(node.description.webhooks).toEqual([
			expect.objectContaining({ name: 'default', restartWebhook: true, path: '={{ $nodeId }}' }),
		]);
		expect(node.description.requestDefaults?.baseURL).toBeDefined();
		expect(node.customOperations.message.sendAndWait).toEqual(expect.any(Function));
	});

	it('runs an operation per item with its $json expressions although it has webhook()', async () => {
		const result = await env.run(tagsFromItems, { input: twoSegments });
		expect(result.error).toBeUndefined();
		expect(env.requests().map((request) => [request.path, request.body])).toEqual([
			['/v1/tags', { tag: 'Retail buyers' }],
			['/v1/tags', { tag: 'Wholesale buyers' }],
		]);
	});

	/**
	 * n8n-core alone passes a declarative node that has webhook() no input for its routing engine's
	 * expressions; n8n's CLI avoids that by giving it the routing engine as its execute method
	 * (on newer releases only). Every operation of the Azeer node is a custom operation, which n8n-core
	 * runs with the node's input, so the node works without that execute method too.
	 */
	it("reads $json without the execute method n8n's CLI gives it, as n8n-core runs it bare", async () => {
		const bare: INodeType = new Azeer();
		const nodeTypes = new TestNodeTypes().register(AZEER_NODE_TYPE, bare);
		delete bare.execute;
		const result = await runNode({
			nodeTypes,
			type: AZEER_NODE_TYPE,
			parameters: tagsFromItems,
			input: twoSegments,
			credentials: { azeerApi: { apiKey: env.sandbox.apiKey, baseUrl: env.sandbox.baseUrl } },
		});
		expect(result.error).toBeUndefined();
		expect(env.requests().map((request) => request.body)).toEqual([
			{ tag: 'Retail buyers' },
			{ tag: 'Wholesale buyers' },
		]);
	});
});
