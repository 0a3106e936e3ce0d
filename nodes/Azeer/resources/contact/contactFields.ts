/** A contact's fields as the node asks for them, and the contact body built and checked from them. */
import type { IDataObject, INode, INodeProperties } from 'n8n-workflow';

import type { DisplayOptions } from '../../shared/descriptions';
import { phoneField } from '../../shared/descriptions';
import { invalidInput } from '../../../shared/errors';
import { invalidPhoneMessage, normalizePhone, PHONE_HINT } from '../../../shared/phone';
import { parseIds } from '../../shared/typedInputs';
import { EMAIL_PATTERN } from '../../shared/email';

/** A contact as POST /contact/create and /contact/bulk take it. */
export interface ContactIn extends IDataObject {
	platform_id: string;
	platform: 'whatsapp';
	profile_name: string;
	profile_display_name: string;
	country_code: string;
}

type ParameterReader = (name: string, fallback: unknown) => unknown;

/** The API does not say which form it wants: an ISO code (SA) or a dialing code (966). */
const COUNTRY_CODE_PATTERN = /^([A-Z]{2}|[0-9]{1,4})$/;

/** Reads and checks one contact from the node's parameters for one item. */
export function contactFromParameters(
	read: ParameterReader,
	node: INode,
	itemIndex: number,
): ContactIn {
	const problem = (message: string, hint?: string) => invalidInput(node, itemIndex, message, hint);
	const rawPhone = read('phone', '');
	const phone = normalizePhone(rawPhone);
	if (!phone) throw problem(invalidPhoneMessage(rawPhone), PHONE_HINT);
	const name = String(read('contactName', '') ?? '').trim();
	if (!name) throw problem('The contact name is empty');
	const countryCode = String(read('countryCode', '') ?? '')
		.trim()
		.toUpperCase()
		.replace(/^\+/, '');
	if (!COUNTRY_CODE_PATTERN.test(countryCode)) {
		throw problem(
			`"${countryCode}" is not a country code`,
			'Use the ISO country code of the number (e.g. SA, AE, EG) or its dialing code (e.g. 966).',
		);
	}
	const extra = (read('additionalFields', {}) ?? {}) as IDataObject;
	const contact: ContactIn = {
		platform_id: phone,
		platform: 'whatsapp',
		profile_name: name,
		profile_display_name: String(extra.displayName ?? '').trim() || name,
		country_code: countryCode,
	};
	if (extra.email) {
		if (!EMAIL_PATTERN.test(String(extra.email)))
			throw problem(`"${String(extra.email)}" is not an email address`);
		contact.profile_email = String(extra.email);
	}
	if (extra.imageUrl) contact.image_url = String(extra.imageUrl);
	const tags = parseIds(extra.tagIds, 'Tags');
	if ('problem' in tags) throw problem(tags.problem, tags.hint);
	if (tags.ids.length) contact.tags = tags.ids;
	return contact;
}

export function contactFields(displayOptions: DisplayOptions): INodeProperties[] {
	return [
		phoneField({
			name: 'phone',
			displayName: 'Phone',
			description: 'WhatsApp number of the contact.',
			displayOptions,
		}),
		{
			displayName: 'Name',
			name: 'contactName',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. Sara Ahmed',
			description: 'Profile name of the contact',
			displayOptions,
		},
		{
			displayName: 'Country Code',
			name: 'countryCode',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. SA',
			description: 'Country of the number: ISO code like SA, or dialing code like 966',
			displayOptions,
		},
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			description: 'Optional details of the contact',
			displayOptions,
			options: [
				{
					displayName: 'Display Name',
					name: 'displayName',
					type: 'string',
					default: '',
					description: 'Name shown to agents; defaults to the name',
				},
				{
					displayName: 'Email',
					name: 'email',
					type: 'string',
					placeholder: 'name@email.com',
					default: '',
					description: 'Email address of the contact, e.g. name@example.com',
				},
				{
					displayName: 'Image URL',
					name: 'imageUrl',
					type: 'string',
					default: '',
					description: 'Public URL of a profile picture',
				},
				{
					displayName: 'Tag Names or IDs',
					name: 'tagIds',
					type: 'multiOptions',
					typeOptions: { loadOptionsMethod: 'getTags' },
					default: [],
					description:
						'Tags to put on the contact. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				},
			],
		},
	];
}
