import type {
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { operation } from '../../shared/descriptions';
import { fail, isPositiveInteger, markDeleted, parameter, unwrapData, validate, withBody } from '../../shared/hooks';
import { showForMessage } from './common';

const MAX_IDS = 100;

export const deleteOperation = operation({
	name: 'Delete',
	value: 'delete',
	action: 'Delete message',
	description: 'Delete a message by its numeric message ID',
	endpoint: 'deleteMessage',
	path: { id: '$parameter.messageId' },
	preSend: [
		validate('messageId', isPositiveInteger, (value) => `"${String(value)}" is not a message ID`, 'Use the numeric message_id that Send returned, e.g. 1024.'),
	],
	postReceive: [unwrapData, markDeleted],
});

/** Accepts "1, 2, 3", an array from an expression, or a single number. */
export function parseMessageIds(value: unknown): string[] {
	if (Array.isArray(value)) return value.map((id) => String(id).trim()).filter(Boolean);
	return String(value ?? '')
		.split(/[\s,;]+/)
		.filter(Boolean);
}

async function messageIdsToBody(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	const ids = parseMessageIds(parameter(this, 'messageIds', ''));
	const invalid = ids.filter((id) => !isPositiveInteger(id));
	if (ids.length === 0 || ids.length > MAX_IDS || invalid.length) {
		fail(
			this,
			invalid.length
				? `Not message IDs: ${invalid.slice(0, 5).join(', ')}`
				: `Give 1 to ${MAX_IDS} message IDs (got ${ids.length})`,
			`Numeric message IDs separated by commas, or an array from an expression; at most ${MAX_IDS} per request.`,
		);
	}
	return withBody(requestOptions, { message_ids: ids.map(Number) });
}

/** The API answers `{ deleted: [ids], not_found: [ids] }`; keep the IDs and say `deleted: true`. */
async function bulkDeleteResult(this: IExecuteSingleFunctions, items: INodeExecutionData[]) {
	return items.map(({ json }) => ({
		json: { deleted: true, deleted_ids: json.deleted ?? [], not_found_ids: json.not_found ?? [] },
	}));
}

export const deleteManyOperation = operation({
	name: 'Delete Many',
	value: 'deleteMany',
	action: 'Delete many messages',
	description: `Delete up to ${MAX_IDS} messages in one request`,
	endpoint: 'deleteMessages',
	preSend: [messageIdsToBody],
	postReceive: [unwrapData, bulkDeleteResult],
});

export const deleteFields: INodeProperties[] = [
	{
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1024',
		description: 'The numeric message_id returned when the message was sent',
		displayOptions: showForMessage('delete'),
	},
	{
		displayName: 'Message IDs',
		name: 'messageIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1024, 1025, 1026',
		description: `Numeric message IDs separated by commas, up to ${MAX_IDS}`,
		displayOptions: showForMessage('deleteMany'),
	},
];
