/** Template → Get Many: the account's templates, filtered here (the API has no filters). */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { returnAllAndLimit, showFor } from '../../shared/descriptions';
import type { OperationSpec } from '../../routing/operation';
import { unwrapData, validate } from '../../shared/requestHooks';
import { parameter } from '../../routing/itemState';
import { simplify } from './common';

const LANGUAGE_PATTERN = /^[a-z]{2,3}([_-][A-Za-z]{2,4})?$/;

/** The API has no filters on GET /partner/templates, so Get Many filters what it returns. */
async function filterTemplates(this: IExecuteSingleFunctions, items: INodeExecutionData[]) {
	const status = parameter<string>(this, 'status', 'approved');
	const filters = parameter<IDataObject>(this, 'filters', {});
	return items.filter(({ json }) => {
		if (status !== 'any' && json.status !== status) return false;
		if (filters.language && json.language !== filters.language) return false;
		if (filters.category && json.category !== filters.category) return false;
		return true;
	});
}

export const getAllSpec: OperationSpec = {
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many templates',
	description:
		'List WhatsApp templates, approved ones by default, optionally by language and category',
	endpoint: 'listTemplates',
	preSend: [
		validate(
			'filters.language',
			(value) => value === null || value === '' || LANGUAGE_PATTERN.test(String(value)),
			(value) => `"${String(value)}" is not a language code`,
			'Use a WhatsApp language code such as en, ar or en_US.',
		),
	],
	postReceive: [unwrapData, filterTemplates, simplify],
};

export const getAllFields: INodeProperties[] = [
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Any', value: 'any' },
			{ name: 'Approved', value: 'approved', description: 'Templates that can be sent' },
			{ name: 'Pending', value: 'pending' },
			{ name: 'Rejected', value: 'rejected' },
		],
		default: 'approved',
		description: 'Only templates with this review status',
		displayOptions: showFor('template', 'getAll'),
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		description: 'Narrow the list down by category and language',
		displayOptions: showFor('template', 'getAll'),
		options: [
			{
				displayName: 'Category',
				name: 'category',
				type: 'options',
				options: [
					{ name: 'Authentication', value: 'AUTHENTICATION' },
					{ name: 'Marketing', value: 'MARKETING' },
					{ name: 'Utility', value: 'UTILITY' },
				],
				default: 'UTILITY',
				description: 'Only templates of this WhatsApp category',
			},
			{
				displayName: 'Language',
				name: 'language',
				type: 'string',
				default: '',
				placeholder: 'e.g. en',
				description: 'Language code of the template, e.g. en or ar',
			},
		],
	},
	...returnAllAndLimit(showFor('template', 'getAll')),
];
