/** The check runner itself in a real n8n: a check that fails leaves no active workflow and no waiting execution. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';

import { MANUAL_START, type Workflow } from '../scripts/lib/n8n.cjs';
import { waitFor } from '../scripts/lib/process.cjs';
import type { Stack } from '../scripts/lib/stack.cjs';
import { check, undoingOnFailure } from './checks.cjs';

/** A manual run that stops at a Wait node until its resume URL is called: a waiting execution. */
function waitingWorkflow(): Workflow {
	return {
		name: 'Waits for a call (e2e, failed check)',
		nodes: [
			MANUAL_START,
			{
				name: 'Wait for a call',
				type: 'n8n-nodes-base.wait',
				typeVersion: 1.1,
				position: [220, 0],
				parameters: { resume: 'webhook', options: {} },
				webhookId: randomUUID(),
			},
		],
		connections: { Start: { main: [[{ node: 'Wait for a call', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

export async function failedCheckCleanupCheck(
	stack: Stack,
	echoBot: Workflow & { id: string },
): Promise<void> {
	await check(
		'a failed check undoes what it started: the workflow it activated is inactive and its webhook gone, its waiting execution stopped',
		async () => {
			const { api } = stack.n8n;
			const webhooksOfEchoBot = () =>
				stack.sandbox.webhooks().filter((hook) => hook.url.startsWith(`${stack.n8n.url}/webhook/`));
			assert.equal((await api.getWorkflow(echoBot.id)).active, false, 'the echo bot is active');
			const waiting = String((await api.createWorkflow(waitingWorkflow())).id);
			let executionId = '';
			const { error } = await undoingOnFailure('a check that fails on purpose', async () => {
				await api.activate(echoBot.id);
				await waitFor('the echo bot to register its webhook', async () =>
					webhooksOfEchoBot().length > 0 ? true : undefined,
				);
				executionId = await api.runManually(waiting, 'Start');
				await waitFor('the run to wait at its Wait node', async () =>
					(await api.getExecution(executionId)).status === 'waiting' ? true : undefined,
				);
				throw new Error('failing on purpose');
			});
			assert.equal((error as Error | undefined)?.message, 'failing on purpose');
			assert.equal((await api.getWorkflow(echoBot.id)).active, false, 'the echo bot stayed active');
			await waitFor('the echo bot to delete its webhook', async () =>
				webhooksOfEchoBot().length === 0 ? true : undefined,
			);
			const { status } = await api.getExecution(executionId);
			assert.ok(
				!['new', 'running', 'waiting'].includes(status),
				`execution ${executionId} is still ${status}`,
			);
		},
	);
}
