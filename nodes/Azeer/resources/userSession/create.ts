/** User Session → Create: a sign-in session for a user of a partner app. */
import type { INodeProperties } from 'n8n-workflow';

import { ROLE_OPTIONS, showFor } from '../../shared/descriptions';
import type { OperationSpec } from '../../routing/operation';
import { unwrapData, validate } from '../../shared/requestHooks';

const show = showFor('userSession', 'create');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const bodyField = (
	displayName: string,
	name: string,
	property: string,
	extra: Partial<INodeProperties> = {},
): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	required: true,
	default: '',
	displayOptions: show,
	routing: { send: { type: 'body', property } },
	...extra,
});

export const createSpec: OperationSpec = {
	name: 'Create',
	value: 'create',
	action: 'Create user session',
	description:
		'Create a sign-in session for a user of a partner app (partner accounts only); returns a session URL',
	endpoint: 'createUserSession',
	preSend: [
		validate(
			'businessId',
			(value) => UUID.test(String(value ?? '')),
			(value) => `"${String(value)}" is not a business ID (UUID)`,
		),
		validate(
			'hostId',
			(value) => String(value ?? '').trim() !== '',
			() => 'The host ID is empty',
		),
	],
	postReceive: [unwrapData],
};

export const createFields: INodeProperties[] = [
	{
		displayName: 'Host ID',
		name: 'hostId',
		type: 'string',
		required: true,
		default: '',
		description: 'ID of the partner host app the session is for',
		displayOptions: show,
		routing: { send: { type: 'query', property: 'host_id' } },
	},
	bodyField('Business ID', 'businessId', 'business_id', {
		placeholder: 'e.g. 550e8400-e29b-41d4-a716-446655440000',
		description: 'UUID of the Mottasl business the user signs in to',
	}),
	bodyField('Platform Type', 'platformType', 'platform_type', {
		default: 'avocado',
		description: 'Platform of the user; "avocado" is Mottasl\'s own',
	}),
	bodyField('User Platform ID', 'platformId', 'platform_id', {
		description: 'ID of the user on that platform',
	}),
	{
		displayName: 'Role',
		name: 'sessionRole',
		type: 'options',
		options: ROLE_OPTIONS,
		default: 'agent',
		description: 'What the user may do in Mottasl: admin, supervisor or agent',
		displayOptions: show,
		routing: { send: { type: 'body', property: 'role' } },
	},
	bodyField('Profile Name', 'profileName', 'profile_name', {
		description: 'Full name of the user',
	}),
	bodyField('Display Name', 'sessionDisplayName', 'display_name', {
		description: 'Name others see in Mottasl',
	}),
	bodyField('Profile Image URL', 'profileImageUrl', 'profile_image_url', {
		required: false,
		description: "Public http(s) URL of the user's picture",
	}),
];
