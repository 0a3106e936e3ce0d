/** Message → Delete Many: up to 100 messages in one request. */
import type {
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { showFor } from '../../shared/descriptions';
import type { OperationSpec } from '../../routing/operation';
import { fail, unwrapData, withBody } from '../../shared/requestHooks';
import { parameter } from '../../routing/itemState';
import { parseIds } from '../../shared/typedInputs';

const MAX_IDS = 100;

async function messageIdsToBody(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
) {
	const parsed = parseIds(parameter(this, 'messageIds', ''), 'Message IDs');
	if ('problem' in parsed) return fail(this, parsed.problem, parsed.hint);
	const count = parsed.ids.length;
	if (count === 0 || count > MAX_IDS) {
		fail(
			this,
			`Give 1 to ${MAX_IDS} message IDs (got ${count})`,
			`Numeric message IDs separated by commas, or an array from an expression; at most ${MAX_IDS} per request.`,
		);
	}
	return withBody(requestOptions, { message_ids: parsed.ids });
}

/** The API answers `{ deleted: [ids], not_found: [ids] }`; keep the IDs and say `deleted: true`. */
async function bulkDeleteResult(this: IExecuteSingleFunctions, items: INodeExecutionData[]) {
	return items.map(({ json }) => ({
		json: { deleted: true, deleted_ids: json.deleted ?? [], not_found_ids: json.not_found ?? [] },
	}));
}

export const deleteManySpec: OperationSpec = {
	name: 'Delete Many',
	value: 'deleteMany',
	action: 'Delete many messages',
	description: `Delete up to ${MAX_IDS} messages in one request`,
	endpoint: 'deleteMessages',
	preSend: [messageIdsToBody],
	postReceive: [unwrapData, bulkDeleteResult],
};

export const deleteManyFields: INodeProperties[] = [
	{
		displayName: 'Message IDs',
		name: 'messageIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1024, 1025, 1026',
		description: `Numeric message IDs separated by commas, up to ${MAX_IDS}`,
		displayOptions: showFor('message', 'deleteMany'),
	},
];
