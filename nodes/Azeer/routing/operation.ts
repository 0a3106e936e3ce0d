/**
 * The description of a declarative operation and its run. One spec gives the operation option
 * with its routing block (what the request is, declaratively, as n8n describes operations), and
 * the custom operation that n8n runs instead of its routing engine: the same request built item
 * by item (perItemOperationOf, run by runPerItem in shared/operationRun.ts). The engine builds
 * every item's request in one loop that never yields, which holds n8n's event loop for the whole
 * run; so every operation of the node is a custom operation, and tests run each one both ways.
 */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
	PostReceiveAction,
	PreSendAction,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { endpointPath, endpointRequest, ENDPOINTS } from '../../shared/endpoints';
import type { EndpointName } from '../../shared/endpoints';
import { answerBody, azeerResponseHandler, parameter, rememberRequest } from './itemState';
import type { ErrorRecovery } from './itemState';
import { toolGuardsFor } from '../shared/agentTool';
import { perItemOperation } from '../shared/operationRun';
import { withRequestOptions } from '../shared/requestHooks';

export interface OperationSpec {
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
 * An operation option whose request comes from ENDPOINTS and whose answer goes through the shared
 * error and envelope handling; it runs item by item (perItemOperationOf, or a send's own build).
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
			...(spec.preSend ? { send: { preSend: spec.preSend } } : {}),
			output: { postReceive: [azeerResponseHandler(spec.recover), ...(spec.postReceive ?? [])] },
		},
	};
}

/**
 * Last property of the node: its preSend runs after every other one, so it sees the request
 * exactly as sent, which answers read (`sentBody`, `recover`); perItemOperationOf remembers the
 * request it sends the same way. It has no UI.
 */
export const requestTrackingProperty: INodeProperties = {
	displayName: 'Request Tracking',
	name: 'requestTracking',
	type: 'hidden',
	default: '',
	routing: { send: { preSend: [rememberRequest] } },
};

type PostReceiveFunction = Extract<PostReceiveAction, (...args: never[]) => unknown>;

/** What perItemOperationOf runs of a postReceive: a function, or `rootProperty` as n8n applies it. */
function receiveStep(action: PostReceiveAction): PostReceiveFunction | undefined {
	if (typeof action === 'function') return action;
	if (action.type !== 'rootProperty' || action.properties.property.includes('.')) return undefined;
	const { property } = action.properties;
	return async (items) =>
		items.flatMap((item) => {
			const content = item.json[property];
			return (Array.isArray(content) ? content : [content]).map((json) => ({
				json: json as IDataObject,
			}));
		});
}

/** `={{$value}}`: the parameter's own value (a Limit's `maxResults`). */
const OWN_VALUE = /^=\{\{\s*\$value\s*\}\}$/;

/** `$parameter.agentId`: a path placeholder filled with the item's value of that parameter. */
const PARAMETER_REFERENCE = /^\$parameter\.(\w+)$/;

/**
 * A parameter whose `routing` perItemOperationOf applies as routing does (see routedParameterOf):
 * its value put at a top-level body or query property, its preSends, its `maxResults`, and the
 * routing of the options of a collection that are set.
 */
interface RoutedParameter {
	path: string;
	property: INodeProperties;
	send?: { type: 'body' | 'query'; property: string };
	preSend: PreSendAction[];
	maxResultsIsValue: boolean;
	options: RoutedParameter[];
}

/**
 * The routing of `property` (at `path`) as perItemOperationOf applies it, or undefined when
 * neither it nor a collection option has routing; anything routing does that this does not apply
 * throws when the module loads, so a description the builder cannot follow fails every test.
 */
function routedParameterOf(property: INodeProperties, path: string): RoutedParameter | undefined {
	function refuse(what: string): never {
		throw new Error(`field ${path}: ${what} cannot run item by item`);
	}
	const { routing } = property;
	const options =
		property.type === 'collection'
			? (property.options as INodeProperties[])
					.map((option) => routedParameterOf(option, `${path}.${option.name}`))
					.filter((option) => option !== undefined)
			: [];
	if (property.type !== 'collection' && hasRouting(property.options))
		refuse('routing inside its options');
	if (!routing && options.length === 0) return undefined;
	const { send, output } = routing ?? {};
	if (routing?.request || routing?.operations) refuse('a request of its own');
	if (send?.value !== undefined || send?.paginate !== undefined)
		refuse('paging or a computed value');
	if (output?.postReceive) refuse('a postReceive');
	const maxResults = output?.maxResults;
	if (maxResults !== undefined && !(typeof maxResults === 'string' && OWN_VALUE.test(maxResults)))
		refuse('a computed maxResults');
	let sendTo: RoutedParameter['send'];
	if (send?.property !== undefined) {
		if (
			(send.type !== 'body' && send.type !== 'query') ||
			typeof send.property !== 'string' ||
			/[.[=]/.test(send.property)
		)
			refuse(`sending to ${String(send.property)}`);
		sendTo = { type: send.type, property: send.property };
	}
	return {
		path,
		property,
		send: sendTo,
		preSend: [...(send?.preSend ?? [])],
		maxResultsIsValue: maxResults !== undefined,
		options,
	};
}

/** Whether routing is set anywhere in `options` (the options of an options or fixedCollection field). */
function hasRouting(options: unknown): boolean {
	if (!Array.isArray(options)) return false;
	return options.some(
		(option: { routing?: unknown; values?: unknown }) =>
			option.routing !== undefined || hasRouting(option.values),
	);
}

/** The routed parameters of the fields shown for `resource` and `operation`, in description order. */
function routedParametersOf(
	fields: INodeProperties[],
	resource: string,
	operation: string,
): RoutedParameter[] {
	return fields
		.filter((field) => {
			const show = field.displayOptions?.show ?? {};
			return (
				(show.resource as unknown[] | undefined)?.includes(resource) &&
				(show.operation as unknown[] | undefined)?.includes(operation)
			);
		})
		.map((field) => routedParameterOf(field, field.name))
		.filter((field) => field !== undefined);
}

/** What the routed parameters shown for one item add to its request. */
interface AppliedRouting {
	preSend: PreSendAction[];
	maxResults?: unknown;
}

/**
 * Applies `routed` to `request` as routing does for a property it shows: the value read through
 * the item's context, put at its property, its preSends and `maxResults`, then the options of a
 * collection that the node's parameters set, in description order.
 */
function applyRouting(
	context: IExecuteSingleFunctions,
	node: INode,
	routed: RoutedParameter,
	request: IHttpRequestOptions,
	applied: AppliedRouting,
): void {
	if (!NodeHelpers.displayParameter(node.parameters, routed.property, node, null)) return;
	const { property } = routed;
	if (property.routing) {
		const extractValue = property.extractValue !== undefined || property.type === 'resourceLocator';
		const value = context.getNodeParameter(routed.path, undefined, { extractValue });
		if (routed.send) {
			const target = routed.send.type === 'body' ? 'body' : 'qs';
			request[target] = {
				...((request[target] as IDataObject | undefined) ?? {}),
				[routed.send.property]: value,
			};
		}
		applied.preSend.push(...routed.preSend);
		if (routed.maxResultsIsValue && value) applied.maxResults = value;
	}
	if (routed.options.length === 0) return;
	const set = Object.keys((get(node.parameters, routed.path) as IDataObject | undefined) ?? {});
	for (const option of routed.options) {
		if (set.includes(option.property.name)) applyRouting(context, node, option, request, applied);
	}
}

function get(parameters: IDataObject, path: string): unknown {
	return path
		.split('.')
		.reduce<unknown>((value, key) => (value as IDataObject | undefined)?.[key], parameters);
}

/** The `maxResults` of each built request, for its answer (routing cuts the output to it). */
const maxResultsOf = new WeakMap<IHttpRequestOptions, unknown>();

/**
 * The custom operation that runs `spec` item by item, building each item's request as n8n's
 * routing engine builds it from the description: the endpoint's request with its `{param}`
 * placeholders filled from the item's parameters (`$parameter.name`), the node's request defaults
 * and Request Options, the routing of the fields shown for the item's parameters, then the
 * preSends in description order (the operation's, the fields', the AI tool's guards); the answer
 * through the same postReceives, cut to the Limit's `maxResults` as routing cuts it (a list is one
 * request: Azeer does not page). What routedParameterOf and receiveStep cannot apply as routing
 * does throws when the module loads. test/nodes/Azeer/routing/operation.test.cts runs each
 * operation both ways and compares the requests and outputs.
 */
export function perItemOperationOf(
	resource: string,
	spec: OperationSpec,
	fields: INodeProperties[] = [],
) {
	const receiveSteps = (spec.postReceive ?? []).map(receiveStep);
	const pathParameters = Object.entries(spec.path ?? {}).map(([placeholder, expression]) => {
		const name = PARAMETER_REFERENCE.exec(expression)?.[1];
		if (!name)
			throw new Error(`${resource} ${spec.value}: path ${expression} cannot run item by item`);
		return [placeholder, name] as const;
	});
	if (receiveSteps.includes(undefined))
		throw new Error(`${resource} ${spec.value}: a postReceive cannot run item by item`);
	const routedFields = routedParametersOf(fields, resource, spec.value);
	return perItemOperation({
		async build(context) {
			// $parameter.name is the parameter's value for the item, as the item's context reads it.
			const pathValues = Object.fromEntries(
				pathParameters.map(([placeholder, name]) => [
					placeholder,
					String(parameter(context, name, null)),
				]),
			);
			let request = withRequestOptions(context, {
				method: ENDPOINTS[spec.endpoint].method,
				url: endpointPath(spec.endpoint, pathValues),
				...(spec.qs ? { qs: { ...spec.qs } } : {}),
				...(spec.body ? { body: { ...spec.body } } : {}),
				headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
				json: true,
			});
			const node = context.getNode();
			const applied: AppliedRouting = { preSend: [] };
			for (const routed of routedFields) applyRouting(context, node, routed, request, applied);
			const chain = [
				...(spec.preSend ?? []),
				...applied.preSend,
				...toolGuardsFor(context, resource, spec.value),
			];
			for (const preSend of chain) request = await preSend.call(context, request);
			if (applied.maxResults) maxResultsOf.set(request, applied.maxResults);
			return request;
		},
		async receive(context, response, request) {
			await rememberRequest.call(context, request);
			let items: INodeExecutionData[] = [
				{ json: await answerBody(context, response, request, spec.recover) },
			];
			for (const step of receiveSteps) items = await step!.call(context, items, response);
			const maxResults = maxResultsOf.get(request);
			if (maxResults) items.splice(Number(maxResults));
			return items;
		},
	});
}

/** The custom operations of `resource` that run `specs` item by item, by operation value. */
export function perItemOperationsOf(
	resource: string,
	specs: OperationSpec[],
	fields: INodeProperties[],
) {
	return Object.fromEntries(
		specs.map((spec) => [spec.value, perItemOperationOf(resource, spec, fields)]),
	);
}
