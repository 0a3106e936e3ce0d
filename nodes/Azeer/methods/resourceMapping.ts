/** The Send Template operation's variable fields, mapped from the selected template's placeholders. */
import type { ILoadOptionsFunctions, ResourceMapperFields } from 'n8n-workflow';

import { fetchTemplates, lookupTemplate } from '../shared/templateApi';
import { parseTemplateRef, templateVariables } from '../shared/templates';

/** One input per `{{n}}` of the chosen template (and its media header URL), for Send Template. */
export async function getTemplateVariables(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	const ref = parseTemplateRef(this.getNodeParameter('template', '', { extractValue: true }));
	if (!ref) return { fields: [], emptyFieldsNotice: 'Choose a template first' };
	const lookup = lookupTemplate(await fetchTemplates(this), ref);
	if ('problem' in lookup)
		return { fields: [], emptyFieldsNotice: `${lookup.problem}. ${lookup.hint}` };
	return {
		fields: templateVariables(lookup.template).map((variable) => ({
			id: variable.id,
			displayName: variable.label,
			required: true,
			defaultMatch: false,
			display: true,
			type: variable.id === 'header_media_url' ? 'url' : 'string',
			canBeUsedToMatch: false,
		})),
		emptyFieldsNotice: 'This template has no variables: nothing to fill in',
	};
}
