/** The Contact resource: its operation list and fields, and the operations it runs item by item. */
import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../shared/descriptions';
import { perItemOperationOf } from '../../routing/operation';
import { addTagsFields, addTagsOperation, addTagsSpec } from './addTags';
import { assignFields, assignOperation, assignSpec } from './assign';
import { contactPhoneField, newContactFields } from './common';
import { createOperation, createSpec } from './create';
import { createManyContacts, createManyFields, createManyOperation } from './createMany';
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

/**
 * Contacts are often created, tagged and assigned in bulk: these run item by item
 * (shared/operationRun.ts), built from the same specs and fields as their routing.
 */
export const contactCustomOperations = {
	create: perItemOperationOf('contact', createSpec, contactDescription),
	addTags: perItemOperationOf('contact', addTagsSpec, contactDescription),
	assign: perItemOperationOf('contact', assignSpec, contactDescription),
	createMany: createManyContacts,
};
