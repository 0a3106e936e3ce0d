/** The Tag resource: its operation list and fields. */
import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../shared/descriptions';
import { createFields, createOperation } from './create';
import { getAllFields, getAllOperation } from './getAll';

export const tagDescription: INodeProperties[] = [
	operationProperty('tag', [createOperation, getAllOperation], 'getAll'),
	...createFields,
	...getAllFields,
];
