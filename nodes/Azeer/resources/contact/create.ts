/** Contact → Create: one contact per item, created or updated. */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
} from 'n8n-workflow';

import type { OperationSpec } from '../../routing/operation';
import { withBody } from '../../shared/requestHooks';
import { sentBody } from '../../routing/itemState';
import { contactFromParameters } from './contactFields';

async function singleContactBody(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
) {
	const read = (name: string, fallback: unknown) => this.getNodeParameter(name, fallback);
	const contact = contactFromParameters(read, this.getNode(), this.getItemIndex());
	return withBody(requestOptions, { mode: 'sync', contacts: [contact] });
}

/** POST /contact/create answers `{}`; output the contact that was created instead. */
async function echoCreatedContact(this: IExecuteSingleFunctions): Promise<INodeExecutionData[]> {
	const [contact] = (sentBody(this).contacts as IDataObject[] | undefined) ?? [{}];
	return [{ json: { ...contact, status: 'created' } }];
}

export const createSpec: OperationSpec = {
	name: 'Create',
	value: 'create',
	action: 'Create contact',
	description: 'Create a contact, or update it when the number exists',
	endpoint: 'createContacts',
	preSend: [singleContactBody],
	postReceive: [echoCreatedContact],
};
