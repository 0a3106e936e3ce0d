/** The Azeer node's dropdown options loaded from the account: tags, agents, custom fields. */
import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { flattenCustomFieldGroups } from '../resources/customField/getAll';
import { azeerList } from '../../shared/transport';

const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

export async function getTags(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const tags = await azeerList<IDataObject>(this, 'listTags');
	return tags
		.map((tag) => ({
			name: String(tag.tag),
			value: Number(tag.id),
			description: String(tag.description ?? ''),
		}))
		.sort(byName);
}

export async function getAgents(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const agents = await azeerList<IDataObject>(this, 'listAgents');
	return agents
		.map((agent) => ({
			name: `${String(agent.name)} (${String(agent.email)})`,
			value: Number(agent.id),
		}))
		.sort(byName);
}

export async function getCustomFields(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const groups = await azeerList<IDataObject>(this, 'listCustomFields');
	return flattenCustomFieldGroups(groups)
		.map((field) => ({
			name: `${String(field.display_name)} (${String(field.group_type)})`,
			value: Number(field.id),
		}))
		.sort(byName);
}
