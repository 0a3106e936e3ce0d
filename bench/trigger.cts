/**
 * Trigger throughput: genuine, distinct deliveries handed in-process to the Azeer Trigger's
 * webhook() on n8n-core's real WebhookContext, which verifies each one (token, securetoken,
 * HMAC signature), records it for dedup in the workflow's static data and turns it into an item.
 * The webhooks and their secrets come from a real activation against the sandbox, and each
 * delivery reads the API key from the credential to derive its webhook's secret.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { signDelivery } from '../sandbox/index.cjs';
import { registeredOf, startWorld } from '../test/nodes/AzeerTrigger/setup.cjs';
import type { RegisteredWebhook } from '../test/nodes/AzeerTrigger/setup.cjs';

export interface TriggerThroughput {
	deliveries: number;
	started: number;
	seconds: number;
	perSecond: number;
}

function delivery(webhook: RegisteredWebhook, index: number) {
	const { secret, nonce } = webhook;
	const payload = {
		event_id: randomUUID(),
		webhook_event_type: 'incoming_msg',
		business_id: 'c327668d-47dc-4b3c',
		contact_id: 101,
		contact_name: 'James',
		direction: 'in',
		from: '966544351828',
		to: '966500000000',
		id: `wamid.bench${index}`,
		message_id: 100000 + index,
		message_type: 'text',
		platform: 'whatsapp',
		text: `message ${index}`,
		type: 'message',
		timestamp: new Date().toISOString(),
	};
	const rawBody = JSON.stringify(payload);
	const timestamp = String(Math.floor(Date.now() / 1000));
	return {
		body: payload,
		rawBody: Buffer.from(rawBody),
		query: { nonce, token: secret },
		headers: {
			'content-type': 'application/json',
			'x-azeer-event': 'incoming_msg',
			'x-azeer-securetoken': secret,
			'x-azeer-timestamp': timestamp,
			'x-azeer-signature': signDelivery(secret, timestamp, rawBody),
			'x-azeer-delivery': randomUUID(),
		},
	};
}

const response = {
	statusCode: 200,
	status(code: number) {
		this.statusCode = code;
		return this;
	},
	json() {
		return this;
	},
	send() {
		return this;
	},
	end() {
		return this;
	},
};

export async function measureTriggerThroughput(count: number): Promise<TriggerThroughput> {
	const world = await startWorld({ events: ['incoming_msg'] });
	try {
		await world.host.activate('production');
		const [webhook] = registeredOf(world);
		const requests = Array.from({ length: count }, (_, index) => delivery(webhook, index));
		// One workflow object for the whole run, so its static data (the dedup record) carries over
		// from one delivery to the next as it does in n8n between saves.
		const workflow = world.host.workflowFor('production');
		let started = 0;
		const begin = performance.now();
		for (const request of requests) {
			const context = world.host.webhookContext(workflow, 'production', request, response);
			const result = await world.host.nodeType.webhook.call(context);
			if (result.workflowData?.[0]?.length) started++;
		}
		const seconds = (performance.now() - begin) / 1000;
		await world.host.deactivate('production');
		return { deliveries: count, started, seconds, perSecond: count / seconds };
	} finally {
		await world.stop();
	}
}
