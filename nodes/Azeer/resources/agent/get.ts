/** Agent → Get. */
import { operation } from '../../routing/operation';
import { unwrapData } from '../../shared/requestHooks';
import { simplifyAgent, validAgentId } from './common';

export const getOperation = operation({
	name: 'Get',
	value: 'get',
	action: 'Get agent',
	description: 'Get an agent by ID',
	endpoint: 'getAgent',
	path: { id: '$parameter.agentId' },
	preSend: [validAgentId],
	postReceive: [unwrapData, simplifyAgent],
});
