/** Webhook → Get Many. */
import type { INodeProperties } from 'n8n-workflow';

import { returnAllAndLimit, showFor } from '../../shared/descriptions';
import type { OperationSpec } from '../../routing/operation';
import { unwrapData } from '../../shared/requestHooks';

export const getAllSpec: OperationSpec = {
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many webhooks',
	description: 'List the webhooks of the account',
	endpoint: 'listWebhooks',
	postReceive: [unwrapData],
};

export const getAllFields: INodeProperties[] = returnAllAndLimit(showFor('webhook', 'getAll'));
