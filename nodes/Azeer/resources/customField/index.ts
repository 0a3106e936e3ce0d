/** The Custom Field resource: its operation list and fields, and its operation run item by item. */
import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../shared/descriptions';
import { operation, perItemOperationsOf } from '../../routing/operation';
import { getAllFields, getAllSpec } from './getAll';

const specs = [getAllSpec];

export const customFieldDescription: INodeProperties[] = [
	operationProperty('customField', specs.map(operation), 'getAll'),
	...getAllFields,
];

/** Every operation runs item by item (shared/operationRun.ts), built from its spec and fields. */
export const customFieldCustomOperations = perItemOperationsOf(
	'customField',
	specs,
	customFieldDescription,
);
