/**
 * Intake in a real n8n 2.40.7 (regular mode, SQLite): bursts of genuine signed deliveries fired
 * at once at an active Azeer Trigger → NoOp workflow, at n8n's own Webhook → NoOp workflow, and
 * at the same Webhook checking a secret header kept in a credential (Header Auth), alternating,
 * in one n8n. A burst is done when every request has been answered.
 *
 * The Header Auth workflow separates what n8n does for any start node that holds a credential
 * (before each execution it checks the workflow may use the credential, with database queries)
 * from what the Azeer Trigger adds.
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

import { signDelivery } from '../sandbox/index.cjs';
import type { Workflow } from '../scripts/lib/n8n.cjs';
import { log, shutdownAll, waitFor } from '../scripts/lib/process.cjs';
import { provision, startStack, type Stack } from '../scripts/lib/stack.cjs';

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
	webhookWithCredential: BurstFigure[];
	azeerRepeats: BurstFigure[];
}

const HEADER_AUTH = { name: 'x-bench-secret', value: randomUUID() };

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

/** n8n's Webhook node on POST `webhookPath`, answering at once; with `headerAuth`, it checks the secret header kept in that credential. */
export function webhookNode(
	webhookPath: string,
	headerAuth?: { id: string; name: string },
): Workflow['nodes'][number] {
	return {
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
			...(headerAuth ? { authentication: 'headerAuth' } : {}),
		},
		...(headerAuth ? { credentials: { httpHeaderAuth: headerAuth } } : {}),
	};
}

/** n8n's Webhook node, then nothing. */
function webhookWorkflow(
	name: string,
	webhookPath: string,
	headerAuth?: { id: string; name: string },
): Workflow {
	return {
		name,
		nodes: [webhookNode(webhookPath, headerAuth), NO_OP],
		connections: connectToNoOp('Webhook'),
		settings: { executionOrder: 'v1' },
	};
}

const NO_OP = {
	name: 'Done',
	type: 'n8n-nodes-base.noOp',
	typeVersion: 1,
	position: [260, 0] as [number, number],
	parameters: {},
};

function connectToNoOp(from: string) {
	return { [from]: { main: [[{ node: NO_OP.name, type: 'main', index: 0 }]] } };
}

function intakeWorkflows(
	credential: { id: string; name: string },
	headerAuth: { id: string; name: string },
	webhookPath: string,
): Workflow[] {
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
				NO_OP,
			],
			connections: connectToNoOp('Azeer Trigger'),
			settings: { executionOrder: 'v1' },
		},
		webhookWorkflow('Bench: Webhook → NoOp', webhookPath),
		webhookWorkflow('Bench: Webhook (Header Auth) → NoOp', `${webhookPath}-auth`, headerAuth),
	];
}

function unsigned(url: string, body: string, headers: Record<string, string> = {}): Delivery {
	return { url, body, headers: { 'content-type': 'application/json', ...headers } };
}

export async function measureIntake(): Promise<IntakeFigures> {
	const stateDir = path.join(os.tmpdir(), `azeer-bench-intake-${process.pid}`);
	const stack = await startStack({ stateDir });
	try {
		const { credentialId } = await provision(stack.n8n.api, stack.sandbox);
		const headerAuthName = 'Bench header secret';
		const headerAuthId = await stack.n8n.api.upsertCredential(
			headerAuthName,
			'httpHeaderAuth',
			HEADER_AUTH,
		);
		const webhookPath = `bench-${randomUUID()}`;
		const flows = await Promise.all(
			intakeWorkflows(
				{ id: credentialId, name: 'Azeer sandbox' },
				{ id: headerAuthId, name: headerAuthName },
				webhookPath,
			).map(
				async (workflow) =>
					(await stack.n8n.api.createWorkflow(workflow)) as Workflow & { id: string },
			),
		);
		for (const flow of flows) await stack.n8n.api.activate(flow.id);
		const flowIds = flows.map((flow) => flow.id);
		const [registered] = await waitFor('the Azeer Trigger to register its webhook', async () => {
			const hooks = stack.sandbox
				.webhooks()
				.filter((hook) => hook.url.startsWith(`${stack.n8n.url}/webhook/`));
			return hooks.length ? hooks : undefined;
		});
		const webhookUrl = `${stack.n8n.url}/webhook/${webhookPath}`;
		const bodies = (round: number) =>
			Array.from({ length: BURST }, (_, index) => JSON.stringify(payload(round * BURST + index)));

		const figures: IntakeFigures = {
			azeer: [],
			webhook: [],
			webhookWithCredential: [],
			azeerRepeats: [],
		};
		let executions = 0;
		const burst = async (label: string, into: BurstFigure[], deliveries: Delivery[]) => {
			log(`intake: ${label}`);
			const figure = await fire(deliveries);
			into.push(figure);
			executions += figure.started;
			await settle(stack, flowIds, executions);
		};
		let lastAzeerBodies: string[] = [];
		for (let round = 0; round < ROUNDS; round++) {
			const of = `round ${round + 1}/${ROUNDS}`;
			lastAzeerBodies = bodies(round);
			await burst(
				`${of}: Azeer Trigger`,
				figures.azeer,
				lastAzeerBodies.map((body) => signed(registered.url, registered.securetoken, body)),
			);
			await burst(
				`${of}: Webhook node`,
				figures.webhook,
				bodies(round).map((body) => unsigned(webhookUrl, body)),
			);
			await burst(
				`${of}: Webhook node with Header Auth`,
				figures.webhookWithCredential,
				bodies(round).map((body) =>
					unsigned(`${webhookUrl}-auth`, body, { [HEADER_AUTH.name]: HEADER_AUTH.value }),
				),
			);
		}
		await burst(
			'repeats of the last Azeer burst',
			figures.azeerRepeats,
			lastAzeerBodies.map((body) => signed(registered.url, registered.securetoken, body)),
		);
		return figures;
	} finally {
		await shutdownAll();
		fs.rmSync(stateDir, { recursive: true, force: true });
	}
}
