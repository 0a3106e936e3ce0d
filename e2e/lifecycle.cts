/**
 * Issue 17 in a real n8n: the Azeer Trigger keeps working when n8n loses the workflow's static
 * data, and `npm start`'s re-publish moves the echo bot's webhook when n8n's port changes.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';

import type { Sandbox } from '../sandbox/index.cjs';
import type { Workflow } from '../scripts/lib/n8n.cjs';
import { freePort, waitFor } from '../scripts/lib/process.cjs';
import { republishIfMoved, type Provisioned, type Stack } from '../scripts/lib/stack.cjs';

type Check = (name: string, body: () => Promise<void>) => Promise<boolean>;

const CUSTOMER = '966501119999';

/**
 * Writes `staticData = NULL` into the workflow's row of n8n's SQLite database, as if n8n had lost
 * it; returns what the row held before.
 */
function wipeStaticData(stack: Stack, workflowId: string): string | null {
	const database = new DatabaseSync(path.join(stack.userFolder, '.n8n', 'database.sqlite'));
	try {
		database.exec('PRAGMA busy_timeout = 10000');
		const row = database
			.prepare('SELECT staticData FROM workflow_entity WHERE id = ?')
			.get(workflowId) as { staticData: string | null } | undefined;
		assert.ok(row, `workflow ${workflowId} is not in n8n's database`);
		database.prepare('UPDATE workflow_entity SET staticData = NULL WHERE id = ?').run(workflowId);
		const after = database
			.prepare('SELECT staticData FROM workflow_entity WHERE id = ?')
			.get(workflowId) as {
			staticData: string | null;
		};
		assert.equal(after.staticData, null);
		return row.staticData;
	} finally {
		database.close();
	}
}

function webhooksOfTrigger(sandbox: Sandbox, workflow: Workflow) {
	const webhookId = workflow.nodes.find(
		(node) => node.type === 'n8n-nodes-azeer.azeerTrigger',
	)?.webhookId;
	assert.ok(webhookId, `${workflow.name} has no Azeer Trigger`);
	return sandbox
		.webhooks()
		.filter((hook) => new URL(hook.url).pathname === `/webhook/${webhookId}/webhook`);
}

async function activateAndWait(stack: Stack, workflow: Workflow & { id: string }) {
	await stack.n8n.api.activate(workflow.id);
	return await waitFor('the trigger to register its webhook', async () => {
		const hooks = webhooksOfTrigger(stack.sandbox, workflow);
		return hooks.length > 0 ? hooks : undefined;
	});
}

async function deactivateAndWait(stack: Stack, workflow: Workflow & { id: string }): Promise<void> {
	await stack.n8n.api.deactivate(workflow.id);
	await waitFor('the trigger to delete its webhook', async () =>
		webhooksOfTrigger(stack.sandbox, workflow).length === 0 ? true : undefined,
	);
}

/** Sends an inbound message and waits for the echo bot's reply to it; returns the deliveries it caused. */
async function roundTrip(sandbox: Sandbox, text: string) {
	const earlier = sandbox.deliveries().length;
	const inbound = sandbox.inbound({ from: CUSTOMER, name: 'Lifecycle Customer', text });
	const reply = await waitFor(`the echo bot to answer "${text}"`, async () =>
		sandbox
			.messages(CUSTOMER)
			.find((message) => message.direction === 'out' && message.message_id > inbound.message_id),
	);
	assert.equal(reply.text, `You said: ${text}`);
	return sandbox
		.deliveries()
		.slice(earlier)
		.filter((delivery) => delivery.event === 'incoming_msg');
}

export async function runLifecycleChecks(
	stack: Stack,
	provisioned: Provisioned,
	check: Check,
): Promise<void> {
	const { echoBot } = provisioned.workflows;

	await check(
		"static data wiped in n8n's database: a delivery still gets the reply, deactivation leaves no webhook",
		async () => {
			const hooks = await activateAndWait(stack, echoBot);
			assert.equal(hooks.length, 1);
			// n8n saves the static data the trigger cached at activation; wipe whatever is there.
			await waitFor("n8n to save the trigger's static data", async () =>
				wipeStaticData(stack, echoBot.id) ? true : undefined,
			);

			const deliveries = await roundTrip(stack.sandbox, 'after the wipe');
			assert.deepEqual(
				deliveries.map((delivery) => [delivery.attempt, delivery.status]),
				[[1, 200]],
				'the first delivery attempt is accepted',
			);

			wipeStaticData(stack, echoBot.id);
			stack.sandbox.clearRequests();
			await deactivateAndWait(stack, echoBot);
			const deletes = stack.sandbox.requests().filter((request) => request.method === 'DELETE');
			assert.deepEqual(
				deletes.map((request) => request.path),
				[`/v1/webhook/${hooks[0].id}`],
			);
		},
	);

	await check(
		"n8n restarted on another port: npm start's re-publish moves the echo bot's webhook, and it replies",
		async () => {
			const [before] = await activateAndWait(stack, echoBot);
			const oldUrl = stack.n8n.url;
			const n8n = await stack.restartN8n(await freePort());
			assert.notEqual(n8n.url, oldUrl);
			// The symptom of the issue: n8n keeps the workflow active, the webhook still points at the old port.
			assert.equal((await n8n.api.getWorkflow(echoBot.id)).active, true);
			assert.deepEqual(
				webhooksOfTrigger(stack.sandbox, echoBot).map((hook) => hook.url.split('?')[0]),
				[before.url.split('?')[0]],
			);

			assert.equal(await republishIfMoved(stack, echoBot), true);
			const moved = await waitFor('the webhook to point at the new port', async () => {
				const hooks = webhooksOfTrigger(stack.sandbox, echoBot);
				return hooks.length === 1 && hooks[0].url.startsWith(`${n8n.url}/`) ? hooks : undefined;
			});
			assert.notEqual(moved[0].id, before.id);
			await roundTrip(stack.sandbox, 'after the port change');
			assert.equal(
				await republishIfMoved(stack, echoBot),
				false,
				'a second start on the same port changes nothing',
			);

			await deactivateAndWait(stack, echoBot);
			assert.equal(stack.sandbox.webhooks().length, 0);
		},
	);
}
