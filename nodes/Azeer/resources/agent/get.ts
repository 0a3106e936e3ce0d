/** Agent → Get. */
import { operation } from '../../shared/descriptions';
import { unwrapData } from '../../shared/routingHooks';
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
