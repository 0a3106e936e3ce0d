/** Contact → Get: a contact by phone number. */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { showFor, simplifyProperty } from '../../shared/descriptions';
import type { OperationSpec } from '../../routing/operation';
import { endpointPath } from '../../../shared/endpoints';
import { phoneParameter, simplifyWith, unwrapData } from '../../shared/requestHooks';
import { phoneFor } from './common';

async function contactPath(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	requestOptions.url = endpointPath('getContact', { platform_id: phoneParameter(this, 'phone') });
	return requestOptions;
}

const simplifyContact = simplifyWith((contact) => ({
	id: contact.id,
	platform_id: contact.platform_id,
	profile_name: contact.profile_name,
	profile_email: contact.profile_email,
	tags: ((contact.tags as IDataObject[] | undefined) ?? []).map((tag) => tag.tag),
	assigned_agent: (contact.assigned_agent as IDataObject | null)?.platform_id ?? null,
	last_inbound_at: contact.last_inbound_at,
}));

export const getSpec: OperationSpec = {
	name: 'Get',
	value: 'get',
	action: 'Get contact',
	description: 'Get a contact by phone number, with tags and assigned agent',
	endpoint: 'getContact',
	path: { platform_id: '$parameter.phone' },
	preSend: [contactPath],
	postReceive: [unwrapData, simplifyContact],
};

export const getFields: INodeProperties[] = [phoneFor(['get'])];

/** Listed last among the resource's fields, after the other operations'. */
export const simplifyContactField = simplifyProperty(showFor('contact', 'get'));
