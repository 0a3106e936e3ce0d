/** The one HTTP path of every node to Azeer: the credential, the account's pacer, 429 retries, JSON checks. */
import type {
	IDataObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IHookFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IWebhookFunctions,
} from 'n8n-workflow';
import type { JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { apiBaseUrl, apiKeyOf, CREDENTIAL_TYPE } from './credential';
import { endpointPath, ENDPOINTS } from './endpoints';
import type { EndpointName } from './endpoints';
import { apiErrorFromResponse } from './errors';
import { accountPacer, RateLimited, rateLimitedAnswer } from './pacer';
import type { Pacer } from './pacer';

export type AzeerContext =
	| IExecuteFunctions
	| IExecuteSingleFunctions
	| ILoadOptionsFunctions
	| IHookFunctions
	| IWebhookFunctions;

/** The pacer of the credential's account (see pacer.ts). */
async function pacerOf(context: AzeerContext): Promise<Pacer> {
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);
	return accountPacer(apiBaseUrl(credentials.baseUrl), apiKeyOf(credentials.apiKey));
}

/** One request to Azeer with the credential, the full response returned whatever its status. */
async function sendOnce(
	context: AzeerContext,
	options: IHttpRequestOptions,
): Promise<IN8nHttpFullResponse> {
	return (await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, {
		...options,
		headers: { ...(options.headers ?? {}) },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	})) as IN8nHttpFullResponse;
}

/** The credential as a run of many requests sends them: read (and decrypted) once. */
export interface Account {
	baseURL: string;
	apiKey: string;
}

export async function accountOf(context: AzeerContext): Promise<Account> {
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);
	return { baseURL: apiBaseUrl(credentials.baseUrl), apiKey: apiKeyOf(credentials.apiKey) };
}

/**
 * sendOnce with the credential already read: n8n's authenticated request reads the credential and
 * evaluates its Authorization expression on every call, which in a real n8n costs more than the
 * rest of a send. The header is the one the credential's `authenticate` sets (test/credentials).
 * A failure is reported as n8n reports it for an authenticated request, without the key.
 */
export async function sendOnceAs(
	context: IExecuteFunctions | IExecuteSingleFunctions,
	account: Account,
	options: IHttpRequestOptions,
): Promise<IN8nHttpFullResponse> {
	try {
		return (await context.helpers.httpRequest({
			...options,
			baseURL: account.baseURL,
			headers: { ...(options.headers ?? {}), Authorization: `Bearer ${account.apiKey}` },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			abortSignal: context.getExecutionCancelSignal?.(),
		})) as IN8nHttpFullResponse;
	} catch (error) {
		throw new NodeApiError(context.getNode(), error as JsonObject);
	}
}

/**
 * Sends a request through the account's pacer, which sends it again while Azeer answers 429 (a 429
 * means the request was not processed, so a retry cannot duplicate a message). Any other answer,
 * including a 5xx or a dropped connection, is returned or thrown as it is: a send that may have
 * been processed is never repeated. After the last retry the 429 answer itself is returned.
 * Reads, and `followUp` requests (sent while the item's own request holds a turn), are not spaced.
 */
export async function sendPaced(
	context: AzeerContext,
	options: IHttpRequestOptions,
	followUp = false,
): Promise<IN8nHttpFullResponse> {
	const pacer = await pacerOf(context);
	const send = async () => {
		const response = await sendOnce(context, options);
		if (response.statusCode === 429) throw rateLimitedAnswer(response);
		return response;
	};
	return await pacer
		.send(send, { unpaced: followUp || options.method === 'GET' })
		.catch(async (error: unknown) => {
			if (error instanceof RateLimited) return error.answer as IN8nHttpFullResponse;
			return await Promise.reject(error);
		});
}

/** Throws the API's error for a non-2xx answer and rejects an answer that is not JSON. */
export function assertJsonSuccess(
	context: AzeerContext,
	response: IN8nHttpFullResponse,
	itemIndex?: number,
): IDataObject {
	if (response.statusCode >= 400)
		throw apiErrorFromResponse(context.getNode(), response, itemIndex);
	const body = response.body;
	if (body === undefined || body === null || body === '') return {};
	if (typeof body !== 'object' || Buffer.isBuffer(body)) {
		throw new NodeApiError(
			context.getNode(),
			{ httpCode: String(response.statusCode) },
			{
				message: 'Azeer answered with something that is not JSON',
				description:
					'The response could not be read. Check that the Base URL in the credential points at the Azeer API (it ends in /v1).',
				httpCode: String(response.statusCode),
				itemIndex,
			},
		);
	}
	return body as IDataObject;
}

interface AzeerRequest {
	pathParams?: Record<string, string | number>;
	qs?: IDataObject;
	body?: IDataObject;
	itemIndex?: number;
	/** Sent while the item's own request holds a turn of the pacer (see sendPaced). */
	followUp?: boolean;
	/**
	 * Sent once, outside the pacer: a 429 comes back as it is instead of being retried. For the
	 * trigger's activation, where the user is waiting and decides when to try again.
	 */
	once?: boolean;
}

/** Calls one endpoint of ENDPOINTS (429s retried) and returns the response as it is, errors included. */
export async function azeerApiResponse(
	context: AzeerContext,
	endpoint: EndpointName,
	request: AzeerRequest = {},
): Promise<IN8nHttpFullResponse> {
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);
	const options: IHttpRequestOptions = {
		method: ENDPOINTS[endpoint].method,
		baseURL: apiBaseUrl(credentials.baseUrl),
		url: endpointPath(endpoint, request.pathParams),
		headers: { Accept: 'application/json' },
		json: true,
	};
	if (request.qs) options.qs = request.qs;
	if (request.body) options.body = request.body;
	return request.once
		? await sendOnce(context, options)
		: await sendPaced(context, options, request.followUp);
}

/** Calls one endpoint of ENDPOINTS and returns the JSON body (the `{ success, data }` envelope). */
export async function azeerApiRequest(
	context: AzeerContext,
	endpoint: EndpointName,
	request: AzeerRequest = {},
): Promise<IDataObject> {
	return assertJsonSuccess(
		context,
		await azeerApiResponse(context, endpoint, request),
		request.itemIndex,
	);
}

/** The `data` array of a list endpoint. */
export async function azeerList<T>(context: AzeerContext, endpoint: EndpointName): Promise<T[]> {
	const body = await azeerApiRequest(context, endpoint);
	return Array.isArray(body.data) ? (body.data as T[]) : [];
}
