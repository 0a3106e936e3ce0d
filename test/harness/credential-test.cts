import type { ICredentialType, INodeType } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { runNode, TestNodeTypes } from './engine.cjs';
import type { CredentialMap, NodeRunResult } from './engine.cjs';

/**
 * n8n's "Test credential" button builds a throw-away declarative node whose only routing is the
 * credential's `test.request`, and runs it through RoutingNode with the credential applied.
 * This does the same on the real engine.
 */
export async function testCredential(
	credentialType: ICredentialType,
	credentials: CredentialMap,
): Promise<NodeRunResult> {
	const request = credentialType.test?.request;
	if (!request) throw new Error(`${credentialType.name} has no test request`);
	const tester: INodeType = {
		description: {
			displayName: 'Credential Test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: { name: 'Credential Test' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: credentialType.name, required: true }],
			properties: [
				{ displayName: 'Temp', name: 'temp', type: 'string', default: '', routing: { request } },
			],
		},
	};
	const nodeTypes = new TestNodeTypes().register('test.credentialTest', tester);
	return await runNode({ nodeTypes, type: 'test.credentialTest', parameters: {}, credentials });
}
