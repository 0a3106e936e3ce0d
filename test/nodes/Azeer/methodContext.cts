/**
 * Runs the node's listSearch / loadOptions / resourceMapping methods with n8n-core's real
 * LoadOptionsContext, built the way n8n's DynamicNodeParametersService builds it for the editor
 * (a one-node workflow carrying the current parameters), with the credential applied by the
 * engine harness's credentials helper.
 */
import { ExecutionLifecycleHooks, LoadOptionsContext } from 'n8n-core';
import type { ILoadOptionsFunctions, INode, INodeParameters } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { additionalData, AZEER_NODE_TYPE } from '../../harness/engine.cjs';
import type { Sandbox } from '../../../sandbox/index.cjs';
import { nodeTypes } from './fixtures.cjs';

export function loadOptionsContext(
	sandbox: Sandbox,
	parameters: INodeParameters,
	apiKey = sandbox.apiKey,
): ILoadOptionsFunctions {
	const node: INode = {
		id: 'node-under-test',
		name: 'Azeer',
		type: AZEER_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { azeerApi: { id: '1', name: 'Azeer account' } },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const hooks = new ExecutionLifecycleHooks('internal', 'load-options', {
		id: 'w',
		nodes: [node],
		connections: {},
	} as never);
	const data = additionalData({ azeerApi: { apiKey, baseUrl: sandbox.baseUrl } }, hooks);
	data.currentNodeParameters = parameters;
	return new LoadOptionsContext(workflow, node, data, 'parameters');
}
