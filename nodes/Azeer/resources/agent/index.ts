/** The Agent resource: its operation list and fields, and its operations run item by item. */
import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../shared/descriptions';
import { operation, perItemOperationsOf } from '../../routing/operation';
import { agentIdField, simplifyAgentField } from './common';
import { createFields, createSpec } from './create';
import { getSpec } from './get';
import { getAllFields, getAllSpec } from './getAll';
import { updateFields, updateSpec } from './update';

const specs = [createSpec, getSpec, getAllSpec, updateSpec];

export const agentDescription: INodeProperties[] = [
	operationProperty('agent', specs.map(operation), 'getAll'),
	agentIdField,
	...createFields,
	...updateFields,
	...getAllFields,
	simplifyAgentField,
];

/** Every operation runs item by item (shared/operationRun.ts), built from its spec and fields. */
export const agentCustomOperations = perItemOperationsOf('agent', specs, agentDescription);
