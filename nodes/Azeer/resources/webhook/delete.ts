/** Webhook → Delete. */
import type { OperationSpec } from '../../routing/operation';
import { markDeleted, unwrapData } from '../../shared/requestHooks';
import { validWebhookId, webhookPath } from './common';

export const deleteSpec: OperationSpec = {
	name: 'Delete',
	value: 'delete',
	action: 'Delete webhook',
	description: 'Stop deliveries to a webhook and remove it',
	endpoint: 'deleteWebhook',
	path: webhookPath,
	preSend: [validWebhookId],
	postReceive: [unwrapData, markDeleted],
};
