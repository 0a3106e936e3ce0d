/** The Webhook resource: its operations and fields (the events come from nodes/shared/events.ts). */
import type { INodeProperties } from 'n8n-workflow';

import {
	operation,
	operationProperty,
	resourceLocator,
	returnAllAndLimit,
	showFor,
} from '../../shared/descriptions';
import { isPositiveInteger, markDeleted, unwrapData, validate } from '../../shared/routingHooks';
import { EVENT_OPTIONS } from '../../../shared/events';

const createShow = showFor('webhook', 'create');

const validWebhookId = validate(
	'webhookId',
	isPositiveInteger,
	(value) => `"${String(value)}" is not a webhook ID`,
	'Pick the webhook from the list, or give its numeric ID.',
);

const webhookPath = { id: '$parameter.webhookId' };

export const webhookDescription: INodeProperties[] = [
	operationProperty(
		'webhook',
		[
			operation({
				name: 'Create',
				value: 'create',
				action: 'Create webhook',
				description:
					'Register a URL that Azeer calls on an event (the Azeer Trigger node does this for you)',
				endpoint: 'createWebhook',
				preSend: [
					validate(
						'url',
						(value) => /^https?:\/\/\S+$/i.test(String(value ?? '')),
						(value) => `"${String(value)}" is not an http(s) URL`,
					),
					validate(
						'name',
						(value) => String(value ?? '').trim() !== '',
						() => 'The webhook name is empty',
					),
				],
				postReceive: [unwrapData],
			}),
			operation({
				name: 'Delete',
				value: 'delete',
				action: 'Delete webhook',
				description: 'Stop deliveries to a webhook and remove it',
				endpoint: 'deleteWebhook',
				path: webhookPath,
				preSend: [validWebhookId],
				postReceive: [unwrapData, markDeleted],
			}),
			operation({
				name: 'Get',
				value: 'get',
				action: 'Get webhook',
				description: 'Get a webhook by ID',
				endpoint: 'getWebhook',
				path: webhookPath,
				preSend: [validWebhookId],
				postReceive: [unwrapData],
			}),
			operation({
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many webhooks',
				description: 'List the webhooks of the account',
				endpoint: 'listWebhooks',
				postReceive: [unwrapData],
			}),
		],
		'getAll',
	),
	resourceLocator({
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
	}),
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Orders workflow',
		description: 'A name to recognise the webhook by in Mottasl',
		displayOptions: createShow,
		routing: { send: { type: 'body', property: 'name' } },
	},
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://n8n.example.com/webhook/azeer',
		description: 'Where Azeer POSTs the event',
		displayOptions: createShow,
		routing: { send: { type: 'body', property: 'url' } },
	},
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		options: EVENT_OPTIONS,
		default: 'incoming_msg',
		description: 'The one event this webhook receives (one webhook per event)',
		displayOptions: createShow,
		routing: { send: { type: 'body', property: 'event' } },
	},
	{
		displayName: 'Secure Token',
		name: 'securetoken',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		description:
			'Secret Azeer sends with each delivery so the receiver can check it comes from Azeer',
		displayOptions: createShow,
		routing: { send: { type: 'body', property: 'securetoken' } },
	},
	{
		displayName: 'Retry Failed Deliveries',
		name: 'retry',
		type: 'boolean',
		default: true,
		description:
			'Whether Azeer retries a delivery that fails (policy "retry") instead of trying once',
		displayOptions: createShow,
		routing: {
			send: { type: 'body', property: 'policy', value: '={{ $value ? "retry" : "none" }}' },
		},
	},
	{
		displayName: 'Enabled',
		name: 'enabled',
		type: 'boolean',
		default: true,
		description: 'Whether deliveries start right away',
		displayOptions: createShow,
		routing: { send: { type: 'body', property: 'enabled' } },
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		default: '',
		description: 'A note on what the webhook is for',
		displayOptions: createShow,
		routing: { send: { type: 'body', property: 'description' } },
	},
	...returnAllAndLimit(showFor('webhook', 'getAll')),
];
