/** The User Session resource: its operation list and fields, and its operation run item by item. */
import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../shared/descriptions';
import { operation, perItemOperationsOf } from '../../routing/operation';
import { createFields, createSpec } from './create';

const specs = [createSpec];

export const userSessionDescription: INodeProperties[] = [
	operationProperty('userSession', specs.map(operation), 'create'),
	...createFields,
];

/** Every operation runs item by item (shared/operationRun.ts), built from its spec and fields. */
export const userSessionCustomOperations = perItemOperationsOf(
	'userSession',
	specs,
	userSessionDescription,
);
