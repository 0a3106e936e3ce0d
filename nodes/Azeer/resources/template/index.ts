/** The Template resource: its operation list and fields, and its operations run item by item. */
import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../shared/descriptions';
import { operation, perItemOperationsOf } from '../../routing/operation';
import { simplifyField } from './common';
import { getFields, getSpec } from './get';
import { getAllFields, getAllSpec } from './getAll';

const specs = [getSpec, getAllSpec];

export const templateDescription: INodeProperties[] = [
	operationProperty('template', specs.map(operation), 'getAll'),
	...getFields,
	...getAllFields,
	simplifyField,
];

/** Every operation runs item by item (shared/operationRun.ts), built from its spec and fields. */
export const templateCustomOperations = perItemOperationsOf('template', specs, templateDescription);
