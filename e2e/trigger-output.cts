/** The Azeer Trigger in the editor: "Test this trigger", a message arrives, its output shows it. */
import type { Workflow } from '../scripts/lib/n8n.cjs';
import { waitFor } from '../scripts/lib/process.cjs';
import type { Stack } from '../scripts/lib/stack.cjs';
import type { BrowserCheck } from './browser.cjs';
import { check } from './checks.cjs';

export async function triggerOutputCheck(
	browser: BrowserCheck,
	stack: Stack,
	workflow: Workflow & { id: string },
	customer: { phone: string; name: string },
): Promise<void> {
	await check(
		'editor: "Test this trigger" on the Azeer Trigger shows the arriving message (browser)',
		async () => {
			const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-azeer.azeerTrigger');
			if (!trigger) throw new Error(`${workflow.name} has no Azeer Trigger`);
			const text = 'Hello from the trigger check';
			const deliver = async () => {
				await waitFor('the trigger to register its test webhook', async () =>
					stack.sandbox.webhooks().some((hook) => hook.url.includes('/webhook-test/'))
						? true
						: undefined,
				);
				stack.sandbox.inbound({ from: customer.phone, name: customer.name, text });
			};
			await browser.triggerOutput(stack.n8n.url, workflow.id, trigger.name, deliver, [
				text,
				customer.name,
			]);
		},
	);
}
