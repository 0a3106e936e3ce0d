/** The Azeer Send and Wait node: its description shell; the work is in sendAndWait.ts. */
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../shared/baseUrl';
import {
	SEND_AND_WAIT,
	sendAndWaitExecute,
	sendAndWaitFields,
	sendAndWaitOperation,
	sendAndWaitWebhook,
	sendAndWaitWebhooks,
} from './sendAndWait';

/**
 * Its own node rather than an operation of the declarative Azeer node: n8n runs a declarative
 * node that has a webhook() with no input for its expressions ($json), which would break every
 * other Azeer operation.
 */
export class AzeerSendAndWait implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Azeer Send and Wait',
		name: 'azeerSendAndWait',
		icon: { light: 'file:../../icons/azeer.svg', dark: 'file:../../icons/azeer.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{"Ask and wait: " + $parameter["responseType"]}}',
		description:
			'Ask a WhatsApp contact a question with buttons, a list or as text (Azeer, Mottasl) and wait for their answer',
		defaults: { name: 'Azeer Send and Wait' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		webhooks: sendAndWaitWebhooks,
		usableAsTool: true,
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Message', value: 'message' }],
				default: 'message',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [sendAndWaitOperation],
				default: SEND_AND_WAIT,
			},
			...sendAndWaitFields,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await sendAndWaitExecute.call(this);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await sendAndWaitWebhook.call(this);
	}
}
