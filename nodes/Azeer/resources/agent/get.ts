/** Agent → Get. */
import { operation } from '../../routing/operation';
import { unwrapData } from '../../shared/requestHooks';
import { validAgentId } from './common';

export const getOperation = operation({
	name: 'Get',
	value: 'get',
	action: 'Get agent',
	description: 'Get an agent by ID',
	endpoint: 'getAgent',
	path: { id: '$parameter.agentId' },
	preSend: [validAgentId],
	postReceive: [unwrapData],
});
