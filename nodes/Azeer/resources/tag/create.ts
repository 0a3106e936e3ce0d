/** Tag → Create. */
import type { INodeProperties } from 'n8n-workflow';

import { showFor } from '../../shared/descriptions';
import type { OperationSpec } from '../../routing/operation';
import { unwrapData, validate } from '../../shared/requestHooks';

const createShow = showFor('tag', 'create');

export const createSpec: OperationSpec = {
	name: 'Create',
	value: 'create',
	action: 'Create tag',
	description: 'Create a tag to label contacts with',
	endpoint: 'createTag',
	preSend: [
		validate(
			'tagName',
			(value) => String(value ?? '').trim() !== '',
			() => 'The tag name is empty',
		),
		validate(
			'tagOptions.colour',
			(value) => value === null || /^#[0-9a-fA-F]{6}$/.test(String(value)),
			(value) => `"${String(value)}" is not a colour like #1a2b3c`,
		),
	],
	postReceive: [unwrapData],
};

export const createFields: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'tagName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. VIP',
		description: 'Name of the tag, unique in the account, e.g. VIP',
		displayOptions: createShow,
		routing: { send: { type: 'body', property: 'tag' } },
	},
	{
		displayName: 'Options',
		name: 'tagOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		description: 'Optional colour and description of the tag',
		displayOptions: createShow,
		options: [
			{
				displayName: 'Colour',
				name: 'colour',
				type: 'color',
				default: '#1a73e8',
				description: 'Colour of the tag in Mottasl, as a hex code like #e74266',
				routing: { send: { type: 'body', property: 'colour' } },
			},
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				default: '',
				description: 'What the tag means, e.g. Customers with over 10 orders',
				routing: { send: { type: 'body', property: 'description' } },
			},
		],
	},
];
