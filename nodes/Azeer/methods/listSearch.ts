/** Searchable lists of the Azeer node's resource locators: templates, agents, agent emails and the like. */
import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import type { EndpointName } from '../../shared/endpoints';
import { fetchTemplates } from '../shared/templateApi';
import { templateLabel, templateRefValue } from '../shared/templates';
import { azeerList } from '../../shared/transport';

function matching(items: INodeListSearchItems[], filter?: string): INodeListSearchResult {
	const needle = (filter ?? '').trim().toLowerCase();
	const results = items
		.filter(
			(item) =>
				!needle ||
				item.name.toLowerCase().includes(needle) ||
				String(item.value).toLowerCase().includes(needle),
		)
		.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}

function listSearch(endpoint: EndpointName, toItem: (record: IDataObject) => INodeListSearchItems) {
	return async function (
		this: ILoadOptionsFunctions,
		filter?: string,
	): Promise<INodeListSearchResult> {
		return matching((await azeerList<IDataObject>(this, endpoint)).map(toItem), filter);
	};
}

/** Approved templates, shown as `name (language)`; the value is `name|language`. */
export async function searchTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const approved = (await fetchTemplates(this)).filter(
		(template) => template.status === 'approved',
	);
	return matching(
		approved.map((template) => ({
			name: templateLabel(template),
			value: templateRefValue(template),
		})),
		filter,
	);
}

const agentLabel = (agent: IDataObject) =>
	`${String(agent.name ?? agent.display_name)} (${String(agent.email)})`;

export const searchAgents = listSearch('listAgents', (agent) => ({
	name: agentLabel(agent),
	value: String(agent.id),
}));

export const searchAgentEmails = listSearch('listAgents', (agent) => ({
	name: agentLabel(agent),
	value: String(agent.email),
}));

export const searchWebhooks = listSearch('listWebhooks', (webhook) => ({
	name: `${String(webhook.name)} (${String(webhook.event)})`,
	value: String(webhook.id),
}));
