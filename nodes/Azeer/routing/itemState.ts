/**
 * What one item's hooks remember between calls, keyed by the item's context: n8n's routing engine
 * gives each input item one ExecuteSingleContext and uses it for the item's preSend chain and for
 * its postReceive chain (n8n-core routing-node.js, makeRequest); runPerItem's item contexts
 * (shared/itemContext.ts) last an item's checks the same way.
 */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';

import { rateLimitedAnswer } from '../../shared/pacer';
import { assertJsonSuccess } from '../../shared/transport';

const sentRequests = new WeakMap<object, IHttpRequestOptions>();

/** Last preSend of every request (see `requestTrackingProperty`): remembers what is sent. */
export async function rememberRequest(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	sentRequests.set(this, requestOptions);
	return requestOptions;
}

/** The JSON body the current item's request was sent with. */
export function sentBody(context: IExecuteSingleFunctions): IDataObject {
	const sent = sentRequests.get(context);
	return (sent?.body && typeof sent.body === 'object' ? sent.body : {}) as IDataObject;
}

/**
 * What an operation does instead of failing when Azeer answers an error: the JSON body to carry on
 * with, or `undefined` to fail as usual. `sent` is the request the error answered.
 */
export type ErrorRecovery = (
	context: IExecuteSingleFunctions,
	response: IN8nHttpFullResponse,
	sent: IHttpRequestOptions,
) => Promise<IDataObject | undefined>;

/**
 * The JSON body of Azeer's answer to `sent`: a 429 goes back to the pacer (which sends the request
 * again), `recover` may answer an error, any other error answer throws the API's error with advice.
 */
export async function answerBody(
	context: IExecuteSingleFunctions,
	response: IN8nHttpFullResponse,
	sent: IHttpRequestOptions | undefined,
	recover?: ErrorRecovery,
): Promise<IDataObject> {
	if (response.statusCode === 429) throw rateLimitedAnswer(response);
	const recovered =
		recover && sent && response.statusCode >= 400
			? await recover(context, response, sent)
			: undefined;
	return recovered ?? assertJsonSuccess(context, response, context.getItemIndex());
}

/** First postReceive of every declarative operation: the answer's JSON body (see answerBody). */
export function azeerResponseHandler(recover?: ErrorRecovery) {
	return async function handleAzeerResponse(
		this: IExecuteSingleFunctions,
		_items: INodeExecutionData[],
		response: IN8nHttpFullResponse,
	): Promise<INodeExecutionData[]> {
		return [{ json: await answerBody(this, response, sentRequests.get(this), recover) }];
	};
}

const resolvedParameters = new WeakMap<object, Map<string, unknown>>();

/**
 * A parameter of the current item, resolved once per item: every read evaluates its expression
 * again in n8n, and several checks of an item read the same parameter.
 */
export function parameter<T = unknown>(
	context: IExecuteSingleFunctions,
	name: string,
	fallback?: T,
): T {
	let resolved = resolvedParameters.get(context);
	if (!resolved) resolvedParameters.set(context, (resolved = new Map()));
	const key = `${name}\u0000${JSON.stringify(fallback)}`;
	if (!resolved.has(key))
		resolved.set(key, context.getNodeParameter(name, fallback, { extractValue: true }));
	return resolved.get(key) as T;
}
