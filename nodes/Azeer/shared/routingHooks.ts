/**
 * The preSend / postReceive functions the declarative routing calls. RoutingNode gives each input
 * item one ExecuteSingleContext and uses it both for the item's preSend chain and for its
 * postReceive chain (n8n-core routing-node.js, makeRequest), so the options a request was sent
 * with can be remembered per context (the 24-hour window fallback re-uses them).
 */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	PostReceiveAction,
	PreSendAction,
} from 'n8n-workflow';

import { invalidInput } from '../../shared/errors';
import { normalizePhone, PHONE_HINT } from '../../shared/phone';
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
 * First postReceive of every operation: hands a 429 back to the pacer (which sends the request
 * again, see broadcast.ts pacedSend), lets the operation's `recover` answer an error, otherwise
 * turns an error answer into a NodeApiError with the API's message and advice, and hands the JSON
 * body on.
 */
export function azeerResponseHandler(recover?: ErrorRecovery) {
	return async function handleAzeerResponse(
		this: IExecuteSingleFunctions,
		_items: INodeExecutionData[],
		response: IN8nHttpFullResponse,
	): Promise<INodeExecutionData[]> {
		if (response.statusCode === 429) throw rateLimitedAnswer(response);
		const sent = sentRequests.get(this);
		const recovered =
			recover && sent && response.statusCode >= 400
				? await recover(this, response, sent)
				: undefined;
		const body = recovered ?? assertJsonSuccess(this, response, this.getItemIndex());
		return [{ json: body }];
	};
}

/** Unwraps the `{ success, message, data }` envelope: one item per record of `data`. */
export const unwrapData: PostReceiveAction = {
	type: 'rootProperty',
	properties: { property: 'data' },
};

/** Output `{ deleted: true }` merged into what the API returned about the deleted record. */
export async function markDeleted(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return items.map((item) => ({ json: { ...item.json, deleted: true } }));
}

/** Keeps the items only when the node's "Simplify" toggle is on; maps each through `simplify`. */
export function simplifyWith(simplify: (record: IDataObject) => IDataObject): PostReceiveAction {
	return async function (this: IExecuteSingleFunctions, items: INodeExecutionData[]) {
		if (!this.getNodeParameter('simplify', true)) return items;
		return items.map((item) => ({ json: simplify(item.json) }));
	};
}

const resolvedParameters = new WeakMap<object, Map<string, unknown>>();

/**
 * A parameter of the current item, resolved once per item: every read evaluates its expression
 * again in n8n, and the routing engine has already evaluated each parameter several times.
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

export function fail(
	context: IExecuteSingleFunctions,
	message: string,
	description?: string,
): never {
	throw invalidInput(context.getNode(), context.getItemIndex(), message, description);
}

function body(requestOptions: IHttpRequestOptions): IDataObject {
	if (!requestOptions.body || typeof requestOptions.body !== 'object') requestOptions.body = {};
	return requestOptions.body as IDataObject;
}

export function phoneParameter(context: IExecuteSingleFunctions, name: string): string {
	const raw = parameter<string>(context, name, '');
	const phone = normalizePhone(raw);
	if (!phone) fail(context, `"${String(raw)}" is not a valid phone number`, PHONE_HINT);
	return phone;
}

/**
 * preSend of a phone field routed to `property` of the body: the routing engine has already put
 * the resolved value there, so it is normalised in place rather than resolved again.
 */
export function normalizePhoneInBody(label: string, property: string): PreSendAction {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		const sent = body(requestOptions);
		const phone = normalizePhone(sent[property] as string);
		if (!phone)
			fail(
				this,
				`${label}: "${String(sent[property] ?? '')}" is not a valid phone number`,
				PHONE_HINT,
			);
		sent[property] = phone;
		return requestOptions;
	};
}

/** preSend: rejects the item unless parameter `name` passes `isValid`. */
export function validate(
	name: string,
	isValid: (value: unknown) => boolean,
	problem: (value: unknown) => string,
	hint?: string,
): PreSendAction {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		const value = parameter(this, name, null);
		if (!isValid(value)) fail(this, problem(value), hint);
		return requestOptions;
	};
}

/** preSend: like `validate`, for a value the routing engine has already put at `path` of the body. */
export function validateInBody(
	path: string,
	isValid: (value: unknown) => boolean,
	problem: (value: unknown) => string,
): PreSendAction {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		const value = path
			.split('.')
			.reduce<unknown>(
				(node, key) => (node as IDataObject | undefined)?.[key],
				requestOptions.body,
			);
		if (!isValid(value)) fail(this, problem(value));
		return requestOptions;
	};
}

export { isPositiveInteger } from './typedInputs';

/** preSend: rejects a Limit below 1 before the list request. */
export const validateLimit = validate(
	'limit',
	(value) => value === null || (Number.isInteger(Number(value)) && Number(value) >= 1),
	(value) => `Limit must be a whole number of at least 1, not "${String(value)}"`,
);

export function withBody(
	requestOptions: IHttpRequestOptions,
	values: IDataObject,
): IHttpRequestOptions {
	Object.assign(body(requestOptions), values);
	return requestOptions;
}

/** The JSON body the current item's request was sent with. */
export function sentBody(context: IExecuteSingleFunctions): IDataObject {
	const sent = sentRequests.get(context);
	return (sent?.body && typeof sent.body === 'object' ? sent.body : {}) as IDataObject;
}
