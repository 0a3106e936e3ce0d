/** The Agent resource: its operation list and fields. */
import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../shared/descriptions';
import { agentIdField, simplifyAgentField } from './common';
import { createFields, createOperation } from './create';
import { getOperation } from './get';
import { getAllFields, getAllOperation } from './getAll';
import { updateFields, updateOperation } from './update';

export const agentDescription: INodeProperties[] = [
	operationProperty(
		'agent',
		[createOperation, getOperation, getAllOperation, updateOperation],
		'getAll',
	),
	agentIdField,
	...createFields,
	...updateFields,
	...getAllFields,
	simplifyAgentField,
];
