/**
 * Benchmark section "Broadcast": the template-broadcast example's Send Template over many new
 * contacts, against the sandbox (its own process) with both rate limits on: the account rate and
 * one message per 6 s per number. Beside the Azeer node (default settings): the unpaced behaviour
 * (a declarative node that starts every request at once, as routing does without a pacer) and
 * n8n's HTTP Request node, on the same workload.
 *
 * As a child process (`broadcast.ts <baseUrl> <workload> <count> <firstPhone>`) it runs one
 * workload and prints its wall time and peak RSS growth; the parent counts what the sandbox stored.
 */

import type { INodeExecutionData } from 'n8n-workflow';

import { AZEER_NODE_TYPE, runNode } from '../test/harness/engine.cjs';
import type { NodeRunResult } from '../test/harness/engine.cjs';
import { BROADCAST_PARAMETERS } from '../test/nodes/Azeer/fixtures.cjs';
import { nodeTypes, referenceNode, runIsolated, SANDBOX_KEY } from './workloads.cjs';

const UNPACED_TYPE = 'bench.unpacedTemplate';
const WARM_UP_PHONE = 966509000000;

/** A declarative node with the same request and no pacer: every item's request starts at once. */
const unpacedTemplateNode = referenceNode('Unpaced Template', [
	{
		displayName: 'To',
		name: 'to',
		type: 'string',
		default: '',
		routing: {
			request: {
				method: 'POST',
				url: '/message/send',
				qs: { create: true },
				body: { recipient_type: 'individual', type: 'template' },
			},
			send: { type: 'body', property: 'to' },
		},
	},
	{
		displayName: 'Template',
		name: 'template',
		type: 'json',
		default: '{}',
		routing: { send: { type: 'body', property: 'template' } },
	},
]);
nodeTypes.register(UNPACED_TYPE, unpacedTemplateNode);

function contactItems(count: number, firstPhone: number): INodeExecutionData[] {
	return Array.from({ length: count }, (_, index) => ({
		json: {
			phone: String(firstPhone + index),
			name: `Customer ${index}`,
			orderId: `A-${index}`,
			status: 'shipped',
		},
	}));
}

const TEMPLATE_EXPRESSION =
	"{ template_id: 'order_update', language: 'en', argument: { HEADER: [$json.orderId], BODY: [$json.name, $json.status], BUTTONS: [$json.orderId] } }";

const WORKLOADS: Record<
	string,
	(baseUrl: string, items: INodeExecutionData[]) => Promise<NodeRunResult>
> = {
	azeer: async (baseUrl, items) =>
		await runNode({
			nodeTypes,
			type: AZEER_NODE_TYPE,
			parameters: BROADCAST_PARAMETERS,
			input: items,
			credentials: { azeerApi: { apiKey: SANDBOX_KEY, baseUrl } },
		}),
	unpaced: async (baseUrl, items) =>
		await runNode({
			nodeTypes,
			type: UNPACED_TYPE,
			parameters: { to: '={{ $json.phone }}', template: `={{ ${TEMPLATE_EXPRESSION} }}` },
			input: items,
			continueOnFail: true,
			credentials: { azeerApi: { apiKey: SANDBOX_KEY, baseUrl } },
		}),
	http: async (baseUrl, items) =>
		await runNode({
			nodeTypes,
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			parameters: {
				method: 'POST',
				url: `${baseUrl}/message/send?create=true`,
				authentication: 'predefinedCredentialType',
				nodeCredentialType: 'azeerApi',
				sendBody: true,
				contentType: 'json',
				specifyBody: 'json',
				jsonBody: `={{ JSON.stringify({ to: $json.phone, recipient_type: 'individual', type: 'template', template: ${TEMPLATE_EXPRESSION} }) }}`,
				options: {},
			},
			input: items,
			continueOnFail: true,
			credentials: { azeerApi: { apiKey: SANDBOX_KEY, baseUrl } },
		}),
};

export type BroadcastWorkload = keyof typeof WORKLOADS;

interface ChildFigures {
	baselineBytes: number;
	peakBytes: number;
	milliseconds: number;
	outputItems: number;
	errorItems: number;
	nodeError: string | null;
}

async function child(): Promise<void> {
	const [baseUrl, which, countText, firstPhoneText] = process.argv.slice(2);
	const workload = WORKLOADS[which];
	if (!workload) throw new Error(`unknown workload ${which}`);
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) throw new Error('run with --expose-gc');
	await workload(baseUrl, contactItems(20, WARM_UP_PHONE));
	gc();
	const baselineBytes = process.memoryUsage().rss;
	const items = contactItems(Number(countText), Number(firstPhoneText));
	const begin = performance.now();
	const result = await workload(baseUrl, items);
	const milliseconds = performance.now() - begin;
	const figures: ChildFigures = {
		baselineBytes,
		peakBytes: process.resourceUsage().maxRSS * 1024,
		milliseconds,
		outputItems: result.items.length,
		errorItems: result.items.filter((item) => item.error || item.json.error).length,
		nodeError: result.error ? result.error.message : null,
	};
	process.stdout.write(`${JSON.stringify(figures)}\n`);
}

export interface BroadcastFigures extends ChildFigures {
	/** Distinct recipients of the workload that got a message, and those that got more than one. */
	messaged: number;
	doubled: number;
	/** Items that did not end as one message to their recipient. */
	failed: number;
	throttled: number;
}

type Control = (method: string, route: string, body?: unknown) => Promise<unknown>;

/** Runs one workload in its own process against the sandbox (limits already set) and counts the result. */
export async function measureBroadcast(
	sandbox: { baseUrl: string },
	control: Control,
	workload: BroadcastWorkload,
	count: number,
	firstPhone: number,
): Promise<BroadcastFigures> {
	await control('POST', '/reset');
	const figures = runIsolated<ChildFigures>('broadcast.cts', [
		sandbox.baseUrl,
		workload,
		String(count),
		String(firstPhone),
	]);
	const messages = (await control('GET', '/messages')) as Array<{ direction: string; to?: string }>;
	const perRecipient = new Map<string, number>();
	for (const message of messages) {
		const phone = Number(message.to);
		if (message.direction === 'out' && phone >= firstPhone && phone < firstPhone + count)
			perRecipient.set(message.to!, (perRecipient.get(message.to!) ?? 0) + 1);
	}
	const doubled = [...perRecipient.values()].filter((times) => times > 1).length;
	const limits = (await control('GET', '/limits')) as {
		throttled: { account: number; recipient: number };
	};
	return {
		...figures,
		messaged: perRecipient.size,
		doubled,
		failed: count - perRecipient.size,
		throttled: limits.throttled.account + limits.throttled.recipient,
	};
}

if (require.main === module) {
	child().then(
		() => process.exit(0),
		(error: Error) => {
			process.stderr.write(`${error.stack}\n`);
			process.exit(1);
		},
	);
}
