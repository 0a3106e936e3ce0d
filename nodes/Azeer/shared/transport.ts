import type {
	IDataObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { apiBaseUrl } from './baseUrl';
import { endpointPath, ENDPOINTS } from './endpoints';
import type { EndpointName } from './endpoints';
import { apiErrorFromResponse } from './errors';

export const CREDENTIAL_TYPE = 'azeerApi';

export type AzeerContext = IExecuteFunctions | IExecuteSingleFunctions | ILoadOptionsFunctions;

/** How the node handles HTTP 429: wait as told (capped), retry a bounded number of times. */
export const RATE_LIMIT_RETRY = { maxRetries: 3, maxWaitMs: 30_000, firstWaitMs: 1_000 };

/** Milliseconds to wait before retry number `retry` (1-based), honouring `Retry-After`. */
export function retryDelayMs(retryAfter: unknown, retry: number): number {
	const { maxWaitMs, firstWaitMs } = RATE_LIMIT_RETRY;
	const header = Array.isArray(retryAfter) ? retryAfter[0] : retryAfter;
	const seconds = Number(header);
	let wait = firstWaitMs * 2 ** (retry - 1);
	if (header !== undefined && header !== '' && Number.isFinite(seconds)) wait = seconds * 1000;
	else if (typeof header === 'string' && !Number.isNaN(Date.parse(header))) wait = Date.parse(header) - Date.now();
	return Math.min(Math.max(wait, 0), maxWaitMs);
}

async function sendOnce(context: AzeerContext, options: IHttpRequestOptions): Promise<IN8nHttpFullResponse> {
	return (await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, {
		...options,
		headers: { ...(options.headers ?? {}) },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	})) as IN8nHttpFullResponse;
}

/**
 * Sends a request and, while Azeer answers 429, waits and sends it again (a 429 means the request
 * was not processed, so a retry cannot duplicate a message). Any other answer, including a 5xx or a
 * dropped connection, is returned or thrown as it is: a send that may have been processed is never
 * repeated. Pass `firstResponse` when the first attempt was already made (declarative routing).
 */
export async function sendWithRateLimitRetry(
	context: AzeerContext,
	options: IHttpRequestOptions,
	firstResponse?: IN8nHttpFullResponse,
): Promise<IN8nHttpFullResponse> {
	let response = firstResponse ?? (await sendOnce(context, options));
	for (let retry = 1; response.statusCode === 429 && retry <= RATE_LIMIT_RETRY.maxRetries; retry++) {
		await sleep(retryDelayMs(response.headers?.['retry-after'], retry));
		response = await sendOnce(context, options);
	}
	return response;
}

/** Throws the API's error for a non-2xx answer and rejects an answer that is not JSON. */
export function assertJsonSuccess(
	context: AzeerContext,
	response: IN8nHttpFullResponse,
	itemIndex?: number,
): IDataObject {
	if (response.statusCode >= 400) throw apiErrorFromResponse(context.getNode(), response, itemIndex);
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

export interface AzeerRequest {
	pathParams?: Record<string, string | number>;
	qs?: IDataObject;
	body?: IDataObject;
	itemIndex?: number;
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
	return await sendWithRateLimitRetry(context, options);
}

/** Calls one endpoint of ENDPOINTS and returns the JSON body (the `{ success, data }` envelope). */
export async function azeerApiRequest(
	context: AzeerContext,
	endpoint: EndpointName,
	request: AzeerRequest = {},
): Promise<IDataObject> {
	return assertJsonSuccess(context, await azeerApiResponse(context, endpoint, request), request.itemIndex);
}

/** The `data` array of a list endpoint. */
export async function azeerList<T>(context: AzeerContext, endpoint: EndpointName): Promise<T[]> {
	const body = await azeerApiRequest(context, endpoint);
	return Array.isArray(body.data) ? (body.data as T[]) : [];
}
