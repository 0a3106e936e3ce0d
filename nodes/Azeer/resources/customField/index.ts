/** The Custom Field resource: its operation list and fields. */
import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../shared/descriptions';
import { getAllFields, getAllOperation } from './getAll';

export const customFieldDescription: INodeProperties[] = [
	operationProperty('customField', [getAllOperation], 'getAll'),
	...getAllFields,
];
