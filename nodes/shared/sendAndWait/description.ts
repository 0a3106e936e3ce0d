/**
 * Message → Send and Wait for Response as the Azeer node shows it: the operation, its fields, and
 * the waiting webhook n8n serves while an execution waits on the node.
 */
import type {
	IDataObject,
	INodeProperties,
	INodePropertyOptions,
	IWebhookDescription,
} from 'n8n-workflow';

import { INTERACTIVE_LIMITS, TEXT_LIMIT } from '../interactive';
import { phoneField } from '../phone';
import { APPROVE, DECLINE, FREE_TEXT, SEND_AND_WAIT } from './question';

export const sendAndWaitOperation: INodePropertyOptions = {
	name: 'Send and Wait for Response',
	value: SEND_AND_WAIT,
	action: 'Send message and wait for response',
	description:
		'Ask the contact a question with reply buttons, a list or as text, pause the workflow, and continue with their answer (an active Azeer Trigger routes the replies)',
};

const shownForSendAndWait = { show: { resource: ['message'], operation: [SEND_AND_WAIT] } };
const showForResponse = (responseType: string, extra: IDataObject = {}) => ({
	show: { ...shownForSendAndWait.show, responseType: [responseType], ...extra },
});

export const sendAndWaitFields: INodeProperties[] = [
	{
		displayName:
			'Answers reach this node through an active workflow with an Azeer Trigger on "Message Received" that uses the same Azeer credential. WhatsApp delivers the question only within 24 hours of the contact\'s last message.',
		name: 'sendAndWaitNotice',
		type: 'notice',
		default: '',
		displayOptions: shownForSendAndWait,
	},
	phoneField({
		name: 'to',
		displayName: 'To',
		description: 'WhatsApp number of the contact to ask.',
		displayOptions: shownForSendAndWait,
	}),
	{
		displayName: 'Question',
		name: 'question',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
		description: `The message text above the buttons or list (up to ${INTERACTIVE_LIMITS.bodyText} characters), or the whole message for Free Text (up to ${TEXT_LIMIT})`,
		displayOptions: shownForSendAndWait,
	},
	{
		displayName: 'Response Type',
		name: 'responseType',
		type: 'options',
		noDataExpression: true,
		default: 'approval',
		description: 'How the contact answers: by tapping a button or a list row, or by typing',
		options: [
			{
				name: 'Approval',
				value: 'approval',
				description: 'An approve button and, optionally, a decline button',
			},
			{
				name: 'Choice',
				value: 'choice',
				description: 'Up to 3 reply buttons, or a list of up to 10 rows',
			},
			{
				name: 'Free Text',
				value: FREE_TEXT,
				description:
					"The question as a text message; the contact's next message is the answer (routed only by an Azeer Trigger in the same n8n process)",
			},
		],
		displayOptions: shownForSendAndWait,
	},
	{
		displayName: 'Approval Options',
		name: 'approvalOptions',
		type: 'collection',
		placeholder: 'Change the buttons',
		default: {},
		description:
			'The labels of the approve and decline buttons, and whether there is a decline button',
		displayOptions: showForResponse('approval'),
		options: [
			{
				displayName: 'Approve Button Label',
				name: 'approveLabel',
				type: 'string',
				default: 'Approve',
				description: `Up to ${INTERACTIVE_LIMITS.buttonTitle} characters; its answer ID is "${APPROVE}"`,
			},
			{
				displayName: 'Buttons',
				name: 'approvalType',
				type: 'options',
				default: 'double',
				description: 'Whether the contact can also decline',
				options: [
					{ name: 'Approve and Decline', value: 'double' },
					{ name: 'Approve Only', value: 'single' },
				],
			},
			{
				displayName: 'Decline Button Label',
				name: 'declineLabel',
				type: 'string',
				default: 'Decline',
				description: `Up to ${INTERACTIVE_LIMITS.buttonTitle} characters; its answer ID is "${DECLINE}"`,
			},
		],
	},
	{
		displayName: 'Show Choices As',
		name: 'choiceStyle',
		type: 'options',
		default: 'buttons',
		options: [
			{ name: 'Reply Buttons (up to 3)', value: 'buttons' },
			{ name: 'List (up to 10 Rows)', value: 'list' },
		],
		displayOptions: showForResponse('choice'),
	},
	{
		displayName: 'List Button Text',
		name: 'listButton',
		type: 'string',
		required: true,
		default: 'Choose',
		description: `Label of the button that opens the list (up to ${INTERACTIVE_LIMITS.listButton} characters)`,
		displayOptions: showForResponse('choice', { choiceStyle: ['list'] }),
	},
	{
		displayName: 'Choices',
		name: 'choices',
		type: 'fixedCollection',
		typeOptions: {
			multipleValues: true,
			sortable: true,
			maxAllowedFields: INTERACTIVE_LIMITS.rows,
		},
		placeholder: 'Add choice',
		default: {},
		displayOptions: showForResponse('choice'),
		options: [
			{
				displayName: 'Choice',
				name: 'choice',
				values: [
					{
						displayName: 'ID',
						name: 'id',
						type: 'string',
						default: '',
						required: true,
						description:
							'Returned as answer.ID when the contact picks it: 1 to 40 letters, digits, "-" or "_"',
					},
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						required: true,
						description: `Shown to the contact (buttons up to ${INTERACTIVE_LIMITS.buttonTitle}, list rows up to ${INTERACTIVE_LIMITS.rowTitle} characters)`,
					},
					{
						displayName: 'Description',
						name: 'description',
						type: 'string',
						default: '',
						description: `Second line of a list row (up to ${INTERACTIVE_LIMITS.rowDescription} characters); not shown on buttons`,
					},
				],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'waitOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		description:
			'Optional settings of the question: contact creation, footer, how long to wait, and what other replies do',
		options: [
			{
				displayName: 'Create Contact If Missing',
				name: 'createContact',
				type: 'boolean',
				default: false,
				description: 'Whether to create the contact when the number is not a contact yet',
			},
			{
				displayName: 'Footer',
				name: 'footer',
				type: 'string',
				default: '',
				displayOptions: { show: { '/responseType': ['approval', 'choice'] } },
				description: `Small grey text under the question (up to ${INTERACTIVE_LIMITS.footerText} characters)`,
			},
			{
				displayName: 'Limit Wait Time',
				name: 'limitWaitTime',
				type: 'fixedCollection',
				default: {
					values: { limitType: 'afterTimeInterval', resumeAmount: 1, resumeUnit: 'days' },
				},
				description:
					'Stop waiting after a while: the node then outputs { answered: false, timedOut: true } so the workflow can branch on it',
				options: [
					{
						displayName: 'Values',
						name: 'values',
						values: [
							{
								displayName: 'Limit Type',
								name: 'limitType',
								type: 'options',
								default: 'afterTimeInterval',
								options: [
									{ name: 'After Time Interval', value: 'afterTimeInterval' },
									{ name: 'At Specified Time', value: 'atSpecifiedTime' },
								],
							},
							{
								displayName: 'Amount',
								name: 'resumeAmount',
								type: 'number',
								default: 1,
								typeOptions: { minValue: 0, numberPrecision: 2 },
								displayOptions: { show: { limitType: ['afterTimeInterval'] } },
							},
							{
								displayName: 'Unit',
								name: 'resumeUnit',
								type: 'options',
								default: 'days',
								options: [
									{ name: 'Seconds', value: 'seconds' },
									{ name: 'Minutes', value: 'minutes' },
									{ name: 'Hours', value: 'hours' },
									{ name: 'Days', value: 'days' },
								],
								displayOptions: { show: { limitType: ['afterTimeInterval'] } },
							},
							{
								displayName: 'Max Date and Time',
								name: 'maxDateAndTime',
								type: 'dateTime',
								default: '',
								displayOptions: { show: { limitType: ['atSpecifiedTime'] } },
							},
						],
					},
				],
			},
			{
				displayName: 'On Other Replies',
				name: 'otherReplies',
				type: 'options',
				default: 'ignore',
				displayOptions: { show: { '/responseType': ['approval', 'choice'] } },
				description:
					'What a message from the contact that is not a tap on these buttons does (text, media, …)',
				options: [
					{
						name: 'Accept as the Answer',
						value: 'accept',
						description:
							'The node continues with answer.text, without approved (routed only by an Azeer Trigger in the same n8n process)',
					},
					{
						name: 'Ignore and Keep Waiting',
						value: 'ignore',
						description: "The message reaches the trigger's workflow as usual",
					},
				],
			},
		],
		displayOptions: shownForSendAndWait,
	},
];

/**
 * The node's waiting webhook, as n8n's own Send and Wait nodes declare it: n8n serves it at
 * /webhook-waiting/<executionId>/<nodeId> only while an execution waits on this node
 * (restartWebhook), so there is nothing to register on Azeer and no webhookMethods lifecycle.
 */
export const sendAndWaitWebhooks: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		// Empty: n8n then answers with webhookResponse ({ resumed: true }), which the trigger checks.
		responseData: '',
		path: '={{ $nodeId }}',
		restartWebhook: true,
		isFullPath: true,
	},
];
