/** The User Session resource: its operation list and fields. */
import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../shared/descriptions';
import { createFields, createOperation } from './create';

export const userSessionDescription: INodeProperties[] = [
	operationProperty('userSession', [createOperation], 'create'),
	...createFields,
];
