/** Tag → Get Many. */
import type { INodeProperties } from 'n8n-workflow';

import { returnAllAndLimit, showFor } from '../../shared/descriptions';
import type { OperationSpec } from '../../routing/operation';
import { unwrapData } from '../../shared/requestHooks';

export const getAllSpec: OperationSpec = {
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many tags',
	description: 'List the tags of the account',
	endpoint: 'listTags',
	postReceive: [unwrapData],
};

export const getAllFields: INodeProperties[] = returnAllAndLimit(showFor('tag', 'getAll'));
