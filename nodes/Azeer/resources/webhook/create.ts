/** Webhook → Create. */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { showFor } from '../../shared/descriptions';
import type { OperationSpec } from '../../routing/operation';
import { unwrapData, validate } from '../../shared/requestHooks';
import { EVENT_OPTIONS } from '../../../shared/events';

const createShow = showFor('webhook', 'create');

/** The Retry Failed Deliveries switch, which routing has put at `policy`, as Azeer's policy name. */
async function retryPolicyInBody(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
) {
	const body = requestOptions.body as IDataObject;
	body.policy = body.policy ? 'retry' : 'none';
	return requestOptions;
}

export const createSpec: OperationSpec = {
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
};

export const createFields: INodeProperties[] = [
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
		routing: { send: { type: 'body', property: 'policy', preSend: [retryPolicyInBody] } },
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
];
