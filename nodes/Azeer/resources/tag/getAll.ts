/** Tag → Get Many. */
import type { INodeProperties } from 'n8n-workflow';

import { operation, returnAllAndLimit, showFor } from '../../shared/descriptions';
import { unwrapData } from '../../shared/routingHooks';

export const getAllOperation = operation({
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many tags',
	description: 'List the tags of the account',
	endpoint: 'listTags',
	postReceive: [unwrapData],
});

export const getAllFields: INodeProperties[] = returnAllAndLimit(showFor('tag', 'getAll'));
