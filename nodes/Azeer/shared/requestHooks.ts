/**
 * The checks and request builders of the operations, as preSend / postReceive hooks of the
 * description's routing blocks: runPerItem calls them item by item (shared/operationRun.ts).
 */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	PostReceiveAction,
	PreSendAction,
} from 'n8n-workflow';

import { invalidInput } from '../../shared/errors';
import { invalidPhoneMessage, normalizePhone, PHONE_HINT } from '../../shared/phone';
import { parameter } from '../routing/itemState';

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
	if (!phone) fail(context, invalidPhoneMessage(raw), PHONE_HINT);
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
		if (!phone) fail(this, `${label}: ${invalidPhoneMessage(sent[property])}`, PHONE_HINT);
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

/** What the node's Request Options (which n8n adds to declarative nodes) change in a request. */
export function withRequestOptions(
	context: IExecuteSingleFunctions,
	request: IHttpRequestOptions,
): IHttpRequestOptions {
	const { timeout, allowUnauthorizedCerts, proxy } = context.getNodeParameter(
		'requestOptions',
		{},
	) as IDataObject;
	request.timeout = Number(timeout) || 300_000;
	if (allowUnauthorizedCerts) request.skipSslCertificateValidation = true;
	if (proxy) {
		const url = new URL(String(proxy));
		request.proxy = {
			host: url.hostname,
			port: Number(url.port),
			protocol: url.protocol.replace(/:$/, ''),
			...(url.username
				? {
						auth: {
							username: decodeURIComponent(url.username),
							password: decodeURIComponent(url.password),
						},
					}
				: {}),
		};
	}
	return request;
}
