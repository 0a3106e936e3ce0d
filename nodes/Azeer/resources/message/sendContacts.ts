/** Message → Send Contacts (contact cards). */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { validate } from '../../shared/requestHooks';
import { parameter } from '../../routing/itemState';
import { sendOperation } from './common';
import { showFor } from '../../shared/descriptions';

const hasNamedContact = (value: unknown) => {
	const contacts = (value as IDataObject[] | undefined) ?? [];
	return (
		contacts.length > 0 &&
		contacts.every((contact) => String(contact.formattedName ?? '').trim() !== '')
	);
};

/** Drops the parts of a card the user left empty (e.g. `phones: [{}]`), which the API rejects. */
function withoutEmptyParts(value: unknown): unknown {
	if (Array.isArray(value)) {
		const kept = value.map(withoutEmptyParts).filter((entry) => entry !== undefined);
		return kept.length ? kept : undefined;
	}
	if (value && typeof value === 'object') {
		const entries = Object.entries(value)
			.map(([key, entry]) => [key, withoutEmptyParts(entry)] as const)
			.filter(([, entry]) => entry !== undefined);
		return entries.length ? Object.fromEntries(entries) : undefined;
	}
	return value === '' || value === null ? undefined : value;
}

async function pruneCards(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	const body = requestOptions.body as IDataObject;
	body.contacts = withoutEmptyParts(body.contacts) as IDataObject[];
	return requestOptions;
}

export const sendContacts = sendOperation({
	name: 'Send Contacts',
	value: 'sendContacts',
	action: 'Send contacts message',
	description: 'Send one or more contact cards (within the 24-hour window)',
	type: 'contacts',
	content: (context) => ({
		contacts: (parameter<IDataObject[] | undefined>(context, 'contacts.contact', []) ?? []).map(
			cardBody,
		),
	}),
	preSend: [
		validate(
			'contacts.contact',
			hasNamedContact,
			() => 'Add at least one contact card, each with a full name',
		),
		pruneCards,
	],
});

/** Sets `value` at a path like `phones[0].phone` of `target`. */
function setPath(target: IDataObject, path: string, value: IDataObject[string]): void {
	const keys = path.split(/\.|\[(\d+)\]\.?/).filter(Boolean);
	let node: IDataObject = target;
	keys.slice(0, -1).forEach((key, index) => {
		node[key] ??= /^\d+$/.test(keys[index + 1]) ? [] : {};
		node = node[key] as IDataObject;
	});
	node[keys[keys.length - 1]] = value;
}

/** A card's body as the fields' routing builds it (`$value || undefined`), before pruneCards. */
function cardBody(card: IDataObject): IDataObject {
	const body: IDataObject = {};
	for (const [name, value] of Object.entries(card))
		if (CARD_PROPERTIES[name])
			setPath(body, CARD_PROPERTIES[name], (value || undefined) as IDataObject[string]);
	return body;
}

/** Where each field of a card goes in the card's body, e.g. phone → phones[0].phone. */
const CARD_PROPERTIES: Record<string, string> = {};

const cardField = (displayName: string, name: string, property: string, description?: string) => {
	CARD_PROPERTIES[name] = property;
	return cardFieldDescription(displayName, name, property, description);
};

const cardFieldDescription = (
	displayName: string,
	name: string,
	property: string,
	description?: string,
) => ({
	displayName,
	name,
	type: 'string' as const,
	default: '',
	...(description ? { description } : {}),
	routing: {
		send: {
			type: 'body' as const,
			property: `=contacts[{{$index}}].${property}`,
			value: '={{ $value || undefined }}',
		},
	},
});

export const sendContactsFields: INodeProperties[] = [
	{
		displayName: 'Contacts',
		name: 'contacts',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add contact card',
		default: {},
		description: 'The contact cards to send, at least one; each needs a full name',
		displayOptions: showFor('message', 'sendContacts'),
		options: [
			{
				displayName: 'Contact',
				name: 'contact',
				values: [
					{
						...cardField(
							'Full Name',
							'formattedName',
							'name.formatted_name',
							'Name shown on the card',
						),
						required: true,
					},
					cardField('First Name', 'firstName', 'name.first_name', 'Given name on the card'),
					cardField('Last Name', 'lastName', 'name.last_name', 'Family name on the card'),
					cardField(
						'Phone',
						'phone',
						'phones[0].phone',
						'Phone number as shown on the card, e.g. +966 54 435 1828',
					),
					cardField(
						'Email',
						'email',
						'emails[0].email',
						'Email address on the card, e.g. name@example.com',
					),
					cardField('Company', 'company', 'org.company', 'Company name on the card'),
				],
			},
		],
	},
];
