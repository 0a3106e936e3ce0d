/** Webhook → Get. */
import { operation } from '../../shared/descriptions';
import { unwrapData } from '../../shared/routingHooks';
import { validWebhookId, webhookPath } from './common';

export const getOperation = operation({
	name: 'Get',
	value: 'get',
	action: 'Get webhook',
	description: 'Get a webhook by ID',
	endpoint: 'getWebhook',
	path: webhookPath,
	preSend: [validWebhookId],
	postReceive: [unwrapData],
});
