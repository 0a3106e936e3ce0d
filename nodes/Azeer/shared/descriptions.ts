/** Field and operation builders shared by the resource descriptions. */
import type {
	IDataObject,
	INodeProperties,
	INodePropertyOptions,
	PostReceiveAction,
	PreSendAction,
} from 'n8n-workflow';

import { pacedSend } from './broadcast';
import { endpointRequest } from '../../shared/endpoints';
import { phoneField as sharedPhoneField } from '../../shared/phone';
import type { PhoneFieldSpec } from '../../shared/phone';
import type { EndpointName } from '../../shared/endpoints';
import {
	azeerResponseHandler,
	normalizePhoneInBody,
	rememberRequest,
	validateLimit,
} from './routingHooks';
import type { ErrorRecovery } from './routingHooks';

export type DisplayOptions = NonNullable<INodeProperties['displayOptions']>;

export function showFor(resource: string, operations: string | string[]): DisplayOptions {
	return {
		show: {
			resource: [resource],
			operation: Array.isArray(operations) ? operations : [operations],
		},
	};
}

interface OperationSpec {
	name: string;
	value: string;
	action: string;
	description: string;
	endpoint: EndpointName;
	/** n8n expressions for the `{param}` placeholders of the endpoint's path. */
	path?: Record<string, string>;
	qs?: IDataObject;
	body?: IDataObject;
	preSend?: PreSendAction[];
	postReceive?: PostReceiveAction[];
	/** Answers an error response instead of failing (see ErrorRecovery). */
	recover?: ErrorRecovery;
}

/**
 * An operation option whose request comes from ENDPOINTS, is sent through the run's checks and the
 * account's pacer (broadcast.ts), and whose answer goes through the shared error and envelope handling.
 */
export function operation(spec: OperationSpec): INodePropertyOptions {
	return {
		name: spec.name,
		value: spec.value,
		action: spec.action,
		description: spec.description,
		routing: {
			request: {
				...endpointRequest(spec.endpoint, spec.path),
				ignoreHttpStatusErrors: true,
				...(spec.qs ? { qs: spec.qs } : {}),
				...(spec.body ? { body: spec.body } : {}),
			},
			// paginate + pagination: routing hands the built request to pacedSend instead of sending it.
			send: { paginate: true, ...(spec.preSend ? { preSend: spec.preSend } : {}) },
			operations: { pagination: pacedSend },
			output: { postReceive: [azeerResponseHandler(spec.recover), ...(spec.postReceive ?? [])] },
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

/**
 * Last property of the node: its preSend runs after every other one, so it sees the request
 * exactly as sent (kept for the 24-hour window fallback). It has no UI.
 */
export const requestTrackingProperty: INodeProperties = {
	displayName: 'Request Tracking',
	name: 'requestTracking',
	type: 'hidden',
	default: '',
	routing: { send: { preSend: [rememberRequest] } },
};

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
