/** The Azeer Trigger node: its description, n8n's webhook lifecycle methods and the delivery handler. */
import type {
	IDataObject,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { routeAnswer } from '../shared/sendAndWait/answerRouting';
import { apiBaseUrl, credentialApiKey, CREDENTIAL_TYPE } from '../shared/credential';
import { claimDelivery, deliveryKeys, releaseDelivery } from './dedup';
import {
	EVENT_OPTIONS,
	isOwnMessage,
	MESSAGE_EVENTS,
	MESSAGE_STATUSES,
	STATUS_EVENT,
} from '../shared/events';
import {
	apiMessageOf,
	checkRegistrations,
	createRegistrations,
	deleteRegistrations,
	selectedEvents,
} from './webhookRegistrations';
import { downloadMedia } from './media';
import { simplifyPayload } from './simplify';
import { pathOf, verifyDelivery, webhookSecret } from './verification';

/**
 * Webhooks (`scope|nonce:event`) that have sent a signed delivery: from then on their unsigned
 * deliveries are refused. Kept in this process and in static data; losing both only returns a
 * webhook to token-only checks, which still need its secret.
 */
const signedInMemory = new Set<string>();

/**
 * Secrets this process derived for a delivery's `scope|path|nonce:event`, so that the next
 * deliveries of that webhook are verified without reading the credential. In n8n 2.x that read
 * is a database query plus decryption; on every delivery it made a burst of 200 take about twice
 * as long as n8n's Webhook node (BENCHMARKS.md).
 * An entry lives 5 minutes from its derivation, so a changed API key takes effect within that.
 */
const SECRET_CACHE_MS = 5 * 60 * 1000;
const derivedSecrets = new Map<string, { secret: Promise<string>; until: number }>();

/**
 * The secret for `cacheKey`, derived once per 5 minutes; concurrent deliveries of a burst share
 * one credential read. A failed read is not kept.
 */
async function secretFor(
	cacheKey: string,
	nowMs: number,
	derive: () => Promise<string>,
): Promise<string> {
	const known = derivedSecrets.get(cacheKey);
	if (known && known.until > nowMs) return await known.secret;
	if (derivedSecrets.size >= 1000) {
		for (const [key, entry] of derivedSecrets) if (entry.until <= nowMs) derivedSecrets.delete(key);
		if (derivedSecrets.size >= 1000) derivedSecrets.clear();
	}
	const secret = derive().catch((error: unknown) => {
		derivedSecrets.delete(cacheKey);
		throw error;
	});
	derivedSecrets.set(cacheKey, { secret, until: nowMs + SECRET_CACHE_MS });
	return await secret;
}

/** Read-only: a refused delivery must not change static data, or n8n saves it over newer data. */
function signedRecordOf(staticData: IDataObject): Record<string, true> {
	return typeof staticData.signed === 'object' && staticData.signed !== null
		? (staticData.signed as Record<string, true>)
		: {};
}

/** Answer for deliveries that are authentic but start nothing, so Azeer does not retry them. */
function skipped(reason: string): IWebhookResponseData {
	return { webhookResponse: { received: true, skipped: reason } };
}

export class AzeerTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Azeer Trigger',
		name: 'azeerTrigger',
		icon: { light: 'file:../../icons/azeer.svg', dark: 'file:../../icons/azeer.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{($parameter["events"] || []).join(", ")}}',
		description: 'Starts the workflow on Azeer (Mottasl WhatsApp) events such as incoming messages',
		defaults: { name: 'Azeer Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
		properties: [
			{
				displayName:
					'Activating the workflow registers one webhook per selected event in your Mottasl account (with its own secret), and deactivating removes them. "Listen for test event" does the same for the test URL.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: EVENT_OPTIONS,
				default: ['incoming_msg'],
				description: 'The Azeer events that start the workflow',
			},
			{
				displayName: 'Ignore Messages Sent by This Account',
				name: 'ignoreOwnMessages',
				type: 'boolean',
				default: true,
				displayOptions: { show: { events: MESSAGE_EVENTS } },
				description:
					'Whether to skip messages your own business number sent (by agents, bots or this workflow), so a bot does not answer itself. Turn off to receive "Message Sent" events.',
			},
			{
				displayName: 'Simplify',
				name: 'simplify',
				type: 'boolean',
				default: true,
				description:
					'Whether to return a simplified version of the response instead of the raw data',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Download Media',
						name: 'downloadMedia',
						type: 'boolean',
						default: false,
						description:
							'Whether to download the image, audio, video or document of a media message into the binary data of the item',
					},
					{
						displayName: 'Put Media in Field',
						name: 'binaryPropertyName',
						type: 'string',
						default: 'data',
						description: 'The name of the binary field to put the downloaded media in',
					},
					{
						displayName: 'Require Signature',
						name: 'requireSignature',
						type: 'boolean',
						default: false,
						description:
							'Whether to refuse deliveries without a valid x-azeer-signature header. Off: deliveries are checked by their secret token, and the signature is checked whenever present.',
					},
					{
						displayName: 'Statuses',
						name: 'statuses',
						type: 'multiOptions',
						options: MESSAGE_STATUSES.map((status) => ({
							name: status.charAt(0).toUpperCase() + status.slice(1),
							value: status,
						})),
						default: ['sent', 'delivered', 'read', 'failed'],
						description:
							'Which statuses of "Message Status Changed" start the workflow; select none to ignore status updates',
					},
				],
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await checkRegistrations(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await createRegistrations(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await deleteRegistrations(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const staticData = this.getWorkflowStaticData('node');
		const body = this.getBodyData();
		const headers = this.getHeaderData();
		const query = this.getQueryData() as IDataObject;
		const request = this.getRequestObject() as { rawBody?: Buffer };
		const options = this.getNodeParameter('options', {}) as IDataObject;

		const scope = `${this.getWorkflow().id}|${this.getNode().id}|${this.getMode()}`;
		const ownUrl = this.getWebhookResourceUrl?.('default') ?? this.getNodeWebhookUrl('default');
		const path = ownUrl ? pathOf(ownUrl) : '';
		const nowMs = Date.now();
		// verifyDelivery refuses a nonce or event that is not one string before asking for the secret.
		const [claimedNonce, claimedEvent] = [String(query.nonce), String(body.webhook_event_type)];
		const secret = await secretFor(
			`${scope}|${path}|${claimedNonce}:${claimedEvent}`,
			nowMs,
			async () => {
				return webhookSecret(await credentialApiKey(this), claimedNonce, claimedEvent, path);
			},
		);
		const signed = signedRecordOf(staticData);
		const verdict = verifyDelivery(
			{ events: selectedEvents(this), secretFor: () => secret },
			{
				event: body.webhook_event_type,
				headerEvent: headers['x-azeer-event'],
				nonce: query.nonce,
				token: query.token,
				headerToken: headers['x-azeer-securetoken'],
				signature: headers['x-azeer-signature'],
				timestamp: headers['x-azeer-timestamp'],
				rawBody: request.rawBody ?? JSON.stringify(body),
			},
			{
				requireSignature: options.requireSignature === true,
				nowSeconds: Math.floor(Date.now() / 1000),
				signedBefore: (nonce, event) =>
					signed[`${nonce}:${event}`] === true || signedInMemory.has(`${scope}|${nonce}:${event}`),
			},
		);
		if (!verdict.ok) {
			this.logger.warn(`Azeer Trigger: refused a delivery (401): ${verdict.reason}`);
			this.getResponseObject().status(401).json({ message: 'Unauthorized' });
			return { noWebhookResponse: true };
		}
		const webhookKey = `${verdict.nonce}:${verdict.event}`;
		if (verdict.signed && signed[webhookKey] !== true) {
			// Once a webhook has proven it signs its deliveries, unsigned ones for it are refused.
			signedInMemory.add(`${scope}|${webhookKey}`);
			staticData.signed = { ...signed, [webhookKey]: true };
		}

		const keys = deliveryKeys(body, headers['x-azeer-delivery']);
		if (!claimDelivery(scope, keys, nowMs)) return skipped('duplicate delivery');

		const event = verdict.event;
		let routed: string | undefined;
		try {
			routed = await routeAnswer(this, event, body);
		} catch (error) {
			releaseDelivery(scope, keys);
			throw new NodeOperationError(this.getNode(), error as Error);
		}
		if (routed !== undefined) return skipped(routed);
		if (
			MESSAGE_EVENTS.includes(event) &&
			this.getNodeParameter('ignoreOwnMessages', true) &&
			isOwnMessage(body)
		) {
			return skipped('message sent by this account');
		}
		const statuses = (options.statuses as string[] | undefined) ?? MESSAGE_STATUSES;
		if (event === STATUS_EVENT && !statuses.includes(String(body.status))) {
			return skipped(`status "${String(body.status)}" is not selected`);
		}

		try {
			const item: INodeExecutionData = {
				json: this.getNodeParameter('simplify', true) ? simplifyPayload(body, new Date()) : body,
			};
			if (
				options.downloadMedia === true &&
				typeof body.filename_url === 'string' &&
				body.filename_url !== ''
			) {
				const credentials = await this.getCredentials(CREDENTIAL_TYPE);
				try {
					const binary = await downloadMedia.call(this, body, apiBaseUrl(credentials.baseUrl));
					item.binary = { [String(options.binaryPropertyName ?? 'data')]: binary };
				} catch (error) {
					// The message itself still starts the workflow; the item says why its media is missing.
					const message = apiMessageOf(error);
					this.logger.warn(
						`Azeer Trigger: could not download media ${body.filename_url}: ${message}`,
					);
					item.json.mediaDownloadError = message;
				}
			}
			return { workflowData: [[item]] };
		} catch (error) {
			// Not started: forget the delivery so that Azeer's retry can start it.
			releaseDelivery(scope, keys);
			throw new NodeOperationError(this.getNode(), error as Error);
		}
	}
}
