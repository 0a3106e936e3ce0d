/** The Tag resource: its operation list and fields, and its operations run item by item. */
import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../shared/descriptions';
import { operation, perItemOperationsOf } from '../../routing/operation';
import { createFields, createSpec } from './create';
import { getAllFields, getAllSpec } from './getAll';

const specs = [createSpec, getAllSpec];

export const tagDescription: INodeProperties[] = [
	operationProperty('tag', specs.map(operation), 'getAll'),
	...createFields,
	...getAllFields,
];

/** Every operation runs item by item (shared/operationRun.ts), built from its spec and fields. */
export const tagCustomOperations = perItemOperationsOf('tag', specs, tagDescription);
