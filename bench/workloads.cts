/**
 * The workloads the benchmark measures. Each runs n8n's real engine (the test harness) against
 * a sandbox reached over loopback HTTP; the sandbox runs in its own process (bench/run.cts).
 */
import { execFileSync } from 'node:child_process';
import Module from 'node:module';
import path from 'node:path';

import { NodeConnectionTypes } from 'n8n-workflow';
import type { INodeExecutionData, INodeParameters, INodeProperties, INodeType } from 'n8n-workflow';

import { Azeer } from '../nodes/Azeer/Azeer.node';
import { CREDENTIAL_TYPE } from '../nodes/shared/credential';
import { AZEER_NODE_TYPE, runNode, TestNodeTypes } from '../test/harness/engine.cjs';
import type { NodeRunResult } from '../test/harness/engine.cjs';

export const BENCH_DIR = __dirname;
export const RECIPIENT = '966544351828';
export const SANDBOX_KEY = 'sandbox-rw-key';

const HTTP_REQUEST_TYPE = 'n8n-nodes-base.httpRequest';
const DECLARATIVE_FLOOR_TYPE = 'bench.declarativeFloor';
const HTTP_REQUEST_VERSION = 4.2;

/**
 * n8n's HTTP Request node comes from bench/node_modules (n8n-nodes-base 2.40.2, the same n8n line
 * as our n8n-core). Its `require('n8n-workflow')` is pointed at the project's copy, as in n8n
 * itself, where every node shares the host's n8n-workflow (errors are checked with instanceof).
 */
function loadHttpRequestNode(): INodeType {
	const projectWorkflow = require.resolve('n8n-workflow');
	const moduleWithResolver = Module as unknown as {
		_resolveFilename: (request: string, ...rest: unknown[]) => string;
	};
	const resolve = moduleWithResolver._resolveFilename;
	moduleWithResolver._resolveFilename = function (request: string, ...rest: unknown[]) {
		return request === 'n8n-workflow' ? projectWorkflow : resolve.call(this, request, ...rest);
	};
	const file = path.join(
		BENCH_DIR,
		'node_modules/n8n-nodes-base/dist/nodes/HttpRequest/HttpRequest.node.js',
	);
	const { HttpRequest } = require(file) as {
		HttpRequest: new () => { nodeVersions: Record<number, INodeType> };
	};
	return new HttpRequest().nodeVersions[HTTP_REQUEST_VERSION];
}

/**
 * A bench reference: a declarative node with the Azeer node's credential and base URL and only
 * the given routed parameters, so that the routing engine's own cost shows apart from ours.
 */
export function referenceNode(displayName: string, properties: INodeProperties[]): INodeType {
	return {
		description: {
			displayName,
			name: displayName[0].toLowerCase() + displayName.slice(1).replace(/ /g, ''),
			group: ['output'],
			version: 1,
			description: 'Bench reference',
			defaults: { name: displayName },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: CREDENTIAL_TYPE, required: true }],
			requestDefaults: new Azeer().description.requestDefaults,
			properties,
		},
	};
}

/**
 * The least a declarative node can be for this request: two routed parameters, no validation, no
 * error handling. It tells the routing engine's own per-item cost apart from the Azeer node's.
 */
const declarativeFloor = referenceNode('Declarative Floor', [
	{
		displayName: 'To',
		name: 'to',
		type: 'string',
		default: '',
		routing: {
			request: { method: 'POST', url: '/message/send', body: { type: 'text' } },
			send: { type: 'body', property: 'to' },
		},
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		default: '',
		routing: { send: { type: 'body', property: 'text.body' } },
	},
]);

/**
 * Runs a bench script in a fresh Node process (so its peak RSS is its own, with `gc` exposed)
 * and returns the JSON of the last line it prints.
 */
export function runIsolated<T>(script: string, args: string[]): T {
	const output = execFileSync(
		process.execPath,
		['--expose-gc', '--import', 'tsx', path.join(BENCH_DIR, script), ...args],
		{
			cwd: path.resolve(BENCH_DIR, '..'),
			encoding: 'utf8',
			env: process.env,
			stdio: ['ignore', 'pipe', 'inherit'],
			maxBuffer: 16 * 1024 * 1024,
		},
	);
	return JSON.parse(output.trim().split('\n').pop() ?? '{}') as T;
}

export const nodeTypes = new TestNodeTypes()
	.register(AZEER_NODE_TYPE, new Azeer())
	.register(HTTP_REQUEST_TYPE, loadHttpRequestNode())
	.register(DECLARATIVE_FLOOR_TYPE, declarativeFloor);

export function textItems(count: number): INodeExecutionData[] {
	return Array.from({ length: count }, (_, index) => ({
		json: { to: RECIPIENT, text: `Order ${index} is on its way` },
	}));
}

function credentials(baseUrl: string) {
	return { azeerApi: { apiKey: SANDBOX_KEY, baseUrl } };
}

function expectSuccess(result: NodeRunResult, count: number, what: string): void {
	if (result.error) throw new Error(`${what}: ${result.error.message}`);
	if (result.items.length !== count)
		throw new Error(`${what}: ${result.items.length} items out of ${count}`);
}

/** Send Text through the Azeer node, one message per input item. */
export async function sendWithAzeer(
	baseUrl: string,
	items: INodeExecutionData[],
	extra: INodeParameters = {},
): Promise<void> {
	const parameters: INodeParameters = {
		resource: 'message',
		operation: 'sendText',
		to: '={{ $json.to }}',
		text: '={{ $json.text }}',
		...extra,
	};
	const result = await runNode({
		nodeTypes,
		type: AZEER_NODE_TYPE,
		parameters,
		input: items,
		credentials: credentials(baseUrl),
	});
	expectSuccess(result, items.length, 'Azeer Send Text');
}

/** n8n's own Request Options → Batching, which every declarative node has: 50 items, then 5 ms. */
export const BATCHING = { batchSize: 50, batchInterval: 5 };

export async function sendWithAzeerBatched(
	baseUrl: string,
	items: INodeExecutionData[],
): Promise<void> {
	await sendWithAzeer(baseUrl, items, { requestOptions: { batching: { batch: BATCHING } } });
}

/** The same requests through the least declarative node (see declarativeFloor). */
export async function sendWithDeclarativeFloor(
	baseUrl: string,
	items: INodeExecutionData[],
): Promise<void> {
	const parameters: INodeParameters = { to: '={{ $json.to }}', text: '={{ $json.text }}' };
	const result = await runNode({
		nodeTypes,
		type: DECLARATIVE_FLOOR_TYPE,
		parameters,
		input: items,
		credentials: credentials(baseUrl),
	});
	expectSuccess(result, items.length, 'declarative floor');
}

/** The same requests through n8n's HTTP Request node, authenticated with the same credential. */
export async function sendWithHttpRequest(
	baseUrl: string,
	items: INodeExecutionData[],
): Promise<void> {
	const parameters: INodeParameters = {
		method: 'POST',
		url: `${baseUrl}/message/send`,
		authentication: 'predefinedCredentialType',
		nodeCredentialType: 'azeerApi',
		sendBody: true,
		contentType: 'json',
		specifyBody: 'json',
		jsonBody: '={{ JSON.stringify({ to: $json.to, type: "text", text: { body: $json.text } }) }}',
		options: {},
	};
	const result = await runNode({
		nodeTypes,
		type: HTTP_REQUEST_TYPE,
		typeVersion: HTTP_REQUEST_VERSION,
		parameters,
		input: items,
		credentials: credentials(baseUrl),
	});
	expectSuccess(result, items.length, 'HTTP Request');
}

/** The floor: the same requests with a bare fetch, no engine. */
export async function sendWithFetch(baseUrl: string, items: INodeExecutionData[]): Promise<void> {
	const responses = await Promise.all(
		items.map(async ({ json }) => {
			const response = await fetch(`${baseUrl}/message/send`, {
				method: 'POST',
				headers: {
					authorization: `Bearer ${SANDBOX_KEY}`,
					'content-type': 'application/json',
					accept: 'application/json',
				},
				body: JSON.stringify({ to: json.to, type: 'text', text: { body: json.text } }),
			});
			await response.json();
			return response.status;
		}),
	);
	const failed = responses.filter((status) => status !== 200).length;
	if (failed) throw new Error(`fetch: ${failed} requests failed`);
}

function contactItems(count: number, offset: number): INodeExecutionData[] {
	return Array.from({ length: count }, (_, index) => ({
		json: {
			phone: `9665${String(offset + index).padStart(8, '0')}`,
			name: `Contact ${offset + index}`,
		},
	}));
}

const contactParameters = {
	resource: 'contact',
	phone: '={{ $json.phone }}',
	contactName: '={{ $json.name }}',
	countryCode: 'SA',
};

/** Contact → Create Many (one request per batch of the mode) or Contact → Create (one per item). */
export async function createContacts(
	baseUrl: string,
	count: number,
	offset: number,
	operation: { operation: 'createMany'; mode: 'async' | 'sync' } | { operation: 'create' },
): Promise<void> {
	const result = await runNode({
		nodeTypes,
		type: AZEER_NODE_TYPE,
		parameters: { ...contactParameters, ...operation },
		input: contactItems(count, offset),
		credentials: credentials(baseUrl),
	});
	expectSuccess(result, count, `Contact ${operation.operation}`);
}

/** What bench/memory.cts can run in its own process, by name. */
export const MEMORY_WORKLOADS = {
	azeer: (baseUrl: string, items: INodeExecutionData[]) => sendWithAzeer(baseUrl, items),
	azeerBatched: sendWithAzeerBatched,
	floor: sendWithDeclarativeFloor,
	http: sendWithHttpRequest,
	fetch: sendWithFetch,
};
