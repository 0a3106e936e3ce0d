/**
 * e2e: the template-broadcast example in the real n8n sends to 1,000 contacts under the sandbox's
 * rate limits (80 messages/s per account, one per 6 s per number, 429s with and without
 * Retry-After), and every contact gets exactly one message. Over 16,000 contacts, the node warns
 * in its output pane that n8n's split of its output for the error output is slow.
 */
import assert from 'node:assert/strict';

import { parse } from 'flatted';

import { DEFAULT_RATE_LIMITS, NO_RATE_LIMITS } from '../sandbox/throttle.cjs';
import { loadExample, type Provisioned, type Stack } from '../scripts/lib/stack.cjs';

const CONTACTS = 1000;
const FIRST_PHONE = 966502000000;
/** The output size from which the node warns about n8n's error-output split (QUADRATIC_SPLIT_FROM_ITEMS). */
const SLOW_SPLIT_CONTACTS = 16000;
const SEND_NODE = 'Send order update';

export type Check = (name: string, body: () => Promise<void>) => Promise<boolean>;

/** The example with its Contacts node listing `count` new contacts from `firstPhone` on. */
export function broadcastTo(provisioned: Provisioned, count: number, firstPhone = FIRST_PHONE) {
	const workflow = loadExample('templateBroadcast', provisioned.exampleTarget);
	const contacts = workflow.nodes.find((node) => node.name === 'Contacts');
	assert.ok(contacts, 'the example has no Contacts node');
	contacts.parameters = {
		jsCode: `return Array.from({ length: ${count} }, (_, i) => ({ json: { phone: String(${firstPhone} + i), name: 'Customer ' + i, orderId: 'B-' + i, status: 'shipped' } }));`,
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

	await check(
		`a broadcast to ${SLOW_SPLIT_CONTACTS} contacts with the error output warns in its output pane that n8n's split of that output is slow`,
		async () => {
			const broadcast = broadcastTo(provisioned, SLOW_SPLIT_CONTACTS);
			const contacts = broadcast.nodes.find((node) => node.name === 'Contacts')!;
			// Phones that fail the node's check: every item goes to the error output, nothing is sent.
			contacts.parameters = {
				jsCode: `return Array.from({ length: ${SLOW_SPLIT_CONTACTS} }, (_, i) => ({ json: { phone: 'no phone ' + i, name: 'Customer ' + i, orderId: 'B-' + i, status: 'shipped' } }));`,
			};
			const workflow = (await n8n.api.createWorkflow(broadcast)) as Awaited<
				ReturnType<typeof n8n.api.createWorkflow>
			> & { id: string };
			sandbox.clearRequests();
			const executionId = await n8n.api.runManually(workflow.id, 'Start broadcast');
			const finished = await n8n.api.waitForExecution(executionId, 300_000);
			assert.equal(finished.status, 'success', `execution ${executionId} ended ${finished.status}`);
			assert.deepEqual(
				sandbox.requests().filter((request) => request.method === 'POST'),
				[],
			);
			const execution = await n8n.api.request<{ data: string }>(
				'GET',
				`/executions/${executionId}`,
			);
			const run = (
				parse(String(execution.data)) as {
					resultData: {
						runData: Record<
							string,
							Array<{
								hints?: Array<{ message: string; type?: string; location?: string }>;
								data?: { main: unknown[][] };
							}>
						>;
					};
				}
			).resultData.runData[SEND_NODE]?.[0];
			assert.deepEqual(
				run?.data?.main.map((output) => output.length),
				[0, SLOW_SPLIT_CONTACTS],
			);
			const hints = run?.hints ?? [];
			assert.equal(hints.length, 1, `hints: ${JSON.stringify(hints)}`);
			const [hint] = hints;
			assert.equal(hint.type, 'warning');
			assert.equal(hint.location, 'outputPane');
			assert.match(
				hint.message,
				/^n8n splits these 16,000 items between the success and error outputs one by one: .* set Settings → On Error to "Continue"/,
			);
		},
	);
}
