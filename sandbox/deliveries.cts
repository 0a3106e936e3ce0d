/**
 * Webhook deliveries: signed JSON POSTs with the header scheme recorded in the contract
 * (x-azeer-webhook-delivery), retried for policy "retry", optionally sent more than once on
 * purpose so receivers can test their deduplication. Every attempt is logged.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

import type { StoredWebhook } from './state.cjs';

export const DEFAULT_RETRY_DELAYS_MS = [1000, 2000, 4000];
const DELIVERY_TIMEOUT_MS = 10_000;

export interface DeliveryAttempt {
	delivery_id: string;
	event_id: string;
	webhook_id: number;
	event: string;
	url: string;
	/** 1 for the first try, 2.. for retries. */
	attempt: number;
	/** 1 for the first copy, 2.. for deliberate duplicates. */
	copy: number;
	/** HTTP status the receiver answered, or null when the connection failed. */
	status: number | null;
	error?: string;
	headers: Record<string, string>;
	body: Record<string, unknown>;
	at: string;
}

/** `sha256=<hex>` of HMAC-SHA256(key = securetoken, message = `${timestamp}.${rawBody}`). */
export function signDelivery(securetoken: string, timestamp: string, rawBody: string): string {
	return `sha256=${createHmac('sha256', securetoken).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

function post(url: string, headers: Record<string, string>, body: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const target = new URL(url);
		const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
		const req = send(
			target,
			{
				method: 'POST',
				headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
			},
			(res) => {
				res.resume();
				res.on('end', () => resolve(res.statusCode ?? 0));
				res.on('error', reject);
			},
		);
		req.setTimeout(DELIVERY_TIMEOUT_MS, () =>
			req.destroy(new Error(`no answer within ${DELIVERY_TIMEOUT_MS} ms`)),
		);
		req.on('error', reject);
		req.end(body);
	});
}

export class Deliverer {
	readonly log: DeliveryAttempt[] = [];
	private readonly pending = new Set<Promise<void>>();
	private readonly waits = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
	/** Bumped by reset/stop so that retries of an earlier generation end quietly. */
	private generation = 0;

	constructor(private readonly retryDelaysMs: number[] = DEFAULT_RETRY_DELAYS_MS) {}

	/** Starts delivering one event to one webhook (`copies` times, each with its own retries). */
	deliver(webhook: StoredWebhook, payload: Record<string, unknown>, copies = 1): void {
		const run = this.run(webhook, payload, Math.max(1, copies), this.generation);
		this.pending.add(run);
		void run.finally(() => this.pending.delete(run));
	}

	/** Resolves once every delivery started so far (retries included) has finished. */
	async settle(): Promise<void> {
		while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
	}

	/** Forgets the log and abandons pending retries. */
	reset(): void {
		this.generation++;
		this.log.length = 0;
		for (const wait of this.waits) {
			clearTimeout(wait.timer);
			wait.resolve();
		}
		this.waits.clear();
	}

	private wait(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const entry = {
				timer: setTimeout(() => {
					this.waits.delete(entry);
					resolve();
				}, ms),
				resolve,
			};
			this.waits.add(entry);
		});
	}

	private async run(
		webhook: StoredWebhook,
		payload: Record<string, unknown>,
		copies: number,
		generation: number,
	): Promise<void> {
		const deliveryId = randomUUID();
		const rawBody = JSON.stringify(payload);
		const attempts = webhook.policy === 'retry' ? 1 + this.retryDelaysMs.length : 1;
		for (let copy = 1; copy <= copies; copy++) {
			for (let attempt = 1; attempt <= attempts; attempt++) {
				if (generation !== this.generation) return;
				const timestamp = String(Math.floor(Date.now() / 1000));
				const headers = {
					'content-type': 'application/json',
					'user-agent': 'azeer-sandbox-webhooks/1',
					'x-azeer-securetoken': webhook.securetoken,
					'x-azeer-timestamp': timestamp,
					'x-azeer-signature': signDelivery(webhook.securetoken, timestamp, rawBody),
					'x-azeer-event': webhook.event,
					'x-azeer-delivery': deliveryId,
				};
				const entry: DeliveryAttempt = {
					delivery_id: deliveryId,
					event_id: String(payload.event_id),
					webhook_id: webhook.id,
					event: webhook.event,
					url: webhook.url,
					attempt,
					copy,
					status: null,
					headers,
					body: payload,
					at: new Date().toISOString(),
				};
				try {
					entry.status = await post(webhook.url, headers, rawBody);
				} catch (error) {
					entry.error = (error as Error).message;
				}
				if (generation !== this.generation) return;
				this.log.push(entry);
				const ok = entry.status !== null && entry.status >= 200 && entry.status < 300;
				if (ok || attempt === attempts) break;
				await this.wait(this.retryDelaysMs[attempt - 1]);
			}
		}
	}
}
