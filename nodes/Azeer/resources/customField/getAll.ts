/** Custom Field → Get Many, and the flattening of field groups that the Custom Field list also uses. */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { returnAllAndLimit, showFor } from '../../shared/descriptions';
import type { OperationSpec } from '../../routing/operation';
import { parameter } from '../../routing/itemState';

/** GET /customfield/group groups fields by type; output one item per field, with its group's type. */
export function flattenCustomFieldGroups(groups: IDataObject[]): IDataObject[] {
	return groups.flatMap((group) =>
		((group.fields as IDataObject[] | undefined) ?? []).map((field) => ({
			...field,
			group_type: group.type,
		})),
	);
}

async function fieldsAsItems(this: IExecuteSingleFunctions, items: INodeExecutionData[]) {
	const groups = (items[0]?.json.data as IDataObject[] | undefined) ?? [];
	const onlyIds = parameter<unknown[]>(this, 'customFieldFilters.fieldIds', []).map(String);
	return flattenCustomFieldGroups(groups)
		.filter((field) => onlyIds.length === 0 || onlyIds.includes(String(field.id)))
		.map((json) => ({ json }));
}

export const getAllSpec: OperationSpec = {
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many custom fields',
	description: 'List the custom contact fields of the account, one item per field',
	endpoint: 'listCustomFields',
	postReceive: [fieldsAsItems],
};

export const getAllFields: INodeProperties[] = [
	{
		displayName: 'Filters',
		name: 'customFieldFilters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		description: 'Narrow the list down; without filters every custom field is returned',
		displayOptions: showFor('customField', 'getAll'),
		options: [
			{
				displayName: 'Field Names or IDs',
				name: 'fieldIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getCustomFields' },
				default: [],
				description:
					'Only these fields. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
		],
	},
	...returnAllAndLimit(showFor('customField', 'getAll')),
];
