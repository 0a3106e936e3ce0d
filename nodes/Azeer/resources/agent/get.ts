/** Agent → Get. */
import type { OperationSpec } from '../../routing/operation';
import { unwrapData } from '../../shared/requestHooks';
import { simplifyAgent, validAgentId } from './common';

export const getSpec: OperationSpec = {
	name: 'Get',
	value: 'get',
	action: 'Get agent',
	description: 'Get an agent by ID',
	endpoint: 'getAgent',
	path: { id: '$parameter.agentId' },
	preSend: [validAgentId],
	postReceive: [unwrapData, simplifyAgent],
};
