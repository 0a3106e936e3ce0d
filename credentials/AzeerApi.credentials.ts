/** The Azeer API credential: Base URL and API key, how they are sent, and the credential test. */
import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import {
	API_BASE_URL_EXPRESSION,
	AUTHORIZATION_EXPRESSION,
	CREDENTIAL_TYPE,
} from '../nodes/shared/credential';
import { ENDPOINTS } from '../nodes/shared/endpoints';

export class AzeerApi implements ICredentialType {
	name = CREDENTIAL_TYPE;

	displayName = 'Azeer API';

	icon: Icon = { light: 'file:../icons/azeer.svg', dark: 'file:../icons/azeer.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-azeer/n8n-nodes-azeer#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'Create it in Mottasl under Settings → Webhooks & APIs → API → Create API. A "Read only" key can list and read but cannot send messages or change anything; choose "Read and write" to send.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.mottasl.ai/v1',
			placeholder: 'e.g. https://api.mottasl.ai/v1',
			description:
				'Keep the default for the real Azeer API. Point it at a local Azeer sandbox (e.g. http://127.0.0.1:4010/v1) to build workflows without sending real WhatsApp messages. A bare host (https://api.mottasl.ai) means its /v1 API root.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: AUTHORIZATION_EXPRESSION,
			},
		},
	};

	// The templates list: a documented read that every key able to send must be allowed to make.
	test: ICredentialTestRequest = {
		request: {
			baseURL: API_BASE_URL_EXPRESSION,
			url: ENDPOINTS.listTemplates.path,
			method: ENDPOINTS.listTemplates.method,
		},
	};
}
