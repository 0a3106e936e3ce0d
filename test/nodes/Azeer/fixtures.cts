/**
 * Shared set-up for the Azeer node's tests: one sandbox per test file (reset before each test),
 * the node registered on the engine harness, and helpers to run it and read what the API got.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { Azeer } from '../../../nodes/Azeer/Azeer.node';
import { startSandbox } from '../../../sandbox/index.cjs';
import type { LoggedRequest, Sandbox } from '../../../sandbox/index.cjs';
import { AZEER_NODE_TYPE, runNode, TestNodeTypes } from '../../harness/engine.cjs';
import type { NodeRunResult, RunNodeOptions } from '../../harness/engine.cjs';

export const nodeTypes = new TestNodeTypes().register(AZEER_NODE_TYPE, new Azeer());

/**
 * The Azeer node with the operations it runs item by item left to n8n's routing engine, as their
 * descriptions route them (Create Many has no routing of its own).
 */
export const DECLARATIVE_AZEER_TYPE = 'n8n-nodes-azeer.azeerDeclarative';
const declarativeAzeer = new Azeer();
declarativeAzeer.customOperations = {
	contact: { createMany: declarativeAzeer.customOperations.contact.createMany },
};
nodeTypes.register(DECLARATIVE_AZEER_TYPE, declarativeAzeer);

/** The seeded contact (an existing platform_id) and agents of the sandbox. */
export const SEED = {
	contactPhone: '966511111111',
	agent: { id: 1, email: 'sara@example.com' },
	tagIds: [1, 2],
};

export interface AzeerTestEnv {
	sandbox: Sandbox;
	run(parameters: INodeParameters, options?: RunOptions): Promise<NodeRunResult>;
	/** The API requests the sandbox received since the last reset (control API excluded). */
	requests(): LoggedRequest[];
	json(result: NodeRunResult): IDataObject[];
}

export type RunOptions = Pick<
	RunNodeOptions,
	'input' | 'continueOnFail' | 'onError' | 'retryOnFail'
> & {
	apiKey?: string;
	baseUrl?: string;
};

/**
 * Starts a sandbox for the test file and resets it before every test. `perTest`: a new sandbox
 * for every test instead (a new base URL, so the node's account pacer starts afresh too).
 */
export function useSandbox(options: { perTest?: boolean } = {}): AzeerTestEnv {
	const env = {} as AzeerTestEnv;
	const start = async () => {
		env.sandbox = await startSandbox({ statusDelayMs: -1, retryDelaysMs: [10] });
	};
	const stop = async () => await env.sandbox.stop();
	if (options.perTest) {
		beforeEach(start);
		afterEach(stop);
	} else {
		beforeAll(start);
		afterAll(stop);
		beforeEach(() => env.sandbox.reset());
	}
	env.run = async (parameters, options = {}) =>
		await runNode({
			nodeTypes,
			type: AZEER_NODE_TYPE,
			parameters,
			input: options.input,
			continueOnFail: options.continueOnFail,
			onError: options.onError,
			retryOnFail: options.retryOnFail,
			credentials: {
				azeerApi: {
					apiKey: options.apiKey ?? env.sandbox.apiKey,
					baseUrl: options.baseUrl ?? env.sandbox.baseUrl,
				},
			},
		});
	env.requests = () => env.sandbox.requests();
	env.json = (result) => result.items.map((item) => item.json);
	return env;
}

/** A resource locator set to "By ID". */
export const byId = (id: number | string) => ({ __rl: true, mode: 'id', value: String(id) });

/** The number the message tests send to, as the API gets it (they give it as +966 54 435 1828). */
export const MESSAGE_PHONE = '966544351828';

/**
 * A sandbox for one file of message tests (see useSandbox), with the message sends: run one, and
 * what the API and the output should show. `windowOpen`: MESSAGE_PHONE's 24-hour window is
 * opened before each test.
 */
export function useMessageSandbox(options: { windowOpen?: boolean } = {}) {
	const env = useSandbox();
	if (options.windowOpen) beforeEach(() => openSession(env, MESSAGE_PHONE));
	const send = (operation: string, parameters: Record<string, unknown> = {}) =>
		env.run({ resource: 'message', operation, to: '+966 54 435 1828', ...parameters } as never);
	const sendBody = (type: string, content: Record<string, unknown>) => ({
		recipient_type: 'individual',
		type,
		to: MESSAGE_PHONE,
		...content,
	});
	function expectSent(result: NodeRunResult, type: string) {
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({ to: MESSAGE_PHONE, type, status: 'sent' });
		expect(result.items[0].json.message_id).toEqual(expect.any(Number));
	}
	return { env, send, sendBody, expectSent };
}

/** Contact fields read from each input item's phone and name, for Create and Create Many. */
export const contactParameters = {
	phone: '={{ $json.phone }}',
	contactName: '={{ $json.name }}',
	countryCode: 'SA',
};

/** A contact as the API should get it from `contactParameters`. */
export const contactIn = (phone: string, name: string) => ({
	platform_id: phone,
	platform: 'whatsapp',
	profile_name: name,
	profile_display_name: name,
	country_code: 'SA',
});

/** Creates the webhook the Webhook tests read and delete (ID 1 after a reset). */
export async function createWebhook(env: AzeerTestEnv) {
	return await env.run({
		resource: 'webhook',
		operation: 'create',
		name: 'Orders',
		url: 'http://127.0.0.1:9/hook',
		event: 'incoming_msg',
		securetoken: 'token-1234567890',
		retry: false,
		description: 'orders flow',
	});
}

/** The webhook of createWebhook exists; its creation is forgotten from the request log. */
export async function withWebhook(env: AzeerTestEnv) {
	await createWebhook(env);
	env.sandbox.clearRequests();
}

/** Opens the 24-hour window of a number (an inbound message), then forgets that request. */
export function openSession(env: AzeerTestEnv, phone: string) {
	env.sandbox.inbound({ from: phone, name: 'Test Contact', text: 'hi' });
	env.sandbox.clearRequests();
}

export const items = (count: number, json: (index: number) => IDataObject = () => ({})) =>
	Array.from({ length: count }, (_, index) => ({ json: json(index) }));

/** What every test expects of the single request an operation makes. */
export function expectOneRequest(
	env: AzeerTestEnv,
	expected: Partial<Pick<LoggedRequest, 'method' | 'path' | 'query' | 'body'>>,
) {
	const received = env.requests();
	expect(received).toHaveLength(1);
	const [request] = received;
	expect(request.headers.authorization).toBe(`Bearer ${env.sandbox.apiKey}`);
	if (expected.method) expect(request.method).toBe(expected.method);
	if (expected.path) expect(request.path).toBe(expected.path);
	if (expected.query) expect(request.query).toEqual(expected.query);
	if ('body' in expected) expect(request.body).toEqual(expected.body);
	return request;
}

/** A run stopped by input validation: NodeOperationError-style message, the item named, nothing sent. */
export function expectRejectedBeforeRequest(
	env: AzeerTestEnv,
	result: NodeRunResult,
	message: RegExp,
	itemIndex = 0,
) {
	expect(result.error).toBeDefined();
	expect(result.error?.message).toMatch(message);
	expect(result.error?.message).toContain(`[item ${itemIndex}]`);
	expect(result.error?.context?.itemIndex).toBe(itemIndex);
	expect(env.requests()).toEqual([]);
}

/** The Azeer node of the template-broadcast example, as users import it. */
export const BROADCAST_PARAMETERS: INodeParameters = (
	JSON.parse(
		readFileSync(join(__dirname, '../../../examples/template-broadcast.json'), 'utf8'),
	) as { nodes: Array<{ type: string; parameters: INodeParameters }> }
).nodes.find((node) => node.type === AZEER_NODE_TYPE)!.parameters;

/** The example's broadcast list for `count` new contacts: 966501000000, 966501000001, ... */
export const broadcastItems = (count: number) =>
	items(count, (index) => ({
		phone: String(966501000000 + index),
		name: `Customer ${index}`,
		orderId: `A-${index}`,
		status: 'shipped',
	}));

/** The recipients of the message sends the sandbox accepted, in the order it accepted them. */
export const acceptedSends = (env: AzeerTestEnv) =>
	env
		.requests()
		.filter((request) => request.path === '/v1/message/send' && request.status === 200)
		.map((request) => (request.body as IDataObject).to as string);

/** Input items, or a set-up on the freshly reset sandbox that returns them (its requests not counted). */
export type BothWaysInput =
	INodeExecutionData[] | ((env: AzeerTestEnv) => Promise<INodeExecutionData[]>);

/**
 * What the sandbox received, and what the node output, for one run of `type` (the node, or the
 * node through the routing engine: DECLARATIVE_AZEER_TYPE), for the both-ways comparisons.
 */
export async function requestsAndOutputs(
	env: AzeerTestEnv,
	type: string,
	parameters: INodeParameters,
	input: BothWaysInput,
) {
	env.sandbox.reset();
	const items = typeof input === 'function' ? await input(env) : input;
	env.sandbox.clearRequests();
	const result = await runNode({
		nodeTypes,
		type,
		parameters,
		input: items,
		credentials: { azeerApi: { apiKey: env.sandbox.apiKey, baseUrl: env.sandbox.baseUrl } },
	});
	const requests = env.requests().map(({ method, path, query, body, headers }) => ({
		method,
		path,
		query,
		body,
		authorization: headers.authorization,
		contentType: headers['content-type'],
	}));
	const outputs = result.items.map((item) => item.json);
	const pairedItems = result.items.map((item) => item.pairedItem);
	return { error: result.error?.message, requests, outputs, pairedItems };
}

/**
 * Runs node `type` over `input` and counts the event-loop turns other work got before its first
 * request reached the sandbox (n8n's webhooks and editor need such turns).
 */
export async function turnsBeforeFirstRequest(
	env: AzeerTestEnv,
	type: string,
	parameters: INodeParameters,
	input: INodeExecutionData[],
) {
	const turns: number[] = [];
	let probing = true;
	const probe = () => {
		turns.push(Date.now());
		if (probing) setImmediate(probe);
	};
	setImmediate(probe);
	const result = await runNode({
		nodeTypes,
		type,
		parameters,
		input,
		credentials: { azeerApi: { apiKey: env.sandbox.apiKey, baseUrl: env.sandbox.baseUrl } },
	});
	probing = false;
	const firstRequestAt = Date.parse(env.requests()[0].at);
	return { result, turns: turns.filter((at) => at < firstRequestAt).length };
}
