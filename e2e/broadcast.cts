/**
 * e2e: the template-broadcast example in the real n8n sends to 1,000 contacts under the sandbox's
 * rate limits (80 messages/s per account, one per 6 s per number, 429s with and without
 * Retry-After), and every contact gets exactly one message.
 */
import assert from 'node:assert/strict';

import { DEFAULT_RATE_LIMITS, NO_RATE_LIMITS } from '../sandbox/throttle.cjs';
import { loadExample, type Provisioned, type Stack } from '../scripts/lib/stack.cjs';

const CONTACTS = 1000;
const FIRST_PHONE = 966502000000;

type Check = (name: string, body: () => Promise<void>) => Promise<boolean>;

/** The example with its Contacts node listing `count` new contacts. */
function broadcastTo(provisioned: Provisioned, count: number) {
	const workflow = loadExample('templateBroadcast', provisioned.exampleTarget);
	const contacts = workflow.nodes.find((node) => node.name === 'Contacts');
	assert.ok(contacts, 'the example has no Contacts node');
	contacts.parameters = {
		jsCode: `return Array.from({ length: ${count} }, (_, i) => ({ json: { phone: String(${FIRST_PHONE} + i), name: 'Customer ' + i, orderId: 'B-' + i, status: 'shipped' } }));`,
	};
	return { ...workflow, name: `${workflow.name} (${count} contacts, e2e)` };
}

export async function broadcastChecks(
	{ n8n, sandbox }: Stack,
	provisioned: Provisioned,
	check: Check,
): Promise<void> {
	await check(
		`the template broadcast sends to ${CONTACTS} contacts under the account's rate limits, each exactly once`,
		async () => {
			const workflow = (await n8n.api.createWorkflow(
				broadcastTo(provisioned, CONTACTS),
			)) as Awaited<ReturnType<typeof n8n.api.createWorkflow>> & { id: string };
			sandbox.reset();
			sandbox.setLimits(DEFAULT_RATE_LIMITS);
			try {
				const executionId = await n8n.api.runManually(workflow.id, 'Start broadcast');
				const execution = await n8n.api.waitForExecution(executionId, 300_000);
				assert.equal(
					execution.status,
					'success',
					`execution ${executionId} ended ${execution.status}`,
				);
				const perRecipient = new Map<string, number>();
				for (const message of sandbox.messages()) {
					if (message.direction === 'out')
						perRecipient.set(message.to!, (perRecipient.get(message.to!) ?? 0) + 1);
				}
				const expected = Array.from({ length: CONTACTS }, (_, i) => String(FIRST_PHONE + i));
				assert.deepEqual([...perRecipient.keys()].sort(), expected);
				assert.deepEqual(
					[...perRecipient.entries()].filter(([, count]) => count !== 1),
					[],
				);
				const { throttled } = sandbox.limits();
				process.stderr.write(
					`  broadcast: ${CONTACTS} messages, the sandbox answered ${throttled.account} account 429s (${throttled.withRetryAfter} with Retry-After)\n`,
				);
			} finally {
				sandbox.setLimits(NO_RATE_LIMITS);
			}
		},
	);
}
