/** The Template resource: its operation list and fields. */
import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../shared/descriptions';
import { simplifyField } from './common';
import { getFields, getOperation } from './get';
import { getAllFields, getAllOperation } from './getAll';

export const templateDescription: INodeProperties[] = [
	operationProperty('template', [getOperation, getAllOperation], 'getAll'),
	...getFields,
	...getAllFields,
	simplifyField,
];
