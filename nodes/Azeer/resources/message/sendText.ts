/** Message → Send Text. */
import type { INodeProperties } from 'n8n-workflow';

import { validateInBody } from '../../shared/requestHooks';
import { parameter } from '../../routing/itemState';
import { sendOperation } from './common';
import { showFor } from '../../shared/descriptions';
import { TEXT_LIMIT } from '../../../shared/interactive';

export const sendText = sendOperation({
	name: 'Send Text',
	value: 'sendText',
	action: 'Send text message',
	description:
		"Send a free-form text. Works only within 24 hours of the contact's last message; outside that window send a template.",
	type: 'text',
	content: (context) => ({ text: { body: parameter(context, 'text', '') } }),
	preSend: [
		validateInBody(
			'text.body',
			(value) => String(value ?? '').trim().length > 0 && String(value).length <= TEXT_LIMIT,
			(value) =>
				`The text must have 1 to ${TEXT_LIMIT} characters (it has ${String(value ?? '').trim().length})`,
		),
	],
});

export const sendTextFields: INodeProperties[] = [
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		description: `The message text, up to ${TEXT_LIMIT} characters. Use a new line for line breaks.`,
		displayOptions: showFor('message', 'sendText'),
		routing: { send: { type: 'body', property: 'text.body' } },
	},
];
