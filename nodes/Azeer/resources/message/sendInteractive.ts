/** Message → Send Interactive (reply buttons or a list). */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { fail, withBody } from '../../shared/requestHooks';
import { parameter } from '../../routing/itemState';
import { parseObjects } from '../../shared/typedInputs';
import {
	buildInteractive,
	INTERACTIVE_LIMITS,
	interactiveProblems,
} from '../../../shared/interactive';
import type { InteractiveInput } from '../../../shared/interactive';
import { sendOperation } from './common';
import { showFor } from '../../shared/descriptions';

const text = (value: unknown) => String(value ?? '').trim();

/** The entries of a repeatable field, which an expression may have mapped as an array or JSON text. */
function objects(context: IExecuteSingleFunctions, value: unknown, label: string): IDataObject[] {
	const parsed = parseObjects(value, label);
	if ('problem' in parsed) return fail(context, parsed.problem, parsed.hint);
	return parsed.objects;
}

function interactiveInput(context: IExecuteSingleFunctions): InteractiveInput {
	const type = parameter<'button' | 'list'>(context, 'interactiveType', 'button');
	const input: InteractiveInput = {
		type,
		header: text(parameter(context, 'interactiveOptions.header', '')) || undefined,
		body: text(parameter(context, 'body', '')),
		footer: text(parameter(context, 'interactiveOptions.footer', '')) || undefined,
	};
	if (type === 'button') {
		input.buttons = objects(
			context,
			parameter(context, 'replyButtons.button', []),
			'Reply Buttons',
		).map((button) => ({
			id: text(button.id),
			title: text(button.title),
		}));
	} else {
		input.listButton = text(parameter(context, 'listButton', ''));
		input.sections = objects(context, parameter(context, 'sections.section', []), 'Sections').map(
			(section) => ({
				title: text(section.title) || undefined,
				rows: objects(context, (section.rows as IDataObject | undefined)?.row, 'Rows').map(
					(row) => ({
						id: text(row.id),
						title: text(row.title),
						description: text(row.description) || undefined,
					}),
				),
			}),
		);
	}
	return input;
}

async function buildInteractiveMessage(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
) {
	const input = interactiveInput(this);
	const problems = interactiveProblems(input);
	if (problems.length) {
		fail(
			this,
			`The interactive message breaks WhatsApp's limits: ${problems.join('; ')}`,
			`WhatsApp allows 1-${INTERACTIVE_LIMITS.buttons} reply buttons (title up to ${INTERACTIVE_LIMITS.buttonTitle} characters) or a list of up to ${INTERACTIVE_LIMITS.sections} sections and ${INTERACTIVE_LIMITS.rows} rows in total (row title up to ${INTERACTIVE_LIMITS.rowTitle}, description up to ${INTERACTIVE_LIMITS.rowDescription} characters).`,
		);
	}
	return withBody(requestOptions, { interactive: buildInteractive(input) });
}

export const sendInteractive = sendOperation({
	name: 'Send Interactive',
	value: 'sendInteractive',
	action: 'Send interactive message',
	description:
		"Send a message with up to 3 reply buttons or a list menu; the contact's choice arrives as an incoming message with its ID (within the 24-hour window)",
	type: 'interactive',
	preSend: [buildInteractiveMessage],
});

const displayOptions = showFor('message', 'sendInteractive');
const showForType = (type: string) => ({
	show: { ...displayOptions.show, interactiveType: [type] },
});

const idAndTitle = (idMax: number, titleMax: number) => [
	{
		displayName: 'ID',
		name: 'id',
		type: 'string' as const,
		default: '',
		required: true,
		description: `Returned to you when the contact picks it (up to ${idMax} characters)`,
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string' as const,
		default: '',
		required: true,
		description: `Shown to the contact (up to ${titleMax} characters)`,
	},
];

export const sendInteractiveFields: INodeProperties[] = [
	{
		displayName: 'Interactive Type',
		name: 'interactiveType',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Reply Buttons', value: 'button', description: 'Up to 3 buttons under the message' },
			{ name: 'List', value: 'list', description: 'A menu of up to 10 rows in sections' },
		],
		default: 'button',
		description: 'Reply buttons for up to 3 quick choices, a list for up to 10',
		displayOptions,
	},
	{
		displayName: 'Body',
		name: 'body',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
		description: `Message text above the buttons or list (up to ${INTERACTIVE_LIMITS.bodyText} characters)`,
		displayOptions,
	},
	{
		displayName: 'Buttons',
		name: 'replyButtons',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, maxAllowedFields: INTERACTIVE_LIMITS.buttons },
		placeholder: 'Add button',
		default: {},
		description: `One to ${INTERACTIVE_LIMITS.buttons} buttons, each with an ID (sent back when tapped) and a title`,
		displayOptions: showForType('button'),
		options: [
			{
				displayName: 'Button',
				name: 'button',
				values: idAndTitle(INTERACTIVE_LIMITS.buttonId, INTERACTIVE_LIMITS.buttonTitle),
			},
		],
	},
	{
		displayName: 'List Button Text',
		name: 'listButton',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Choose an option',
		description: `Label of the button that opens the list (up to ${INTERACTIVE_LIMITS.listButton} characters)`,
		displayOptions: showForType('list'),
	},
	{
		displayName: 'Sections',
		name: 'sections',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, maxAllowedFields: INTERACTIVE_LIMITS.sections },
		placeholder: 'Add section',
		default: {},
		displayOptions: showForType('list'),
		options: [
			{
				displayName: 'Section',
				name: 'section',
				values: [
					{
						displayName: 'Section Title',
						name: 'title',
						type: 'string',
						default: '',
						description: `Needed when there is more than one section (up to ${INTERACTIVE_LIMITS.sectionTitle} characters)`,
					},
					{
						displayName: 'Rows',
						name: 'rows',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true },
						placeholder: 'Add row',
						default: {},
						options: [
							{
								displayName: 'Row',
								name: 'row',
								values: [
									...idAndTitle(INTERACTIVE_LIMITS.rowId, INTERACTIVE_LIMITS.rowTitle),
									{
										displayName: 'Description',
										name: 'description',
										type: 'string',
										default: '',
										description: `Second line of the row (up to ${INTERACTIVE_LIMITS.rowDescription} characters)`,
									},
								],
							},
						],
					},
				],
			},
		],
	},
	{
		displayName: 'Header and Footer',
		name: 'interactiveOptions',
		type: 'collection',
		placeholder: 'Add header or footer',
		default: {},
		description: 'Optional text above and below the message',
		displayOptions,
		options: [
			{
				displayName: 'Footer',
				name: 'footer',
				type: 'string',
				default: '',
				description: `Small grey text under the message (up to ${INTERACTIVE_LIMITS.footerText} characters)`,
			},
			{
				displayName: 'Header',
				name: 'header',
				type: 'string',
				default: '',
				description: `Bold text above the message (up to ${INTERACTIVE_LIMITS.headerText} characters)`,
			},
		],
	},
];
