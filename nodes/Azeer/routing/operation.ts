/**
 * The description of a declarative operation: its routing block, which n8n's routing engine runs,
 * and, from the same spec, its run item by item (runPerItem) for the operations that leave routing.
 */
import type {
	IDataObject,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
	PostReceiveAction,
	PreSendAction,
} from 'n8n-workflow';

import { endpointRequest } from '../../shared/endpoints';
import type { EndpointName } from '../../shared/endpoints';
import { answerBody, azeerResponseHandler, rememberRequest } from './itemState';
import type { ErrorRecovery } from './itemState';
import { pacedSend } from './requestPath';
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
 * An operation option whose request comes from ENDPOINTS, is sent through the run's checks and the
 * account's pacer (requestPath.ts), and whose answer goes through the shared error and envelope handling.
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

/** A field's `routing.send` as perItemOperationOf applies it (see fieldSendsOf). */
interface FieldSend {
	name: string;
	fallback: unknown;
	type: 'body' | 'query';
	property: string;
	preSend: PreSendAction[];
}

/**
 * The `routing.send` of the fields shown for `resource` and `operation`, in description order,
 * when each is shown by resource and operation alone and puts the parameter's value as it is at a
 * top-level body or query property; anything else throws (the operation stays on routing). Read
 * before the node wraps its preSends (guardPreSends), so the bare checks are kept.
 */
function fieldSendsOf(fields: INodeProperties[], resource: string, operation: string): FieldSend[] {
	const sends: FieldSend[] = [];
	for (const field of fields) {
		const send = field.routing?.send;
		const show = field.displayOptions?.show ?? {};
		const shown =
			(show.resource as unknown[] | undefined)?.includes(resource) &&
			(show.operation as unknown[] | undefined)?.includes(operation);
		if (!send || !shown) continue;
		const simple =
			Object.keys(show).every((key) => key === 'resource' || key === 'operation') &&
			!field.displayOptions?.hide &&
			send.value === undefined &&
			(send.type === 'body' || send.type === 'query') &&
			typeof send.property === 'string' &&
			!send.property.includes('.');
		if (!simple) throw new Error(`${resource} ${operation}: field ${field.name} stays on routing`);
		sends.push({
			name: field.name,
			fallback: field.default,
			type: send.type as 'body' | 'query',
			property: send.property as string,
			preSend: [...(send.preSend ?? [])],
		});
	}
	return sends;
}

/**
 * The custom operation that runs `spec` item by item, building each item's request as routing
 * builds it from the description: the endpoint's request, the node's request defaults and Request
 * Options, the values of the fields' `routing.send`, then the preSends in description order (the
 * operation's, the fields', the AI tool's guards); the answer through the same postReceives. For
 * specs whose path has no placeholder and whose fields and postReceives fieldSendsOf and
 * receiveStep can apply; anything else stays on routing. A test runs each moved operation both
 * ways and compares the requests and outputs.
 */
export function perItemOperationOf(
	resource: string,
	spec: OperationSpec,
	fields: INodeProperties[] = [],
) {
	const receiveSteps = (spec.postReceive ?? []).map(receiveStep);
	if (spec.path || receiveSteps.includes(undefined))
		throw new Error(`${resource} ${spec.value} cannot run item by item`);
	const fieldSends = fieldSendsOf(fields, resource, spec.value);
	return perItemOperation({
		async build(context) {
			let request = withRequestOptions(context, {
				...endpointRequest(spec.endpoint),
				...(spec.qs ? { qs: { ...spec.qs } } : {}),
				...(spec.body ? { body: { ...spec.body } } : {}),
				headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
				json: true,
			});
			for (const send of fieldSends) {
				const target = send.type === 'body' ? 'body' : 'qs';
				request[target] = {
					...((request[target] as IDataObject | undefined) ?? {}),
					[send.property]: context.getNodeParameter(send.name, send.fallback),
				};
			}
			const chain = [
				...(spec.preSend ?? []),
				...fieldSends.flatMap((send) => send.preSend),
				...toolGuardsFor(context, resource, spec.value),
			];
			for (const preSend of chain) request = await preSend.call(context, request);
			return request;
		},
		async receive(context, response, request) {
			await rememberRequest.call(context, request);
			let items: INodeExecutionData[] = [
				{ json: await answerBody(context, response, request, spec.recover) },
			];
			for (const step of receiveSteps) items = await step!.call(context, items, response);
			return items;
		},
	});
}
