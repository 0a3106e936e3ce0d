/** Templates read from the API: the list, a lookup by name and language, the approved one to send. */
import type { IExecuteSingleFunctions } from 'n8n-workflow';

import { invalidInput } from '../../shared/errors';
import type { Template, TemplateRef } from './templates';
import { templateLabel } from './templates';
import type { AzeerContext } from '../../shared/transport';
import { azeerList } from '../../shared/transport';

export async function fetchTemplates(context: AzeerContext): Promise<Template[]> {
	return await azeerList<Template>(context, 'listTemplates');
}

type TemplateLookup = { template: Template } | { problem: string; hint: string };

/** Finds the template a reference names; a reference without language matches when only one language exists. */
export function lookupTemplate(templates: Template[], ref: TemplateRef): TemplateLookup {
	const sameName = templates.filter((template) => template.name === ref.name);
	const matches = ref.language
		? sameName.filter((template) => template.language === ref.language)
		: sameName;
	if (matches.length === 1) return { template: matches[0] };
	const languages = sameName.map((template) => template.language).join(', ');
	if (matches.length > 1) {
		return {
			problem: `Template "${ref.name}" exists in several languages (${languages})`,
			hint: `Add the language after a "|", e.g. ${ref.name}|${sameName[0].language}, or pick the template from the list.`,
		};
	}
	return {
		problem: `No template "${ref.name}"${ref.language ? ` in language "${ref.language}"` : ''}`,
		hint: sameName.length
			? `It exists in: ${languages}.`
			: `Approved templates: ${
					templates
						.filter((template) => template.status === 'approved')
						.map(templateLabel)
						.join(', ') || 'none'
				}.`,
	};
}

/**
 * The approved template a reference names, fetched from Azeer; otherwise a NodeOperationError
 * naming the item. `role` names the template in the message, e.g. "Fallback template".
 */
export async function fetchApprovedTemplate(
	context: IExecuteSingleFunctions,
	ref: TemplateRef,
	role?: string,
): Promise<Template> {
	const fail = (message: string, hint: string) => {
		throw invalidInput(context.getNode(), context.getItemIndex(), message, hint);
	};
	const lookup = lookupTemplate(await fetchTemplates(context), ref);
	if ('problem' in lookup)
		return fail(role ? `${role}: ${lookup.problem}` : lookup.problem, lookup.hint);
	const { template } = lookup;
	if (template.status !== 'approved') {
		fail(
			`${role ?? 'Template'} ${templateLabel(template)} is ${template.status}, not approved`,
			'WhatsApp sends only approved templates. Wait for approval or pick an approved template.',
		);
	}
	return template;
}
