/** Webhook → Get. */
import type { OperationSpec } from '../../routing/operation';
import { unwrapData } from '../../shared/requestHooks';
import { validWebhookId, webhookPath } from './common';

export const getSpec: OperationSpec = {
	name: 'Get',
	value: 'get',
	action: 'Get webhook',
	description: 'Get a webhook by ID',
	endpoint: 'getWebhook',
	path: webhookPath,
	preSend: [validWebhookId],
	postReceive: [unwrapData],
};
