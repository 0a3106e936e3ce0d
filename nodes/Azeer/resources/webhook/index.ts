/** The Webhook resource: its operation list and fields (the events come from nodes/shared/events.ts). */
import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../shared/descriptions';
import { webhookIdField } from './common';
import { createFields, createOperation } from './create';
import { deleteOperation } from './delete';
import { getOperation } from './get';
import { getAllFields, getAllOperation } from './getAll';

export const webhookDescription: INodeProperties[] = [
	operationProperty(
		'webhook',
		[createOperation, deleteOperation, getOperation, getAllOperation],
		'getAll',
	),
	webhookIdField,
	...createFields,
	...getAllFields,
];
