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

const isFunction = (action: PostReceiveAction): action is PostReceiveFunction =>
	typeof action === 'function';

/**
 * The custom operation that runs `spec` item by item, building each item's request as its routing
 * block does: the endpoint's request, the node's request defaults and Request Options, the spec's
 * preSends, the AI tool's guards. Only for specs whose path has no placeholder, whose fields send
 * nothing through `routing.send` and whose postReceives are functions: anything else stays on
 * routing (a test runs each moved operation both ways and compares the requests).
 */
export function perItemOperationOf(resource: string, spec: OperationSpec) {
	const postReceive = spec.postReceive ?? [];
	if (spec.path || !postReceive.every(isFunction))
		throw new Error(`${resource} ${spec.value} cannot run item by item`);
	return perItemOperation({
		async build(context) {
			let request = withRequestOptions(context, {
				...endpointRequest(spec.endpoint),
				...(spec.qs ? { qs: { ...spec.qs } } : {}),
				...(spec.body ? { body: { ...spec.body } } : {}),
				headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
				json: true,
			});
			const chain = [...(spec.preSend ?? []), ...toolGuardsFor(context, resource, spec.value)];
			for (const preSend of chain) request = await preSend.call(context, request);
			return request;
		},
		async receive(context, response, request) {
			await rememberRequest.call(context, request);
			let items: INodeExecutionData[] = [
				{ json: await answerBody(context, response, request, spec.recover) },
			];
			for (const action of postReceive.filter(isFunction))
				items = await action.call(context, items, response);
			return items;
		},
	});
}
