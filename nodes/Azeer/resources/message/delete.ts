/** Message → Delete. */
import type { INodeProperties } from 'n8n-workflow';

import { showFor } from '../../shared/descriptions';
import type { OperationSpec } from '../../routing/operation';
import { isPositiveInteger, markDeleted, unwrapData, validate } from '../../shared/requestHooks';

export const deleteSpec: OperationSpec = {
	name: 'Delete',
	value: 'delete',
	action: 'Delete message',
	description: 'Delete a message by its numeric message ID',
	endpoint: 'deleteMessage',
	path: { id: '$parameter.messageId' },
	preSend: [
		validate(
			'messageId',
			isPositiveInteger,
			(value) => `"${String(value)}" is not a message ID`,
			'Use the numeric message_id that Send returned, e.g. 1024.',
		),
	],
	postReceive: [unwrapData, markDeleted],
};

export const deleteFields: INodeProperties[] = [
	{
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1024',
		description: 'The numeric message_id returned when the message was sent',
		displayOptions: showFor('message', 'delete'),
	},
];
