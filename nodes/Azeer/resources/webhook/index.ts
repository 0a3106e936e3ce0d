/**
 * The Webhook resource: its operation list and fields (the events come from nodes/shared/events.ts),
 * and its operations run item by item.
 */
import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../shared/descriptions';
import { operation, perItemOperationsOf } from '../../routing/operation';
import { webhookIdField } from './common';
import { createFields, createSpec } from './create';
import { deleteSpec } from './delete';
import { getSpec } from './get';
import { getAllFields, getAllSpec } from './getAll';

const specs = [createSpec, deleteSpec, getSpec, getAllSpec];

export const webhookDescription: INodeProperties[] = [
	operationProperty('webhook', specs.map(operation), 'getAll'),
	webhookIdField,
	...createFields,
	...getAllFields,
];

/** Every operation runs item by item (shared/operationRun.ts), built from its spec and fields. */
export const webhookCustomOperations = perItemOperationsOf('webhook', specs, webhookDescription);
