/** Contact → Add Tags. */
import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { showFor } from '../../shared/descriptions';
import type { OperationSpec } from '../../routing/operation';
import { fail, unwrapData, withBody } from '../../shared/requestHooks';
import { parameter } from '../../routing/itemState';
import { parseIds } from '../../shared/typedInputs';

async function tagIdsToBody(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	const parsed = parseIds(parameter(this, 'tagIds', []), 'Tags');
	if ('problem' in parsed) return fail(this, parsed.problem, parsed.hint);
	if (!parsed.ids.length)
		fail(
			this,
			'Tags: choose at least one tag',
			'Pick tags from the list, or give numeric tag IDs.',
		);
	return withBody(requestOptions, { tag_ids: parsed.ids });
}

export const addTagsSpec: OperationSpec = {
	name: 'Add Tags',
	value: 'addTags',
	action: 'Add tags to contact',
	description: 'Add tags to a contact; returns all tag IDs the contact has now',
	endpoint: 'addContactTags',
	preSend: [tagIdsToBody],
	postReceive: [unwrapData],
};

export const addTagsFields: INodeProperties[] = [
	{
		displayName: 'Tag Names or IDs',
		name: 'tagIds',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getTags' },
		required: true,
		default: [],
		description:
			'Tags to add. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: showFor('contact', 'addTags'),
	},
];
