/**
 * Test helpers for the sandbox: real HTTP calls over 127.0.0.1 whose answers are checked
 * against the contract's response schemas, and a webhook receiver that records deliveries.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { startSandbox } from '../../sandbox/index.cjs';
import type { Sandbox, SandboxOptions } from '../../sandbox/index.cjs';
import { loadContract } from '../../sandbox/contract.cjs';

export const contract = loadContract();

export interface CallOptions {
	body?: unknown;
	/** Sent verbatim instead of JSON.stringify(body). */
	rawBody?: string;
	query?: Record<string, string>;
	/** API key; default the sandbox's read-write key; null = no Authorization header. */
	key?: string | null;
}

export interface CallResult {
	status: number;
	headers: Headers;
	body: any;
	/** Contract problems of this answer (empty = the answer matches the contract). */
	contractProblems: string[];
}

/** Calls the sandbox API and validates the answer against the contract operation it matched. */
export async function call(
	sandbox: Sandbox,
	method: string,
	path: string,
	options: CallOptions = {},
): Promise<CallResult> {
	const url = new URL(sandbox.baseUrl + path);
	for (const [name, value] of Object.entries(options.query ?? {}))
		url.searchParams.set(name, value);
	const key = options.key === undefined ? sandbox.apiKey : options.key;
	const headers: Record<string, string> = { accept: 'application/json' };
	if (key !== null) headers.authorization = `Bearer ${key}`;
	let body: string | undefined = options.rawBody;
	if (body === undefined && options.body !== undefined) body = JSON.stringify(options.body);
	if (body !== undefined) headers['content-type'] = 'application/json';
	const response = await fetch(url, { method, headers, body });
	const text = await response.text();
	const parsed = text ? JSON.parse(text) : undefined;
	const { operation } = contract.match(method, path.split('?')[0]);
	const contractProblems = operation
		? contract.validateResponse(operation, response.status, parsed)
		: ['no contract operation'];
	return { status: response.status, headers: response.headers, body: parsed, contractProblems };
}

/** Like `call`, but fails the test when the answer does not match the contract. */
export async function callOk(
	sandbox: Sandbox,
	method: string,
	path: string,
	options: CallOptions = {},
): Promise<CallResult> {
	const result = await call(sandbox, method, path, options);
	expect({ status: result.status, problems: result.contractProblems }).toEqual({
		status: result.status,
		problems: [],
	});
	return result;
}

export interface ReceivedDelivery {
	path: string;
	headers: IncomingHttpHeaders;
	rawBody: string;
	body: any;
}

/** A local webhook receiver; `answer` decides the status per delivery (default 200). */
export class WebhookReceiver {
	readonly received: ReceivedDelivery[] = [];
	url = '';
	answer: (delivery: ReceivedDelivery, index: number) => number = () => 200;
	private server?: Server;

	async start(): Promise<this> {
		this.server = createServer((req, res: ServerResponse) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				const rawBody = Buffer.concat(chunks).toString('utf8');
				const delivery = {
					path: req.url ?? '',
					headers: req.headers,
					rawBody,
					body: JSON.parse(rawBody),
				};
				this.received.push(delivery);
				res.writeHead(this.answer(delivery, this.received.length - 1)).end();
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
		return this;
	}

	async stop(): Promise<void> {
		await new Promise((resolve) => this.server?.close(resolve));
	}
}

/** Registers a webhook for `event` pointing at the receiver. */
export async function registerWebhook(
	sandbox: Sandbox,
	receiver: WebhookReceiver,
	event: string,
	extra: Record<string, unknown> = {},
) {
	const result = await callOk(sandbox, 'POST', '/webhook', {
		body: {
			name: `hook-${event}`,
			description: 'test',
			url: receiver.url,
			event,
			securetoken: `token-${event}`,
			policy: 'retry',
			enabled: true,
			...extra,
		},
	});
	expect(result.status).toBe(200);
	return result.body.data as { id: number };
}

export const TEMPLATE_ORDER_UPDATE = {
	template_id: 'order_update',
	language: 'en',
	argument: { HEADER: ['A-17'], BODY: ['Sam', 'shipped'], BUTTONS: ['A-17'] },
};

/**
 * Starts one sandbox for the describe block (handed to `use`), resets it before each test and
 * stops it after; with a receiver, starts it too and forgets what it received before each test.
 */
export function useSandbox(
	options: SandboxOptions,
	use: (sandbox: Sandbox) => void,
	receiver?: WebhookReceiver,
): void {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox(options);
		use(sandbox);
		await receiver?.start();
	});
	afterAll(async () => {
		await sandbox.stop();
		await receiver?.stop();
	});
	beforeEach(() => {
		sandbox.reset();
		if (receiver) {
			receiver.received.length = 0;
			receiver.answer = () => 200;
		}
	});
}
