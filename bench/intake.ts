/**
 * Intake in a real n8n 2.40.7 (regular mode, SQLite): bursts of genuine signed deliveries fired
 * at once at an active Azeer Trigger → NoOp workflow and at n8n's own Webhook → NoOp workflow,
 * alternating, in one n8n. A burst is done when every request has been answered.
 *
 * A third kind of burst repeats deliveries the trigger has already seen: it verifies them like
 * the first ones but writes no static data and starts no execution, which separates the cost of
 * the per-delivery static-data write (dedup keys) from the rest.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { signDelivery } from '../sandbox/index';
import type { Workflow } from '../scripts/lib/n8n';
import { log, shutdownAll, waitFor } from '../scripts/lib/process';
import { provision, startStack, type Stack } from '../scripts/lib/stack';

export const BURST = 200;
const ROUNDS = 3;

export interface BurstFigure {
	/** Until the last of the burst's requests was answered. */
	seconds: number;
	p50Seconds: number;
	/** Answers by status, and `started`: the 200s that were not skipped (an execution was created). */
	statuses: Record<string, number>;
	started: number;
}

export interface IntakeFigures {
	azeer: BurstFigure[];
	webhook: BurstFigure[];
	azeerRepeats: BurstFigure[];
}

interface Delivery {
	url: string;
	headers: Record<string, string>;
	body: string;
}

function payload(index: number): Record<string, unknown> {
	return {
		event_id: randomUUID(),
		webhook_event_type: 'incoming_msg',
		contact_id: 101,
		contact_name: 'Bench',
		direction: 'in',
		from: '966544351828',
		to: '966500000000',
		id: `wamid.${randomUUID()}`,
		message_id: index,
		message_type: 'text',
		text: `message ${index}`,
		timestamp: new Date().toISOString(),
	};
}

function signed(url: string, secret: string, body: string): Delivery {
	const timestamp = String(Math.floor(Date.now() / 1000));
	return {
		url,
		body,
		headers: {
			'content-type': 'application/json',
			'x-azeer-event': 'incoming_msg',
			'x-azeer-securetoken': secret,
			'x-azeer-timestamp': timestamp,
			'x-azeer-signature': signDelivery(secret, timestamp, body),
			'x-azeer-delivery': randomUUID(),
		},
	};
}

async function fire(deliveries: Delivery[]): Promise<BurstFigure> {
	const begin = performance.now();
	const answered = await Promise.all(
		deliveries.map(async (delivery) => {
			const response = await fetch(delivery.url, {
				method: 'POST',
				headers: delivery.headers,
				body: delivery.body,
			});
			const text = await response.text();
			// n8n answers a started execution after creating it; a skipped delivery says "skipped".
			const started = response.status === 200 && !text.includes('"skipped"');
			return { status: response.status, started, seconds: (performance.now() - begin) / 1000 };
		}),
	);
	const times = answered.map((answer) => answer.seconds).sort((a, b) => a - b);
	const statuses: Record<string, number> = {};
	for (const answer of answered) statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
	const started = answered.filter((answer) => answer.started).length;
	return {
		seconds: times[times.length - 1],
		p50Seconds: times[Math.floor(times.length / 2)],
		statuses,
		started,
	};
}

/** Waits until n8n has finished the executions a burst started (so bursts do not overlap). */
async function settle(stack: Stack, workflowIds: string[], expected: number): Promise<void> {
	await waitFor(
		`n8n to finish ${expected} executions`,
		async () => {
			let finished = 0;
			for (const id of workflowIds) {
				const filter = encodeURIComponent(JSON.stringify({ workflowId: id }));
				const { count } = await stack.n8n.api.request<{ count: number }>(
					'GET',
					`/executions?filter=${filter}&limit=1`,
				);
				finished += count;
			}
			return finished >= expected ? true : undefined;
		},
		{ timeoutMs: 180000, intervalMs: 1000 },
	);
}

function intakeWorkflows(
	credential: { id: string; name: string },
	webhookPath: string,
): Workflow[] {
	const noOp = {
		name: 'Done',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [260, 0] as [number, number],
		parameters: {},
	};
	const connect = (from: string) => ({
		[from]: { main: [[{ node: 'Done', type: 'main', index: 0 }]] },
	});
	return [
		{
			name: 'Bench: Azeer Trigger → NoOp',
			nodes: [
				{
					name: 'Azeer Trigger',
					type: 'n8n-nodes-azeer.azeerTrigger',
					typeVersion: 1,
					position: [0, 0],
					webhookId: randomUUID(),
					parameters: { events: ['incoming_msg'], simplify: true, options: {} },
					credentials: { azeerApi: credential },
				},
				noOp,
			],
			connections: connect('Azeer Trigger'),
			settings: { executionOrder: 'v1' },
		},
		{
			name: 'Bench: Webhook → NoOp',
			nodes: [
				{
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: randomUUID(),
					parameters: {
						httpMethod: 'POST',
						path: webhookPath,
						responseMode: 'onReceived',
						options: {},
					},
				},
				noOp,
			],
			connections: connect('Webhook'),
			settings: { executionOrder: 'v1' },
		},
	];
}

export async function measureIntake(): Promise<IntakeFigures> {
	const stateDir = path.join(os.tmpdir(), `azeer-bench-intake-${process.pid}`);
	const stack = await startStack({ stateDir });
	try {
		const { credentialId } = await provision(stack.n8n.api, stack.sandbox);
		const webhookPath = `bench-${randomUUID()}`;
		const [azeerFlow, webhookFlow] = await Promise.all(
			intakeWorkflows({ id: credentialId, name: 'Azeer sandbox' }, webhookPath).map(
				async (workflow) =>
					(await stack.n8n.api.createWorkflow(workflow)) as Workflow & { id: string },
			),
		);
		await stack.n8n.api.activate(azeerFlow.id);
		await stack.n8n.api.activate(webhookFlow.id);
		const [registered] = await waitFor('the Azeer Trigger to register its webhook', async () => {
			const hooks = stack.sandbox
				.webhooks()
				.filter((hook) => hook.url.startsWith(`${stack.n8n.url}/webhook/`));
			return hooks.length ? hooks : undefined;
		});
		const webhookUrl = `${stack.n8n.url}/webhook/${webhookPath}`;

		const figures: IntakeFigures = { azeer: [], webhook: [], azeerRepeats: [] };
		let executions = 0;
		let lastAzeerBodies: string[] = [];
		for (let round = 0; round < ROUNDS; round++) {
			lastAzeerBodies = Array.from({ length: BURST }, (_, index) =>
				JSON.stringify(payload(round * BURST + index)),
			);
			log(`intake round ${round + 1}/${ROUNDS}: Azeer Trigger`);
			figures.azeer.push(
				await fire(
					lastAzeerBodies.map((body) => signed(registered.url, registered.securetoken, body)),
				),
			);
			executions += figures.azeer[round].started;
			await settle(stack, [azeerFlow.id, webhookFlow.id], executions);
			log(`intake round ${round + 1}/${ROUNDS}: Webhook node`);
			const bodies = Array.from({ length: BURST }, (_, index) => JSON.stringify(payload(index)));
			figures.webhook.push(
				await fire(
					bodies.map((body) => ({
						url: webhookUrl,
						body,
						headers: { 'content-type': 'application/json' },
					})),
				),
			);
			executions += figures.webhook[round].started;
			await settle(stack, [azeerFlow.id, webhookFlow.id], executions);
		}
		log('intake: repeats of the last Azeer burst');
		figures.azeerRepeats.push(
			await fire(
				lastAzeerBodies.map((body) => signed(registered.url, registered.securetoken, body)),
			),
		);
		return figures;
	} finally {
		await shutdownAll();
		fs.rmSync(stateDir, { recursive: true, force: true });
	}
}
