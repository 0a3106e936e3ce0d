/** The Azeer Trigger's webhook registrations on Azeer: check, create and delete them for n8n's webhook lifecycle. */
import { randomBytes } from 'crypto';
import type { IDataObject, IHookFunctions, IWebhookFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { credentialApiKey } from '../shared/credential';
import type { EndpointName } from '../shared/endpoints';
import { apiErrorFromResponse } from '../shared/errors';
import { assertJsonSuccess, azeerApiResponse } from '../shared/transport';
import { describeEvent, EVENT_NAMES } from '../shared/events';
import { safeEqual } from '../shared/signing';
import { pathOf, webhookSecret } from './verification';

/**
 * One Azeer webhook this node registered. Static data keeps these as a cache only: the secrets
 * are derived again from the API key, and cleanup asks Azeer which webhooks point at this node.
 */
interface TrackedWebhook {
	id: string | number;
	event: string;
	/** The URL registered on Azeer: this node's webhook URL plus `?nonce=…&token=…`. */
	url: string;
}

/** The webhooks registered for one n8n webhook URL (the test URL and the production URL each get their own). */
interface Registration {
	events: string[];
	webhooks: TrackedWebhook[];
}

interface RemoteWebhook {
	id?: string | number;
	url?: string;
	event?: string;
	enabled?: boolean;
}

type ApiError = Error & {
	httpCode?: string | null;
	description?: string | null;
	context?: { data?: IDataObject };
	/** The Retry-After header of a 429 answered to an activation request. */
	retryAfter?: unknown;
};

/** Node static data → cached registrations, keyed by the n8n webhook URL they point at. */
function registrationsOf(staticData: IDataObject): Record<string, Registration> {
	if (typeof staticData.registrations !== 'object' || staticData.registrations === null) {
		staticData.registrations = {};
	}
	return staticData.registrations as Record<string, Registration>;
}

function urlWithoutQuery(url: string): string {
	return url.split('?')[0];
}

function nodeWebhookUrl(context: IHookFunctions): string {
	const url = context.getNodeWebhookUrl('default');
	if (!url)
		throw new NodeOperationError(
			context.getNode(),
			'n8n did not provide a webhook URL for this node',
		);
	return url;
}

export function selectedEvents(context: IHookFunctions | IWebhookFunctions): string[] {
	const events = context.getNodeParameter('events', []) as string[];
	const unknown = events.filter((event) => !EVENT_NAMES.includes(event));
	if (unknown.length > 0) {
		throw new NodeOperationError(context.getNode(), `Unknown Azeer event: ${unknown.join(', ')}`);
	}
	if (events.length === 0) {
		throw new NodeOperationError(context.getNode(), 'Select at least one event to listen for');
	}
	return [...new Set(events)].sort();
}

function httpStatusOf(error: unknown): string {
	return String((error as ApiError)?.httpCode ?? '');
}

/** The API's own explanation of a failed request (errors.ts puts it in the message), else the error's. */
export function apiMessageOf(error: unknown): string {
	const message = (error as ApiError)?.message;
	return typeof message === 'string' && message !== '' ? message : 'unknown error';
}

/**
 * One request through the shared transport, sent once: activation does not retry a 429 but fails
 * with Azeer's wait time, because a user is waiting on it and n8n retries activation itself.
 * A failed answer throws the API's error (errors.ts) with its advice.
 */
async function azeerRequest(
	context: IHookFunctions,
	endpoint: EndpointName,
	pathParams: Record<string, string | number> = {},
	body?: IDataObject,
): Promise<unknown> {
	const response = await azeerApiResponse(context, endpoint, { pathParams, body, once: true });
	if (response.statusCode >= 400) {
		throw Object.assign(apiErrorFromResponse(context.getNode(), response), {
			retryAfter: response.headers?.['retry-after'],
		});
	}
	const json = assertJsonSuccess(context, response);
	return 'data' in json ? json.data : json;
}

async function listWebhooks(context: IHookFunctions): Promise<RemoteWebhook[]> {
	const data = await azeerRequest(context, 'listWebhooks');
	return Array.isArray(data) ? (data as RemoteWebhook[]) : [];
}

/** The webhooks on Azeer that point at `url`, whoever registered them and whatever static data says. */
function pointingAt(remote: RemoteWebhook[], url: string): TrackedWebhook[] {
	return remote
		.filter(
			(webhook) =>
				typeof webhook.url === 'string' &&
				urlWithoutQuery(webhook.url) === url &&
				webhook.id !== undefined,
		)
		.map((webhook) => ({
			id: webhook.id as string | number,
			event: String(webhook.event),
			url: String(webhook.url),
		}));
}

/** Whether a listed webhook carries the token this node derives now, i.e. still verifies its deliveries. */
function carriesCurrentToken(webhook: RemoteWebhook, apiKey: string): boolean {
	if (typeof webhook.url !== 'string' || typeof webhook.event !== 'string') return false;
	const query = new URLSearchParams(webhook.url.split('?')[1] ?? '');
	const nonce = query.get('nonce');
	const token = query.get('token');
	if (!nonce || !token) return false;
	return safeEqual(token, webhookSecret(apiKey, nonce, webhook.event, pathOf(webhook.url)));
}

/** Deletes one webhook; false when Azeer says it is already gone (404). */
async function deleteWebhook(context: IHookFunctions, id: string | number): Promise<boolean> {
	try {
		await azeerRequest(context, 'deleteWebhook', { id });
		return true;
	} catch (error) {
		if (httpStatusOf(error) === '404') return false;
		throw new NodeApiError(context.getNode(), error as JsonObject);
	}
}

/**
 * Deletes the given webhooks, continuing past failures; returns the ones that could not be
 * deleted (each failure is logged), so callers can keep tracking them.
 */
async function deleteAll(
	context: IHookFunctions,
	webhooks: TrackedWebhook[],
): Promise<TrackedWebhook[]> {
	const failed: TrackedWebhook[] = [];
	for (const webhook of webhooks) {
		try {
			await deleteWebhook(context, webhook.id);
		} catch (error) {
			context.logger.error(
				`Azeer Trigger: could not delete webhook ${webhook.id} (${webhook.event}): ${apiMessageOf(error)}`,
			);
			failed.push(webhook);
		}
	}
	return failed;
}

/**
 * Webhooks the cache remembers for this node's path at another origin: registered before n8n's
 * public URL changed. Azeer delivers them to an address that no longer reaches this n8n.
 */
function cachedElsewhere(context: IHookFunctions, url: string): TrackedWebhook[] {
	const path = pathOf(url);
	return Object.entries(registrationsOf(context.getWorkflowStaticData('node')))
		.filter(
			([cachedUrl]) => cachedUrl !== url && URL.canParse(cachedUrl) && pathOf(cachedUrl) === path,
		)
		.flatMap(([, registration]) => registration.webhooks);
}

/**
 * Deletes every webhook of this node for `url`: those Azeer lists at `url` (tracked or not), those
 * the cache remembers for it, and those the cache remembers at an earlier origin of the same path.
 * `listed` is Azeer's list when the caller already has it. The cache then holds only the webhooks
 * that could not be deleted; returns how many those are.
 */
async function removeAll(
	context: IHookFunctions,
	url: string,
	listed?: RemoteWebhook[],
): Promise<number> {
	const registrations = registrationsOf(context.getWorkflowStaticData('node'));
	const candidates = [
		...pointingAt(listed ?? (await listWebhooks(context)), url),
		...(registrations[url]?.webhooks ?? []),
		...cachedElsewhere(context, url),
	];
	const unique = [...new Map(candidates.map((webhook) => [String(webhook.id), webhook])).values()];
	for (const webhook of unique) {
		if (urlWithoutQuery(webhook.url) !== url) {
			context.logger.info(
				`Azeer Trigger: deleting webhook ${webhook.id} (${webhook.event}) registered for ${urlWithoutQuery(webhook.url)}, an earlier public URL of this node`,
			);
		}
	}
	const failed = await deleteAll(context, unique);
	const path = pathOf(url);
	for (const cachedUrl of Object.keys(registrations)) {
		if (cachedUrl === url || (URL.canParse(cachedUrl) && pathOf(cachedUrl) === path))
			delete registrations[cachedUrl];
	}
	for (const webhook of failed) {
		const key = urlWithoutQuery(webhook.url);
		registrations[key] ??= { events: [], webhooks: [] };
		registrations[key].webhooks.push(webhook);
	}
	return failed.length;
}

/** Why the webhooks Azeer lists for this URL do not serve the selected events, or undefined when they do. */
function registrationProblem(
	listed: RemoteWebhook[],
	url: string,
	events: string[],
	apiKey: string,
): string | undefined {
	const mine = listed.filter(
		(webhook) => typeof webhook.url === 'string' && urlWithoutQuery(webhook.url) === url,
	);
	if (mine.length === 0) return 'no webhook points at this node';
	const stale = mine.find(
		(webhook) => webhook.enabled === false || !carriesCurrentToken(webhook, apiKey),
	);
	if (stale)
		return `webhook ${stale.id} (${stale.event}) is disabled or was not registered with the current API key`;
	const registered = mine.map((webhook) => String(webhook.event)).sort();
	if (registered.join(',') !== events.join(',')) return 'the selected events changed';
	return undefined;
}

function cleanupError(context: IHookFunctions, what: string): NodeOperationError {
	return new NodeOperationError(
		context.getNode(),
		`Could not remove the ${what} Azeer webhooks of this trigger`,
		{
			description: 'See the n8n log for the API errors, then try activating again.',
		},
	);
}

/**
 * checkExists: decided from what Azeer lists, not from static data. True only when exactly one
 * enabled webhook per selected event points at this URL with a token derived from the current
 * API key. Otherwise everything of this node is removed (also at an earlier public URL) and n8n
 * goes on to create.
 */
export async function checkRegistrations(context: IHookFunctions): Promise<boolean> {
	const url = nodeWebhookUrl(context);
	const events = selectedEvents(context);
	const listed = await listWebhooks(context);
	const problem = registrationProblem(listed, url, events, await credentialApiKey(context));
	const elsewhere = cachedElsewhere(context, url);
	if (!problem && elsewhere.length === 0) {
		registrationsOf(context.getWorkflowStaticData('node'))[url] = {
			events,
			webhooks: pointingAt(listed, url),
		};
		return true;
	}
	if (pointingAt(listed, url).length === 0 && elsewhere.length === 0) return false;
	context.logger.info(
		`Azeer Trigger: re-creating webhooks because ${problem ?? 'this node was registered under an earlier public URL'}`,
	);
	if ((await removeAll(context, url, listed)) > 0) throw cleanupError(context, 'outdated');
	return false;
}

function activationError(
	context: IHookFunctions,
	what: string,
	error: unknown,
	notRemoved: number,
): NodeApiError {
	const status = httpStatusOf(error);
	const apiMessage = apiMessageOf(error);
	const { retryAfter, description } = error as ApiError;
	const hints: string[] = [];
	if (status === '429') {
		// errors.ts's advice for 429 describes the paced sends' retries; activation sends once.
		hints.push(
			`Azeer is rate limiting requests${retryAfter ? `; wait ${String(retryAfter)} s` : ''} and activate again.`,
		);
	} else if (status.startsWith('5')) {
		hints.push('Azeer had a server error; activate again in a moment.');
	} else if (description) {
		hints.push(description);
	}
	hints.push(
		notRemoved === 0
			? 'No webhook of this trigger was left registered.'
			: `${notRemoved} webhook(s) of this trigger could not be removed; they will be removed on the next activation.`,
	);
	return new NodeApiError(
		context.getNode(),
		{ message: apiMessage, httpCode: status } as JsonObject,
		{
			message: `Could not ${what}: ${apiMessage}${status ? ` (HTTP ${status})` : ''}`,
			description: hints.join(' '),
			httpCode: status || undefined,
		},
	);
}

async function createOne(
	context: IHookFunctions,
	url: string,
	event: string,
	nonce: string,
	apiKey: string,
): Promise<TrackedWebhook> {
	// Per webhook a different secret (the event is part of it): a token leaked from one event's
	// URL does not open the others, nor the webhooks of another activation (another nonce).
	const secret = webhookSecret(apiKey, nonce, event, pathOf(url));
	const registeredUrl = `${url}${url.includes('?') ? '&' : '?'}nonce=${nonce}&token=${secret}`;
	const created = (await azeerRequest(
		context,
		'createWebhook',
		{},
		{
			name: `n8n ${context.getWorkflow().name ?? context.getWorkflow().id} – ${event}`.slice(
				0,
				100,
			),
			description: `Created by the n8n Azeer Trigger node "${context.getNode().name}"; deleted when the workflow is deactivated.`,
			url: registeredUrl,
			event,
			securetoken: secret,
			policy: 'retry',
			enabled: true,
		},
	)) as RemoteWebhook | undefined;
	let id = created?.id;
	if (id === undefined) {
		// The create response of the real API is undocumented; find the webhook by its unique URL.
		id = (await listWebhooks(context)).find(
			(remote) => remote.url === registeredUrl && remote.event === event,
		)?.id;
	}
	if (id === undefined) {
		throw new NodeApiError(context.getNode(), { message: 'no webhook id' } as JsonObject, {
			message: `Azeer accepted the webhook for ${describeEvent(event)} but returned no id, and it is not in the webhook list`,
		});
	}
	return { id, event, url: registeredUrl };
}

/**
 * create: one webhook per selected event under a fresh nonce. Everything of this node that Azeer
 * lists at this URL is removed first; if any create fails, the ones made so far are removed again
 * and the activation fails with the event and the API's message.
 */
export async function createRegistrations(context: IHookFunctions): Promise<boolean> {
	const url = nodeWebhookUrl(context);
	const events = selectedEvents(context);
	let notRemoved: number;
	try {
		notRemoved = await removeAll(context, url);
	} catch (error) {
		throw activationError(
			context,
			'list the Azeer webhooks to remove leftovers of this trigger',
			error,
			0,
		);
	}
	if (notRemoved > 0) throw cleanupError(context, 'previous');
	const apiKey = await credentialApiKey(context);
	const nonce = randomBytes(16).toString('hex');
	const made: TrackedWebhook[] = [];
	for (const event of events) {
		try {
			made.push(await createOne(context, url, event, nonce, apiKey));
		} catch (error) {
			registrationsOf(context.getWorkflowStaticData('node'))[url] = { events, webhooks: made };
			let left: number;
			try {
				// A create that failed on the way back may still have registered its webhook.
				left = await removeAll(context, url);
			} catch (listError) {
				context.logger.error(
					`Azeer Trigger: could not list webhooks to roll back: ${apiMessageOf(listError)}`,
				);
				left = (await removeAll(context, url, [])) + 1;
			}
			throw activationError(
				context,
				`register the Azeer webhook for ${describeEvent(event)}`,
				error,
				left,
			);
		}
	}
	registrationsOf(context.getWorkflowStaticData('node'))[url] = { events, webhooks: made };
	return true;
}

/**
 * delete: removes every webhook Azeer lists at this URL, tracked or not, plus what the cache
 * remembers (404 counts as already gone). When Azeer cannot be listed, the cached ones still go.
 */
export async function deleteRegistrations(context: IHookFunctions): Promise<boolean> {
	const url = nodeWebhookUrl(context);
	let notRemoved: number;
	try {
		notRemoved = await removeAll(context, url);
	} catch (error) {
		context.logger.error(
			`Azeer Trigger: could not list webhooks to remove them: ${apiMessageOf(error)}`,
		);
		notRemoved = await removeAll(context, url, []);
		notRemoved += 1;
	}
	if (notRemoved > 0) {
		context.logger.warn(
			'Azeer Trigger: some webhooks could not be deleted; they are removed on the next activation',
		);
	}
	return notRemoved === 0;
}
