/** The Webhook resource's parts used by several operations: the webhook ID, checked and chosen. */
import { resourceLocator, showFor } from '../../shared/descriptions';
import { isPositiveInteger, validate } from '../../shared/requestHooks';

export const validWebhookId = validate(
	'webhookId',
	isPositiveInteger,
	(value) => `"${String(value)}" is not a webhook ID`,
	'Pick the webhook from the list, or give its numeric ID.',
);

export const webhookPath = { id: '$parameter.webhookId' };

export const webhookIdField = resourceLocator({
	name: 'webhookId',
	displayName: 'Webhook',
	description: 'The webhook',
	searchMethod: 'searchWebhooks',
	displayOptions: showFor('webhook', ['get', 'delete']),
	manual: {
		name: 'id',
		displayName: 'ID',
		placeholder: 'e.g. 7',
		regex: '^[0-9]+$',
		hint: 'The numeric webhook ID',
	},
});
