/** Field and operation builders shared by the resource descriptions. */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { normalizePhoneInBody, validateLimit } from './requestHooks';
import { phoneField as sharedPhoneField } from '../../shared/phone';
import type { PhoneFieldSpec } from '../../shared/phone';

export type DisplayOptions = NonNullable<INodeProperties['displayOptions']>;

export function showFor(resource: string, operations: string | string[]): DisplayOptions {
	return {
		show: {
			resource: [resource],
			operation: Array.isArray(operations) ? operations : [operations],
		},
	};
}

export function operationProperty(
	resource: string,
	options: INodePropertyOptions[],
	defaultValue: string,
): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options,
		default: defaultValue,
	};
}

export function returnAllAndLimit(displayOptions: DisplayOptions): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			displayOptions,
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			displayOptions: { show: { ...displayOptions.show, returnAll: [false] } },
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			routing: { send: { preSend: [validateLimit] }, output: { maxResults: '={{$value}}' } },
		},
	];
}

export function simplifyProperty(displayOptions: DisplayOptions): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		displayOptions,
		default: true,
		description: 'Whether to return a simplified version of the response instead of the raw data',
	};
}

interface RoutedPhoneFieldSpec extends PhoneFieldSpec {
	/** Where in the JSON body the number goes (normalised to digits); omit when a path uses it. */
	bodyProperty?: string;
}

/** The shared phone field, sent normalised to digits in the body when `bodyProperty` is given. */
export function phoneField(spec: RoutedPhoneFieldSpec): INodeProperties {
	const { bodyProperty, ...field } = spec;
	return {
		...sharedPhoneField(field),
		...(bodyProperty
			? {
					routing: {
						send: {
							type: 'body',
							property: bodyProperty,
							preSend: [normalizePhoneInBody(spec.displayName, bodyProperty)],
						},
					},
				}
			: {}),
	};
}

interface LocatorSpec {
	name: string;
	displayName: string;
	description: string;
	searchMethod: string;
	displayOptions: DisplayOptions;
	manual: { name: string; displayName: string; placeholder: string; regex?: string; hint: string };
}

/** A resource locator: "From List" (searchable) or typed by hand / mapped by expression. */
export function resourceLocator(spec: LocatorSpec): INodeProperties {
	return {
		displayName: spec.displayName,
		name: spec.name,
		type: 'resourceLocator',
		required: true,
		default: { mode: 'list', value: '' },
		description: spec.description,
		displayOptions: spec.displayOptions,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: spec.searchMethod, searchable: true },
			},
			{
				displayName: spec.manual.displayName,
				name: spec.manual.name,
				type: 'string',
				placeholder: spec.manual.placeholder,
				hint: spec.manual.hint,
				...(spec.manual.regex
					? {
							validation: [
								{
									type: 'regex' as const,
									properties: { regex: spec.manual.regex, errorMessage: spec.manual.hint },
								},
							],
						}
					: {}),
			},
		],
	};
}

export function agentIdLocator(
	displayOptions: DisplayOptions,
	description: string,
): INodeProperties {
	return resourceLocator({
		name: 'agentId',
		displayName: 'Agent',
		description,
		searchMethod: 'searchAgents',
		displayOptions,
		manual: {
			name: 'id',
			displayName: 'ID',
			placeholder: 'e.g. 12',
			regex: '^[0-9]+$',
			hint: 'The numeric agent ID',
		},
	});
}

export function templateLocator(displayOptions: DisplayOptions): INodeProperties {
	return resourceLocator({
		name: 'template',
		displayName: 'Template',
		description: 'The approved template, shown as name (language)',
		searchMethod: 'searchTemplates',
		displayOptions,
		manual: {
			name: 'name',
			displayName: 'By Name',
			placeholder: 'e.g. order_update|en',
			regex: '^[^|]+(\\|[^|]+)?$',
			hint: 'Template name, optionally "|" and the language code, e.g. order_update|en',
		},
	});
}

/** The roles of a Mottasl user (agents and partner-app sessions). */
export const ROLE_OPTIONS = [
	{ name: 'Admin', value: 'admin' },
	{ name: 'Agent', value: 'agent' },
	{ name: 'Supervisor', value: 'supervisor' },
];
