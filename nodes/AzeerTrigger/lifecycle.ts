import { randomBytes } from 'crypto';
import type { IDataObject, IHookFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { apiBaseUrl } from '../Azeer/shared/baseUrl';
import { endpointPath, ENDPOINTS } from '../Azeer/shared/endpoints';
import type { EndpointName } from '../Azeer/shared/endpoints';
import { describeEvent, EVENT_NAMES } from './events';
import type { TrackedWebhook } from './verification';

/** The webhooks registered for one n8n webhook URL (the test URL and the production URL each get their own). */
export interface Registration {
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
	cause?: { response?: { headers?: IDataObject } };
};

/** Node static data → registrations, keyed by the n8n webhook URL they point at. */
export function registrationsOf(staticData: IDataObject): Record<string, Registration> {
	if (typeof staticData.registrations !== 'object' || staticData.registrations === null) {
		staticData.registrations = {};
	}
	return staticData.registrations as Record<string, Registration>;
}

/** Every webhook this node tracks, whichever URL it points at. */
export function trackedWebhooks(staticData: IDataObject): TrackedWebhook[] {
	return Object.values(registrationsOf(staticData)).flatMap((registration) => registration.webhooks);
}

export function urlWithoutQuery(url: string): string {
	return url.split('?')[0];
}

function nodeWebhookUrl(context: IHookFunctions): string {
	const url = context.getNodeWebhookUrl('default');
	if (!url) throw new NodeOperationError(context.getNode(), 'n8n did not provide a webhook URL for this node');
	return url;
}

function selectedEvents(context: IHookFunctions): string[] {
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

export function httpStatusOf(error: unknown): string {
	return String((error as ApiError)?.httpCode ?? '');
}

/** The API's own explanation of a failed request, falling back to n8n's summary. */
export function apiMessageOf(error: unknown): string {
	const apiError = error as ApiError;
	const message = apiError?.context?.data?.message ?? apiError?.description ?? apiError?.message;
	return typeof message === 'string' && message !== '' ? message : 'unknown error';
}

async function azeerRequest(
	context: IHookFunctions,
	endpoint: EndpointName,
	params: Record<string, string | number> = {},
	body?: IDataObject,
): Promise<unknown> {
	const credentials = await context.getCredentials('azeerApi');
	const baseUrl = apiBaseUrl(credentials.baseUrl);
	const response = (await context.helpers.httpRequestWithAuthentication.call(context, 'azeerApi', {
		method: ENDPOINTS[endpoint].method,
		url: `${baseUrl}${endpointPath(endpoint, params)}`,
		headers: { Accept: 'application/json' },
		json: true,
		...(body ? { body } : {}),
	})) as IDataObject | undefined;
	return response && 'data' in response ? response.data : response;
}

async function listWebhooks(context: IHookFunctions): Promise<RemoteWebhook[]> {
	const data = await azeerRequest(context, 'listWebhooks');
	return Array.isArray(data) ? (data as RemoteWebhook[]) : [];
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
async function deleteAll(context: IHookFunctions, webhooks: TrackedWebhook[]): Promise<TrackedWebhook[]> {
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
 * Deletes the webhooks tracked for `url`. Those that cannot be deleted stay tracked; returns
 * whether everything is gone.
 */
export async function deleteTracked(context: IHookFunctions, url: string): Promise<boolean> {
	const registrations = registrationsOf(context.getWorkflowStaticData('node'));
	const registration = registrations[url];
	if (!registration) return true;
	const failed = await deleteAll(context, registration.webhooks);
	if (failed.length === 0) {
		delete registrations[url];
		return true;
	}
	registrations[url] = { events: registration.events, webhooks: failed };
	return false;
}

/**
 * Deletes webhooks on Azeer that point at this node's URL but are not in `keep`: leftovers of a
 * crash between creating webhooks and n8n saving the node's static data, or of a create that
 * failed half-way. Nothing else on the account is touched. Returns how many could not be deleted.
 */
async function deleteUntracked(context: IHookFunctions, url: string, keep: TrackedWebhook[] = []): Promise<number> {
	const keptIds = new Set(keep.map((webhook) => String(webhook.id)));
	const leftovers = (await listWebhooks(context)).filter(
		(remote) =>
			typeof remote.url === 'string' &&
			urlWithoutQuery(remote.url) === url &&
			remote.id !== undefined &&
			!keptIds.has(String(remote.id)),
	);
	for (const leftover of leftovers) {
		context.logger.info(`Azeer Trigger: deleting untracked webhook ${leftover.id} (${leftover.event}) that points at this node`);
	}
	const failed = await deleteAll(
		context,
		leftovers.map((remote) => ({ id: remote.id as string | number, event: String(remote.event), secret: '', url })),
	);
	return failed.length;
}

/** Why the tracked webhooks no longer serve this node, or undefined when they all do. */
async function registrationProblem(context: IHookFunctions, registration: Registration): Promise<string | undefined> {
	for (const webhook of registration.webhooks) {
		let remote: RemoteWebhook;
		try {
			remote = (await azeerRequest(context, 'getWebhook', { id: webhook.id })) as RemoteWebhook;
		} catch (error) {
			if (httpStatusOf(error) === '404') return `webhook ${webhook.id} (${webhook.event}) no longer exists`;
			throw new NodeApiError(context.getNode(), error as JsonObject);
		}
		if (remote?.url !== webhook.url || remote?.event !== webhook.event || remote?.enabled === false) {
			return `webhook ${webhook.id} (${webhook.event}) was changed on Azeer`;
		}
	}
	return undefined;
}

/** checkExists: true only when every selected event has its tracked, unchanged webhook on Azeer. */
export async function checkRegistrations(context: IHookFunctions): Promise<boolean> {
	const url = nodeWebhookUrl(context);
	const events = selectedEvents(context);
	const registration = registrationsOf(context.getWorkflowStaticData('node'))[url];
	if (!registration) return false;
	const sameEvents =
		registration.webhooks.length === events.length &&
		events.every((event) => registration.webhooks.some((webhook) => webhook.event === event));
	const problem = sameEvents ? await registrationProblem(context, registration) : 'the selected events changed';
	if (!problem) return true;
	context.logger.info(`Azeer Trigger: re-creating webhooks because ${problem}`);
	if (!(await deleteTracked(context, url))) {
		throw new NodeOperationError(context.getNode(), 'Could not remove the outdated Azeer webhooks of this trigger', {
			description: 'See the n8n log for the API errors, then try activating again.',
		});
	}
	return false;
}

function activationError(context: IHookFunctions, what: string, error: unknown, notRemoved: number): NodeApiError {
	const status = httpStatusOf(error);
	const apiMessage = apiMessageOf(error);
	const retryAfter = (error as ApiError)?.cause?.response?.headers?.['retry-after'];
	const hints: string[] = [];
	if (status === '429') {
		hints.push(`Azeer is rate limiting requests${retryAfter ? `; wait ${String(retryAfter)} s` : ''} and activate again.`);
	} else if (status.startsWith('5')) {
		hints.push('Azeer had a server error; activate again in a moment.');
	} else if (status === '401' || status === '403') {
		hints.push('Check the API key of the Azeer credential: creating webhooks needs a "Read and write" key.');
	}
	hints.push(
		notRemoved === 0
			? 'No webhook of this trigger was left registered.'
			: `${notRemoved} webhook(s) of this trigger could not be removed; they will be removed on the next activation.`,
	);
	return new NodeApiError(context.getNode(), { message: apiMessage, httpCode: status } as JsonObject, {
		message: `Could not ${what}: ${apiMessage}${status ? ` (HTTP ${status})` : ''}`,
		description: hints.join(' '),
		httpCode: status || undefined,
	});
}

async function createOne(context: IHookFunctions, url: string, event: string): Promise<TrackedWebhook> {
	// A fresh secret per webhook: a token leaked from one event's URL does not open the others.
	const secret = randomBytes(32).toString('hex');
	const registeredUrl = `${url}${url.includes('?') ? '&' : '?'}token=${secret}`;
	const created = (await azeerRequest(context, 'createWebhook', {}, {
		name: `n8n ${context.getWorkflow().name ?? context.getWorkflow().id} – ${event}`.slice(0, 100),
		description: `Created by the n8n Azeer Trigger node "${context.getNode().name}"; deleted when the workflow is deactivated.`,
		url: registeredUrl,
		event,
		securetoken: secret,
		policy: 'retry',
		enabled: true,
	})) as RemoteWebhook | undefined;
	let id = created?.id;
	if (id === undefined) {
		// The create response of the real API is undocumented; find the webhook by its unique URL.
		id = (await listWebhooks(context)).find((remote) => remote.url === registeredUrl && remote.event === event)?.id;
	}
	if (id === undefined) {
		throw new NodeApiError(context.getNode(), { message: 'no webhook id' } as JsonObject, {
			message: `Azeer accepted the webhook for ${describeEvent(event)} but returned no id, and it is not in the webhook list`,
		});
	}
	return { id, event, secret, url: registeredUrl };
}

/**
 * create: one webhook per selected event, each with its own secret. Leftovers pointing at this
 * URL are removed first; if any create fails, the ones made so far are removed again and the
 * activation fails with the event and the API's message.
 */
export async function createRegistrations(context: IHookFunctions): Promise<boolean> {
	const url = nodeWebhookUrl(context);
	const events = selectedEvents(context);
	if (!(await deleteTracked(context, url))) {
		throw new NodeOperationError(context.getNode(), 'Could not remove the previous Azeer webhooks of this trigger', {
			description: 'See the n8n log for the API errors, then try activating again.',
		});
	}
	try {
		await deleteUntracked(context, url);
	} catch (error) {
		throw activationError(context, 'list the Azeer webhooks to remove leftovers of this trigger', error, 0);
	}
	const made: TrackedWebhook[] = [];
	for (const event of events) {
		try {
			made.push(await createOne(context, url, event));
		} catch (error) {
			const failed = await deleteAll(context, made);
			let notRemoved = failed.length;
			try {
				// A create that failed on the way back may still have registered its webhook.
				notRemoved += await deleteUntracked(context, url, failed);
			} catch (listError) {
				context.logger.error(`Azeer Trigger: could not list webhooks to roll back: ${apiMessageOf(listError)}`);
				notRemoved += 1;
			}
			throw activationError(context, `register the Azeer webhook for ${describeEvent(event)}`, error, notRemoved);
		}
	}
	registrationsOf(context.getWorkflowStaticData('node'))[url] = { events, webhooks: made };
	return true;
}

/** delete: removes exactly the webhooks tracked for this URL (404 counts as already gone). */
export async function deleteRegistrations(context: IHookFunctions): Promise<boolean> {
	const url = nodeWebhookUrl(context);
	const removed = await deleteTracked(context, url);
	if (!removed) {
		context.logger.warn('Azeer Trigger: some webhooks could not be deleted; they stay tracked and are retried on the next activation');
	}
	return removed;
}
