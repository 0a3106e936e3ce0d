import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

export class Azeer implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Azeer',
		name: 'azeer',
		icon: { light: 'file:../../icons/azeer.svg', dark: 'file:../../icons/azeer.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Send WhatsApp messages and manage contacts, agents and tags with the Azeer API (Mottasl)',
		defaults: { name: 'Azeer' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'azeerApi', required: true }],
		requestDefaults: {
			baseURL: '={{$credentials.baseUrl.replace(new RegExp("/+$"), "")}}',
			headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
		},
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Tag', value: 'tag' }],
				default: 'tag',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['tag'] } },
				options: [
					{
						name: 'Get Many',
						value: 'getAll',
						action: 'Get many tags',
						description: 'List the tags of the account',
						routing: { request: { method: 'GET', url: '/tags' } },
					},
				],
				default: 'getAll',
			},
		],
	};
}
