/** Agent → Get Many. */
import type { INodeProperties } from 'n8n-workflow';

import { returnAllAndLimit, showFor } from '../../shared/descriptions';
import type { OperationSpec } from '../../routing/operation';
import { unwrapData } from '../../shared/requestHooks';
import { simplifyAgent } from './common';

export const getAllSpec: OperationSpec = {
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many agents',
	description: 'List the agents of the account',
	endpoint: 'listAgents',
	postReceive: [unwrapData, simplifyAgent],
};

export const getAllFields: INodeProperties[] = returnAllAndLimit(showFor('agent', 'getAll'));
