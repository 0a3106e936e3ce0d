/** The Contact resource: its operation list and fields, and the operations it runs item by item. */
import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../shared/descriptions';
import { operation, perItemOperationsOf } from '../../routing/operation';
import { addTagsFields, addTagsSpec } from './addTags';
import { assignFields, assignSpec } from './assign';
import { contactPhoneField, newContactFields } from './common';
import { createSpec } from './create';
import { createManyContacts, createManyFields, createManyOperation } from './createMany';
import { getFields, getSpec, simplifyContactField } from './get';

export const contactDescription: INodeProperties[] = [
	operationProperty(
		'contact',
		[
			operation(addTagsSpec),
			operation(assignSpec),
			operation(createSpec),
			createManyOperation,
			operation(getSpec),
		],
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
 * Every operation runs item by item (shared/operationRun.ts): those with a routing description
 * built from their spec and fields, Create Many (one request per batch of items) on its own.
 */
export const contactCustomOperations = {
	...perItemOperationsOf(
		'contact',
		[addTagsSpec, assignSpec, createSpec, getSpec],
		contactDescription,
	),
	createMany: createManyContacts,
};
