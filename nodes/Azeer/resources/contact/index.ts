/** The Contact resource: its operations, fields and the hooks only contacts use. */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import {
	operation,
	operationProperty,
	phoneField,
	resourceLocator,
	showFor,
	simplifyProperty,
} from '../../shared/descriptions';
import { endpointPath } from '../../../shared/endpoints';
import {
	fail,
	parameter,
	phoneParameter,
	sentBody,
	simplifyWith,
	unwrapData,
	withBody,
} from '../../shared/routingHooks';
import { parseIds } from '../../shared/typedInputs';
import { contactFields, contactFromParameters } from './contactFields';
import { createManyModeField } from './createMany';

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

async function contactPath(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	requestOptions.url = endpointPath('getContact', { platform_id: phoneParameter(this, 'phone') });
	return requestOptions;
}

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

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

async function agentEmailToBody(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
) {
	const email = String(parameter(this, 'agentEmail', '')).trim();
	if (!EMAIL.test(email))
		fail(
			this,
			`"${email}" is not an agent's email`,
			'Agents are identified by their email; pick the agent from the list.',
		);
	return withBody(requestOptions, { assigned_platform_id: email });
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

const phoneFor = (operations: string[], bodyProperty?: string) =>
	phoneField({
		name: 'phone',
		displayName: 'Phone',
		description: 'WhatsApp number of the contact.',
		displayOptions: showFor('contact', operations),
		bodyProperty,
	});

export const contactDescription: INodeProperties[] = [
	operationProperty(
		'contact',
		[
			operation({
				name: 'Add Tags',
				value: 'addTags',
				action: 'Add tags to contact',
				description: 'Add tags to a contact; returns all tag IDs the contact has now',
				endpoint: 'addContactTags',
				preSend: [tagIdsToBody],
				postReceive: [unwrapData],
			}),
			operation({
				name: 'Assign to Agent',
				value: 'assign',
				action: 'Assign contact to agent',
				description: "Assign the contact's conversation to an agent",
				endpoint: 'assignContact',
				preSend: [agentEmailToBody],
				postReceive: [unwrapData],
			}),
			operation({
				name: 'Create',
				value: 'create',
				action: 'Create contact',
				description: 'Create a contact, or update it when the number exists',
				endpoint: 'createContacts',
				preSend: [singleContactBody],
				postReceive: [echoCreatedContact],
			}),
			{
				name: 'Create Many',
				value: 'createMany',
				action: 'Create many contacts',
				description:
					'Create one contact per input item, sent in as few requests as possible (up to 1000 per request)',
			},
			operation({
				name: 'Get',
				value: 'get',
				action: 'Get contact',
				description: 'Get a contact by phone number, with tags and assigned agent',
				endpoint: 'getContact',
				path: { platform_id: '$parameter.phone' },
				preSend: [contactPath],
				postReceive: [unwrapData, simplifyContact],
			}),
		],
		'create',
	),
	createManyModeField,
	...contactFields(showFor('contact', ['create', 'createMany'])),
	phoneFor(['assign', 'addTags'], 'platform_id'),
	phoneFor(['get']),
	resourceLocator({
		name: 'agentEmail',
		displayName: 'Agent',
		description: 'The agent to assign, identified by email',
		searchMethod: 'searchAgentEmails',
		displayOptions: showFor('contact', 'assign'),
		manual: {
			name: 'email',
			displayName: 'Email',
			placeholder: 'e.g. agent@example.com',
			hint: "The agent's email",
		},
	}),
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
	simplifyProperty(showFor('contact', 'get')),
];
