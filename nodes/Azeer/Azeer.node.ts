/**
 * The Azeer node: its description shell (resources, credential, request defaults), its methods,
 * and the custom operations with their waiting webhook (Message → Send and Wait for Response).
 */
import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	searchAgentEmails,
	searchAgents,
	searchTemplates,
	searchWebhooks,
} from './methods/listSearch';
import { getAgents, getCustomFields, getTags } from './methods/loadOptions';
import { getTemplateVariables } from './methods/resourceMapping';
import { agentCustomOperations, agentDescription } from './resources/agent';
import { contactCustomOperations, contactDescription } from './resources/contact';
import { customFieldCustomOperations, customFieldDescription } from './resources/customField';
import { messageCustomOperations, messageDescription } from './resources/message';
import { tagCustomOperations, tagDescription } from './resources/tag';
import { templateCustomOperations, templateDescription } from './resources/template';
import { userSessionCustomOperations, userSessionDescription } from './resources/userSession';
import { webhookCustomOperations, webhookDescription } from './resources/webhook';
import { toolDescriptionProperties, toolSafetyProperties } from './shared/agentTool';
import { API_BASE_URL_EXPRESSION, CREDENTIAL_TYPE } from '../shared/credential';
import { requestTrackingProperty } from './routing/operation';
import { sendAndWaitWebhooks } from '../shared/sendAndWait/description';
import { SEND_AND_WAIT } from '../shared/sendAndWait/question';
import { sendAndWaitExecute } from '../shared/sendAndWait/send';
import { sendAndWaitWebhook } from '../shared/sendAndWait/webhook';

export class Azeer implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Azeer',
		name: 'azeer',
		icon: { light: 'file:../../icons/azeer.svg', dark: 'file:../../icons/azeer.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Send WhatsApp messages and templates, and manage contacts, agents, tags and webhooks with the Azeer API (Mottasl)',
		defaults: { name: 'Azeer' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		webhooks: sendAndWaitWebhooks,
		requestDefaults: {
			baseURL: API_BASE_URL_EXPRESSION,
			headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
		},
		properties: [
			...toolDescriptionProperties,
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Agent', value: 'agent' },
					{ name: 'Contact', value: 'contact' },
					{ name: 'Custom Field', value: 'customField' },
					{ name: 'Message', value: 'message' },
					{ name: 'Tag', value: 'tag' },
					{ name: 'Template', value: 'template' },
					{ name: 'User Session', value: 'userSession' },
					{ name: 'Webhook', value: 'webhook' },
				],
				default: 'message',
			},
			...messageDescription,
			...templateDescription,
			...contactDescription,
			...agentDescription,
			...tagDescription,
			...customFieldDescription,
			...webhookDescription,
			...userSessionDescription,
			...toolSafetyProperties,
			requestTrackingProperty,
		],
	};

	methods = {
		listSearch: { searchAgentEmails, searchAgents, searchTemplates, searchWebhooks },
		loadOptions: { getAgents, getCustomFields, getTags },
		resourceMapping: { getTemplateVariables },
	};

	/**
	 * Every operation, run instead of n8n's routing engine: item by item (shared/operationRun.ts),
	 * and Send and Wait. n8n runs a custom operation whenever one matches the node's resource and
	 * operation, so the routing blocks of the description describe the requests but n8n never
	 * sends them (routing/operation.ts).
	 */
	customOperations: NonNullable<INodeType['customOperations']> = {
		agent: agentCustomOperations,
		contact: contactCustomOperations,
		customField: customFieldCustomOperations,
		message: { ...messageCustomOperations, [SEND_AND_WAIT]: sendAndWaitExecute },
		tag: tagCustomOperations,
		template: templateCustomOperations,
		userSession: userSessionCustomOperations,
		webhook: webhookCustomOperations,
	};

	webhook = sendAndWaitWebhook;
}
