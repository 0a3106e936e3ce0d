/** The Contact resource's fields used by several operations: the contact's phone and details. */
import { phoneField, showFor } from '../../shared/descriptions';
import { contactFields } from './contactFields';

export const phoneFor = (operations: string[], bodyProperty?: string) =>
	phoneField({
		name: 'phone',
		displayName: 'Phone',
		description: 'WhatsApp number of the contact.',
		displayOptions: showFor('contact', operations),
		bodyProperty,
	});

export const contactPhoneField = phoneFor(['assign', 'addTags'], 'platform_id');

export const newContactFields = contactFields(showFor('contact', ['create', 'createMany']));
