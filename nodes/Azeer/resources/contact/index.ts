/** The Contact resource: its operation list and fields. */
import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../shared/descriptions';
import { addTagsFields, addTagsOperation } from './addTags';
import { assignFields, assignOperation } from './assign';
import { contactPhoneField, newContactFields } from './common';
import { createOperation } from './create';
import { createManyFields, createManyOperation } from './createMany';
import { getFields, getOperation, simplifyContactField } from './get';

export const contactDescription: INodeProperties[] = [
	operationProperty(
		'contact',
		[addTagsOperation, assignOperation, createOperation, createManyOperation, getOperation],
		'create',
	),
	...createManyFields,
	...newContactFields,
	contactPhoneField,
	...getFields,
	...assignFields,
	...addTagsFields,
	simplifyContactField,
];
