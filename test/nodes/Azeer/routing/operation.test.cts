/**
 * perItemOperationOf: the operations the node runs item by item from their routing description
 * send what n8n's routing engine makes of that description, and output the same. Each case runs
 * the node, then the same node with those operations left to routing (DECLARATIVE_AZEER_TYPE), on
 * the same sandbox state, and compares the requests the sandbox received and the outputs.
 */
import type { INodeParameters } from 'n8n-workflow';

import { Azeer } from '../../../../nodes/Azeer/Azeer.node';
import { nodeOperations } from '../../../../scripts/lib/operations.cjs';
import { AZEER_NODE_TYPE } from '../../../harness/engine.cjs';
import { expectLogged } from '../../../harness/logs.cjs';
import {
	createWebhook,
	DECLARATIVE_AZEER_TYPE,
	items,
	MESSAGE_PHONE,
	openSession,
	requestsAndOutputs,
	SEED,
	turnsBeforeFirstRequest,
	useSandbox,
} from '../fixtures.cjs';
import type { AzeerTestEnv, BothWaysInput } from '../fixtures.cjs';

const env = useSandbox();

const byExpression = (expression: string) => ({ __rl: true, mode: 'id', value: expression });

/** Two texts to MESSAGE_PHONE; the items carry their message IDs. */
async function twoSentMessages(sandboxEnv: AzeerTestEnv) {
	openSession(sandboxEnv, MESSAGE_PHONE);
	const ids: number[] = [];
	for (const text of ['one', 'two']) {
		const sent = await sandboxEnv.run({
			resource: 'message',
			operation: 'sendText',
			to: MESSAGE_PHONE,
			text,
		});
		ids.push(sent.items[0].json.message_id as number);
	}
	return ids;
}

/** Webhooks 1 and 2; the items carry their IDs. */
async function twoWebhooks(sandboxEnv: AzeerTestEnv) {
	await createWebhook(sandboxEnv);
	await createWebhook(sandboxEnv);
	return items(2, (index) => ({ id: index + 1 }));
}

const webhookFromItems = {
	resource: 'webhook',
	operation: 'create',
	name: '={{ $json.name }}',
	url: '={{ $json.url }}',
	event: 'incoming_msg',
	securetoken: 'token-1234567890',
	retry: '={{ $json.retry }}',
	description: 'from items',
};

const session = {
	resource: 'userSession',
	operation: 'create',
	hostId: 'host-7',
	businessId: '550e8400-e29b-41d4-a716-446655440000',
	platformType: 'avocado',
	platformId: '={{ $json.id }}',
	sessionRole: 'admin',
	profileName: '={{ $json.name }}',
	sessionDisplayName: '={{ $json.name }}',
	profileImageUrl: 'https://example.com/p.jpg',
};

interface BothWaysCase {
	parameters: INodeParameters;
	input: BothWaysInput;
	/** How many requests routing sends: the comparison never passes on two empty runs by accident. */
	requests: number;
	/** The run fails (one item: the per-item run's report of several items is its own). */
	fails?: true;
}

const phones = items(2, (index) => ({ phone: index ? 966511111111 : '+966 51 111 1111' }));
const twoItems = items(2, (index) => ({ index }));
const oneItem = items(1);

const cases: Record<string, BothWaysCase> = {
	'Contact → Get, simplified': {
		parameters: { resource: 'contact', operation: 'get', phone: '={{ $json.phone }}' },
		input: phones,
		requests: 2,
	},
	'Contact → Get, not simplified': {
		parameters: {
			resource: 'contact',
			operation: 'get',
			phone: '={{ $json.phone }}',
			simplify: false,
		},
		input: phones,
		requests: 2,
	},
	'Contact → Get, a bad number': {
		parameters: { resource: 'contact', operation: 'get', phone: '={{ $json.phone }}' },
		input: [{ json: { phone: 'abc' } }],
		requests: 0,
		fails: true,
	},
	'Contact → Get, a contact Azeer does not know': {
		parameters: { resource: 'contact', operation: 'get', phone: '={{ $json.phone }}' },
		input: [{ json: { phone: '966500000099' } }],
		requests: 1,
		fails: true,
	},
	'Message → Delete': {
		parameters: { resource: 'message', operation: 'delete', messageId: '={{ $json.id }}' },
		input: async (sandboxEnv) =>
			(await twoSentMessages(sandboxEnv)).map((id) => ({ json: { id } })),
		requests: 2,
	},
	'Message → Delete, an ID that is not a number': {
		parameters: { resource: 'message', operation: 'delete', messageId: '={{ $json.id }}' },
		input: [{ json: { id: 'wamid.abc' } }],
		requests: 0,
		fails: true,
	},
	'Message → Delete Many': {
		parameters: { resource: 'message', operation: 'deleteMany', messageIds: '={{ $json.ids }}' },
		input: async (sandboxEnv) => {
			const [first, second] = await twoSentMessages(sandboxEnv);
			return [{ json: { ids: [first, 99999] } }, { json: { ids: String(second) } }];
		},
		requests: 2,
	},
	'Message → Delete Many, over 100 IDs': {
		parameters: { resource: 'message', operation: 'deleteMany', messageIds: '={{ $json.ids }}' },
		input: [{ json: { ids: Array.from({ length: 101 }, (_, index) => index + 1) } }],
		requests: 0,
		fails: true,
	},
	'Template → Get': {
		parameters: {
			resource: 'template',
			operation: 'get',
			template: { __rl: true, mode: 'name', value: '={{ $json.template }}' },
		},
		input: [{ json: { template: 'order_update|en' } }, { json: { template: 'welcome_offer|ar' } }],
		requests: 2,
	},
	'Template → Get, not simplified': {
		parameters: {
			resource: 'template',
			operation: 'get',
			template: { __rl: true, mode: 'list', value: 'welcome_offer|ar' },
			simplify: false,
		},
		input: twoItems,
		requests: 2,
	},
	'Template → Get, a name in several languages (a failure after the request)': {
		parameters: {
			resource: 'template',
			operation: 'get',
			template: { __rl: true, mode: 'name', value: 'welcome_offer' },
		},
		input: oneItem,
		requests: 1,
		fails: true,
	},
	'Template → Get Many, Return All': {
		parameters: { resource: 'template', operation: 'getAll', returnAll: true },
		input: twoItems,
		requests: 2,
	},
	'Template → Get Many, filtered, a Limit per item': {
		parameters: {
			resource: 'template',
			operation: 'getAll',
			status: 'any',
			filters: { language: 'en' },
			limit: '={{ $json.limit }}',
		},
		input: [{ json: { limit: 1 } }, { json: { limit: 3 } }],
		requests: 2,
	},
	'Template → Get Many, a bad language': {
		parameters: { resource: 'template', operation: 'getAll', filters: { language: 'English!' } },
		input: oneItem,
		requests: 0,
		fails: true,
	},
	'Agent → Create': {
		parameters: {
			resource: 'agent',
			operation: 'create',
			email: '={{ $json.email }}',
			agentName: '={{ $json.name }}',
			role: 'supervisor',
		},
		input: [
			{ json: { email: 'lina@example.com', name: 'Lina Support' } },
			{ json: { email: 'ali@example.com', name: 'Ali Sales' } },
		],
		requests: 2,
	},
	'Agent → Create, a bad email': {
		parameters: { resource: 'agent', operation: 'create', email: 'lina', agentName: 'Lina' },
		input: oneItem,
		requests: 0,
		fails: true,
	},
	'Agent → Get, by ID from items': {
		parameters: { resource: 'agent', operation: 'get', agentId: byExpression('={{ $json.id }}') },
		input: items(2, (index) => ({ id: index + 1 })),
		requests: 2,
	},
	'Agent → Get, from the list, not simplified': {
		parameters: {
			resource: 'agent',
			operation: 'get',
			agentId: { __rl: true, mode: 'list', value: String(SEED.agent.id) },
			simplify: false,
		},
		input: twoItems,
		requests: 2,
	},
	'Agent → Get, an ID that is not a number': {
		parameters: { resource: 'agent', operation: 'get', agentId: byExpression('={{ "sara" }}') },
		input: oneItem,
		requests: 0,
		fails: true,
	},
	'Agent → Get, an agent Azeer does not know': {
		parameters: { resource: 'agent', operation: 'get', agentId: byExpression('={{ $json.id }}') },
		input: [{ json: { id: 99 } }],
		requests: 1,
		fails: true,
	},
	'Agent → Get Many, Return All': {
		parameters: { resource: 'agent', operation: 'getAll', returnAll: true },
		input: twoItems,
		requests: 2,
	},
	'Agent → Get Many, Limit 1': {
		parameters: { resource: 'agent', operation: 'getAll', limit: 1 },
		input: twoItems,
		requests: 2,
	},
	'Agent → Get Many, Limit 0': {
		parameters: { resource: 'agent', operation: 'getAll', limit: 0 },
		input: oneItem,
		requests: 0,
		fails: true,
	},
	'Agent → Update': {
		parameters: {
			resource: 'agent',
			operation: 'update',
			agentId: byExpression('={{ $json.id }}'),
			updateFields: { displayName: '={{ $json.name }}', role: 'supervisor' },
		},
		input: [{ json: { id: 1, name: 'Sara A.' } }, { json: { id: 2, name: 'Omar A.' } }],
		requests: 2,
	},
	'Agent → Update, nothing to update': {
		parameters: { resource: 'agent', operation: 'update', agentId: byExpression('2') },
		input: oneItem,
		requests: 0,
		fails: true,
	},
	'Tag → Create, with its options': {
		parameters: {
			resource: 'tag',
			operation: 'create',
			tagName: '={{ $json.segment }}',
			tagOptions: { colour: '#123456', description: '={{ $json.segment + " buyers" }}' },
		},
		input: [{ json: { segment: 'Retail' } }, { json: { segment: 'Wholesale' } }],
		requests: 2,
	},
	'Tag → Create, one option': {
		parameters: {
			resource: 'tag',
			operation: 'create',
			tagName: '={{ $json.segment }}',
			tagOptions: { description: 'buyers' },
		},
		input: [{ json: { segment: 'Retail' } }, { json: { segment: 'Wholesale' } }],
		requests: 2,
	},
	'Tag → Create, a bad colour': {
		parameters: {
			resource: 'tag',
			operation: 'create',
			tagName: 'Retail',
			tagOptions: { colour: 'red' },
		},
		input: oneItem,
		requests: 0,
		fails: true,
	},
	'Tag → Create, a tag that exists (an API error)': {
		parameters: { resource: 'tag', operation: 'create', tagName: '={{ $json.segment }}' },
		input: [{ json: { segment: 'VIP' } }],
		requests: 1,
		fails: true,
	},
	'Tag → Get Many, Return All': {
		parameters: { resource: 'tag', operation: 'getAll', returnAll: true },
		input: twoItems,
		requests: 2,
	},
	'Tag → Get Many, Limit 1': {
		parameters: { resource: 'tag', operation: 'getAll', limit: 1 },
		input: twoItems,
		requests: 2,
	},
	'Custom Field → Get Many, chosen fields': {
		parameters: {
			resource: 'customField',
			operation: 'getAll',
			returnAll: true,
			customFieldFilters: { fieldIds: [3, 5] },
		},
		input: twoItems,
		requests: 2,
	},
	'Custom Field → Get Many, Limit 2': {
		parameters: { resource: 'customField', operation: 'getAll', limit: 2 },
		input: twoItems,
		requests: 2,
	},
	'Webhook → Create, Retry Failed Deliveries from items': {
		parameters: webhookFromItems,
		input: [
			{ json: { name: 'Orders', url: 'https://example.com/a', retry: true } },
			{ json: { name: 'Returns', url: 'https://example.com/b', retry: false } },
		],
		requests: 2,
	},
	'Webhook → Create, a URL that is not http(s)': {
		parameters: webhookFromItems,
		input: [{ json: { name: 'Orders', url: 'ftp://x', retry: true } }],
		requests: 0,
		fails: true,
	},
	'Webhook → Get': {
		parameters: {
			resource: 'webhook',
			operation: 'get',
			webhookId: byExpression('={{ $json.id }}'),
		},
		input: twoWebhooks,
		requests: 2,
	},
	'Webhook → Get, an ID that is not a number': {
		parameters: {
			resource: 'webhook',
			operation: 'get',
			webhookId: byExpression('={{ "seven" }}'),
		},
		input: oneItem,
		requests: 0,
		fails: true,
	},
	'Webhook → Get Many, Limit 1': {
		parameters: { resource: 'webhook', operation: 'getAll', limit: 1 },
		input: async (sandboxEnv) => await twoWebhooks(sandboxEnv),
		requests: 2,
	},
	'Webhook → Get Many, Return All': {
		parameters: { resource: 'webhook', operation: 'getAll', returnAll: true },
		input: async (sandboxEnv) => await twoWebhooks(sandboxEnv),
		requests: 2,
	},
	'Webhook → Delete': {
		parameters: {
			resource: 'webhook',
			operation: 'delete',
			webhookId: byExpression('={{ $json.id }}'),
		},
		input: twoWebhooks,
		requests: 2,
	},
	'User Session → Create': {
		parameters: session,
		input: [
			{ json: { id: '1234567890', name: 'John Doe' } },
			{ json: { id: '1234567891', name: 'Jane Doe' } },
		],
		requests: 2,
	},
	'User Session → Create, a business ID that is not a UUID': {
		parameters: { ...session, businessId: 'acme' },
		input: oneItem,
		requests: 0,
		fails: true,
	},
};

/** The two runs differ only in the sandbox's clock and in the session IDs it draws at random. */
const withoutSandboxDraws = (value: unknown): unknown =>
	JSON.parse(
		JSON.stringify(value)
			.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '(time)')
			.replace(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}/g, '(random UUID)'),
	);

/** Operations whose both-ways comparison lives with their own tests. */
const comparedElsewhere = (name: string) =>
	['contact.create', 'contact.addTags', 'contact.assign'].includes(name) || // resources/contact/
	name.startsWith('message.send'); // the sends: resources/message/common.test.cts

describe('perItemOperationOf: every operation both ways', () => {
	it.each(Object.entries(cases))('%s', async (_, { parameters, input, requests, fails }) => {
		const { pairedItems: routedPairs, ...routed } = await requestsAndOutputs(
			env,
			DECLARATIVE_AZEER_TYPE,
			parameters,
			input,
		);
		const { pairedItems, ...run } = await requestsAndOutputs(
			env,
			AZEER_NODE_TYPE,
			parameters,
			input,
		);
		expect(routed.requests).toHaveLength(requests);
		expect(routed.error === undefined).toBe(!fails);
		expect(withoutSandboxDraws(run)).toEqual(withoutSandboxDraws(routed));
		// Each output names the item it answers, in item order (routing pairs one-output items only).
		const pairedIndexes = pairedItems.map((paired) => (paired as { item: number }).item);
		expect(pairedIndexes).toEqual([...pairedIndexes].sort((a, b) => a - b));
		routedPairs.forEach((paired, index) => paired && expect(pairedItems[index]).toEqual(paired));
	});

	const node = new Azeer();
	const routedDescriptions = nodeOperations(node).filter(({ custom }) => !custom);

	it('leaves no operation to the routing engine: each one with a routing description runs item by item', () => {
		const notCustom = routedDescriptions.filter(
			({ resource, option }) => !node.customOperations[resource]?.[String(option.value)],
		);
		expect(notCustom.map(({ resource, option }) => `${resource}.${String(option.value)}`)).toEqual(
			[],
		);
	});

	it('compares every operation with a routing description both ways', () => {
		const compared = new Set(
			Object.values(cases).map(
				({ parameters }) => `${String(parameters.resource)}.${String(parameters.operation)}`,
			),
		);
		const names = routedDescriptions.map(
			({ resource, option }) => `${resource}.${String(option.value)}`,
		);
		expect(names.filter((name) => !compared.has(name) && !comparedElsewhere(name))).toEqual([]);
	});
});

describe("An operation built from its description keeps the run's guarantees", () => {
	const tags = (...names: string[]) => names.map((segment) => ({ json: { segment } }));
	const createTags = { resource: 'tag', operation: 'create', tagName: '={{ $json.segment }}' };
	const tagsRequested = () =>
		env
			.requests()
			.filter((request) => request.path === '/v1/tags')
			.map((request) => (request.body as { tag: string }).tag);

	it('checks every item before the first request: a bad last item sends nothing', async () => {
		const result = await env.run(createTags, { input: tags('Retail', 'Wholesale', ' ') });
		expect(result.error?.message).toBe('The tag name is empty [item 2]');
		expect(result.error?.description).toMatch(/all 3 items are checked before the first request/);
		expect(env.requests()).toEqual([]);
	});

	it('reads 1,000 items and lets other work run while it checks them (unlike the routing engine)', async () => {
		// An expression n8n evaluates for every item (the node reads a bare `$json.phone` itself), so
		// that the check lasts many of the node's 5 ms stretches on a fast machine too.
		const phone = '={{ String($json.phone) }}';
		const parameters = { resource: 'contact', operation: 'get', phone };
		const input = items(1000, () => ({ phone: SEED.contactPhone }));
		const routed = await turnsBeforeFirstRequest(env, DECLARATIVE_AZEER_TYPE, parameters, input);
		expect(routed.result.items).toHaveLength(1000);
		env.sandbox.reset();
		const run = await turnsBeforeFirstRequest(env, AZEER_NODE_TYPE, parameters, input);
		expect(run.result.items.map((item) => item.pairedItem)).toEqual(
			[...Array(1000).keys()].map((item) => ({ item })),
		);
		expect(env.requests()).toHaveLength(1000);
		expect(run.turns).toBeGreaterThan(routed.turns + 2);
	}, 60_000);

	it('with On Error → Continue (using error output): the failed read alone on the error output', async () => {
		const result = await env.run(
			{ resource: 'agent', operation: 'get', agentId: byExpression('={{ $json.id }}') },
			{ input: items(3, (index) => ({ id: [1, 99, 2][index] })), onError: 'continueErrorOutput' },
		);
		expect(result.error).toBeUndefined();
		const [success, failed] = result.outputs;
		expect(success.map((item) => [item.json.id, item.pairedItem])).toEqual([
			[1, { item: 0 }],
			[2, { item: 2 }],
		]);
		expect(failed).toHaveLength(1);
		expect(failed[0]).toMatchObject({ pairedItem: { item: 1 } });
		expect(failed[0].json.error).toMatch(/Agent 99/);
	});

	it('with Retry On Fail: the retry creates only the tags not created, each once', async () => {
		env.sandbox.fault({ kind: '500', count: 1, path: '/tags', after: 1 });
		const result = await env.run(createTags, {
			input: tags('Retail', 'Wholesale', 'Online'),
			retryOnFail: { maxTries: 2, waitBetweenTries: 0 },
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.json.tag, item.pairedItem])).toEqual([
			['Retail', { item: 0 }],
			['Wholesale', { item: 1 }],
			['Online', { item: 2 }],
		]);
		// Wholesale twice (the 500, then the retry), every other tag once.
		expect(tagsRequested().sort()).toEqual(['Online', 'Retail', 'Wholesale', 'Wholesale']);
		// n8n reports the failed first try to its error tracker; the retry succeeded.
		expect(expectLogged('error', 'items were sent before item 1 failed')).toHaveLength(1);
	});
});
