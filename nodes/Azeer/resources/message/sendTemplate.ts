/** Message → Send Template: the template, its variables and the checks against the approved template. */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeParameterResourceLocator,
	INodeProperties,
	ResourceMapperValue,
} from 'n8n-workflow';

import { showFor, templateLocator } from '../../shared/descriptions';
import { fail, withBody } from '../../shared/requestHooks';
import { parameter } from '../../routing/itemState';
import { fetchApprovedTemplate } from '../../shared/templateApi';
import {
	buildTemplateArgument,
	parseTemplateRef,
	templateLabel,
	templateVariables,
} from '../../shared/templates';
import type { TemplateRef, TemplateVariable } from '../../shared/templates';
import { sendOperation } from './common';

const displayOptions = showFor('message', 'sendTemplate');

const COMPONENT_BY_PREFIX: Record<string, TemplateVariable['component']> = {
	header: 'HEADER',
	body: 'BODY',
	button: 'BUTTONS',
};

/** The variables as the editor loaded them from the chosen template (the resource mapper's schema). */
function variablesFromSchema(mapper: ResourceMapperValue): TemplateVariable[] {
	return mapper.schema.map((field) => ({
		id: field.id,
		component: COMPONENT_BY_PREFIX[field.id.split('_')[0]] ?? 'BODY',
		label: field.displayName,
	}));
}

/**
 * The schema can be trusted only when the template was picked from the list in the editor; a
 * template given by name or by expression is fetched so its placeholders can be checked.
 */
function schemaIsTrusted(context: IExecuteSingleFunctions, mapper: ResourceMapperValue): boolean {
	const locator = context.getNode().parameters.template as
		INodeParameterResourceLocator | undefined;
	const raw = String(locator?.value ?? '');
	return locator?.mode === 'list' && !raw.startsWith('=') && Array.isArray(mapper.schema);
}

function mappedValues(
	context: IExecuteSingleFunctions,
	mapper: ResourceMapperValue,
	variables: TemplateVariable[],
) {
	if (mapper.mappingMode !== 'autoMapInputData') return (mapper.value ?? {}) as IDataObject;
	const json = context.getInputData().json;
	return Object.fromEntries(variables.map((variable) => [variable.id, json[variable.id]]));
}

async function resolveTemplate(
	context: IExecuteSingleFunctions,
	ref: TemplateRef,
	mapper: ResourceMapperValue,
): Promise<{ ref: Required<TemplateRef>; variables: TemplateVariable[] }> {
	if (ref.language && schemaIsTrusted(context, mapper)) {
		return {
			ref: { name: ref.name, language: ref.language },
			variables: variablesFromSchema(mapper),
		};
	}
	const template = await fetchApprovedTemplate(context, ref);
	return {
		ref: { name: template.name, language: template.language },
		variables: templateVariables(template),
	};
}

async function buildTemplateMessage(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
) {
	const ref = parseTemplateRef(parameter(this, 'template', ''));
	if (!ref)
		fail(
			this,
			'No template chosen',
			'Pick a template from the list, or give its name and language like order_update|en.',
		);
	const mapper = parameter<ResourceMapperValue>(this, 'templateVariables', {
		mappingMode: 'defineBelow',
		value: null,
		matchingColumns: [],
		schema: [],
		attemptToConvertTypes: false,
		convertFieldsToString: true,
	});
	const resolved = await resolveTemplate(this, ref, mapper);
	const { argument, problems } = buildTemplateArgument(
		resolved.variables,
		mappedValues(this, mapper, resolved.variables),
	);
	if (problems.length) {
		fail(
			this,
			`Template ${templateLabel(resolved.ref)}: ${problems[0]}`,
			'Give one value per {{n}} placeholder. If the template changed, re-select it so the variable fields reload.',
		);
	}
	return withBody(requestOptions, {
		template: { template_id: resolved.ref.name, language: resolved.ref.language, argument },
	});
}

export const sendTemplate = sendOperation({
	name: 'Send Template',
	value: 'sendTemplate',
	action: 'Send template message',
	description:
		'Send an approved WhatsApp template with its variables; the only way to message a contact outside the 24-hour window',
	type: 'template',
	preSend: [buildTemplateMessage],
});

export const sendTemplateFields: INodeProperties[] = [
	templateLocator(displayOptions),
	{
		displayName: 'Template Variables',
		name: 'templateVariables',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		description: "One value per {{n}} placeholder in the template's header, body and buttons",
		// Shown once a template is chosen: with no template the editor would show its red "No
		// variables found" error for the empty field list (n8n unwraps the locator to its value here).
		displayOptions: { ...displayOptions, hide: { template: [''] } },
		typeOptions: {
			loadOptionsDependsOn: ['template.value'],
			resourceMapper: {
				resourceMapperMethod: 'getTemplateVariables',
				mode: 'add',
				fieldWords: { singular: 'variable', plural: 'variables' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: true,
			},
		},
	},
];
