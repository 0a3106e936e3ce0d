/**
 * Shared set-up for the Azeer node's tests: one sandbox per test file (reset before each test),
 * the node registered on the engine harness, and helpers to run it and read what the API got.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { Azeer } from '../../../nodes/Azeer/Azeer.node';
import { startSandbox } from '../../../sandbox';
import type { LoggedRequest, Sandbox } from '../../../sandbox';
import { AZEER_NODE_TYPE, runNode, TestNodeTypes } from '../../harness/engine';
import type { NodeRunResult, RunNodeOptions } from '../../harness/engine';

export const nodeTypes = new TestNodeTypes().register(AZEER_NODE_TYPE, new Azeer());

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

export type RunOptions = Pick<RunNodeOptions, 'input' | 'continueOnFail' | 'onError' | 'retryOnFail'> & { apiKey?: string };

/** Starts a sandbox for the test file and resets it before every test. */
export function useSandbox(): AzeerTestEnv {
	const env = {} as AzeerTestEnv;
	beforeAll(async () => {
		env.sandbox = await startSandbox({ statusDelayMs: -1, retryDelaysMs: [10] });
	});
	afterAll(async () => await env.sandbox.stop());
	beforeEach(() => env.sandbox.reset());
	env.run = async (parameters, options = {}) =>
		await runNode({
			nodeTypes,
			type: AZEER_NODE_TYPE,
			parameters,
			input: options.input,
			continueOnFail: options.continueOnFail,
			onError: options.onError,
			retryOnFail: options.retryOnFail,
			credentials: { azeerApi: { apiKey: options.apiKey ?? env.sandbox.apiKey, baseUrl: env.sandbox.baseUrl } },
		});
	env.requests = () => env.sandbox.requests();
	env.json = (result) => result.items.map((item) => item.json);
	return env;
}

/** Opens the 24-hour window of a number (an inbound message), then forgets that request. */
export function openSession(env: AzeerTestEnv, phone: string) {
	env.sandbox.inbound({ from: phone, name: 'Test Contact', text: 'hi' });
	env.sandbox.clearRequests();
}

export const items = (count: number, json: (index: number) => IDataObject = () => ({})) =>
	Array.from({ length: count }, (_, index) => ({ json: json(index) }));

/** What every test expects of the single request an operation makes. */
export function expectOneRequest(env: AzeerTestEnv, expected: Partial<Pick<LoggedRequest, 'method' | 'path' | 'query' | 'body'>>) {
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
export function expectRejectedBeforeRequest(env: AzeerTestEnv, result: NodeRunResult, message: RegExp, itemIndex = 0) {
	expect(result.error).toBeDefined();
	expect(result.error?.message).toMatch(message);
	expect(result.error?.message).toContain(`[item ${itemIndex}]`);
	expect(result.error?.context?.itemIndex).toBe(itemIndex);
	expect(env.requests()).toEqual([]);
}
