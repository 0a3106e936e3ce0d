/**
 * The sandbox HTTP server: the Azeer API under /v1 (auth → faults → contract validation →
 * stateful handler), the control API under /__sandbox, media samples under /media and the chat
 * page under /chat. `AzeerSandbox` is also the programmatic handle tests use.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

import { createHandlers } from './api.cjs';
import type { ApiHandler } from './api.cjs';
import { loadContract } from './contract.cjs';
import type { Contract } from './contract.cjs';
import { handleControl } from './control.cjs';
import { Deliverer, DEFAULT_RETRY_DELAYS_MS } from './deliveries.cjs';
import type { DeliveryAttempt } from './deliveries.cjs';
import {
	lowerCaseHeaders,
	parseJsonBody,
	queryObject,
	readBody,
	sendBytes,
	sendJson,
} from './http.cjs';
import { handleLlm, LLM_PATH } from './llm.cjs';
import type { ChatRequest } from './llm.cjs';
import { mediaFile } from './media.cjs';
import { loadState, StateFile } from './persistence.cjs';
import type { LoadedState } from './persistence.cjs';
import { BUSINESS_NUMBER } from './state.cjs';
import type { MessageStatus, StateData, StoredMessage, StoredWebhook } from './state.cjs';
import { NO_RATE_LIMITS, Throttle } from './throttle.cjs';
import type { RateLimits, ThrottleCounts } from './throttle.cjs';
import { ApiError, World } from './world.cjs';
import type { EmittedEvent, InboundInput } from './world.cjs';

export const DEFAULT_KEYS = { readWrite: ['sandbox-rw-key'], readOnly: ['sandbox-ro-key'] };
export const CHAT_DIR = join(__dirname, 'chat');

export interface SandboxOptions {
	/** 0 (default) picks a free port. */
	port?: number;
	/** Only loopback addresses are accepted; default 127.0.0.1. */
	host?: string;
	keys?: { readWrite?: string[]; readOnly?: string[] };
	/**
	 * Keep state in this JSON file: read at start; changes are appended to `<file>.journal` in
	 * batches, folded into the file as the journal grows and on stop (see persistence.ts).
	 */
	stateFile?: string;
	/** Delays between delivery retries for policy "retry"; default [1000, 2000, 4000]. */
	retryDelaysMs?: number[];
	/** Delay of each automatic status step (sent → delivered → read); negative = only on request. Default 300. */
	statusDelayMs?: number;
	/** Length of the customer-service window opened by an inbound message; default 24. */
	sessionWindowHours?: number;
	/** Active agents allowed before POST /agent answers 402; default 10. */
	agentSeats?: number;
	/** The business's own WhatsApp number; default 966500000000. */
	businessNumber?: string;
	/** Rate limits of message sends (see throttle.cts); default none. `npm start` turns them on. */
	rateLimits?: Partial<RateLimits>;
}

export type FaultKind = '429' | '500' | '503' | 'slow' | 'malformed' | 'drop';

export interface FaultSpec {
	kind: FaultKind;
	/** How many matching requests get the fault; default 1. */
	count?: number;
	method?: string;
	/** Prefix of the API path, relative to /v1 (`/message`) or absolute (`/v1/message`). */
	path?: string;
	/** Seconds for the Retry-After header of a 429; default 1. */
	retryAfter?: number;
	/** Delay of a "slow" fault before the normal answer; default 2000. */
	delayMs?: number;
	/** How many matching requests pass normally before the fault starts; default 0. */
	after?: number;
}

export interface LoggedRequest {
	method: string;
	/** As received, e.g. /v1/message/send */
	path: string;
	query: Record<string, string>;
	/** Lower-case names, authorization included. */
	headers: Record<string, string>;
	/** Parsed JSON, the raw text when it was not JSON, or null without a body. */
	body: unknown;
	/** HTTP status answered; null when the connection was dropped on purpose. */
	status: number | null;
	operationId: string | null;
	fault: FaultKind | null;
	at: string;
}

const CHAT_TYPES: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
};

function isLoopback(host: string): boolean {
	return host === '127.0.0.1' || host === '::1' || host === 'localhost' || /^127\./.test(host);
}

function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

export class AzeerSandbox {
	origin = '';
	baseUrl = '';
	chatUrl = '';
	readonly keys: { readWrite: string[]; readOnly: string[] };
	readonly contract: Contract;
	readonly world: World;
	private readonly deliverer: Deliverer;
	private readonly handlers: Record<string, ApiHandler>;
	private readonly requestLog: LoggedRequest[] = [];
	/** What the scripted model under /__llm received (see llm.cts). */
	readonly llmRequests: ChatRequest[] = [];
	private faultQueue: Array<Required<Pick<FaultSpec, 'kind' | 'count'>> & FaultSpec> = [];
	private readonly server: Server;
	private readonly sockets = new Set<Socket>();
	private readonly throttle: Throttle;
	private readonly stateFile?: StateFile;
	/** What was read from the state file at start; undefined without one or when it did not exist yet. */
	readonly loadedState?: Omit<LoadedState, 'data'>;

	constructor(private readonly options: SandboxOptions = {}) {
		this.keys = {
			readWrite: options.keys?.readWrite ?? DEFAULT_KEYS.readWrite,
			readOnly: options.keys?.readOnly ?? DEFAULT_KEYS.readOnly,
		};
		this.contract = loadContract();
		this.deliverer = new Deliverer(options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS);
		const loaded = options.stateFile ? loadState(options.stateFile) : undefined;
		if (loaded) {
			const { data: _data, ...facts } = loaded;
			this.loadedState = facts;
		}
		this.world = new World(
			this.deliverer,
			{
				sessionWindowHours: options.sessionWindowHours ?? 24,
				statusDelayMs: options.statusDelayMs ?? 300,
				businessNumber: options.businessNumber ?? BUSINESS_NUMBER,
				mediaUrl: () => `${this.origin}/media`,
				onChange: (change) => this.stateFile?.record(change),
			},
			loaded?.data,
		);
		if (options.stateFile)
			this.stateFile = new StateFile(options.stateFile, () => this.world.data, loaded);
		this.handlers = createHandlers(options.agentSeats ?? 10);
		this.throttle = new Throttle({ ...NO_RATE_LIMITS, ...options.rateLimits });
		this.server = createServer((req, res) => {
			this.route(req, res).catch((error: Error) => {
				if (!res.headersSent)
					sendJson(res, 500, new ApiError(500, 'internal_error', error.message).toBody());
			});
		});
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
	}

	/** The first read-write key (what a test credential usually needs). */
	get apiKey(): string {
		return this.keys.readWrite[0];
	}

	get readOnlyKey(): string {
		return this.keys.readOnly[0];
	}

	async listen(): Promise<this> {
		const host = this.options.host ?? '127.0.0.1';
		if (!isLoopback(host))
			throw new Error(`The sandbox listens on loopback only (got host ${host})`);
		await new Promise<void>((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(this.options.port ?? 0, host, () => resolve());
		});
		const { port } = this.server.address() as AddressInfo;
		this.origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
		this.baseUrl = `${this.origin}/v1`;
		this.chatUrl = `${this.origin}/chat`;
		return this;
	}

	async stop(): Promise<void> {
		this.world.stopTimers();
		this.deliverer.reset();
		const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
		for (const socket of this.sockets) socket.destroy();
		await closed;
		this.stateFile?.close();
	}

	// ---- programmatic control (mirrors /__sandbox) --------------------------------------------

	/** Back to the seed: state, request log, deliveries, events and faults. */
	reset(): void {
		this.deliverer.reset();
		this.world.reset();
		this.requestLog.length = 0;
		this.llmRequests.length = 0;
		this.faultQueue = [];
		this.throttle.reset();
	}

	/** The rate limits in force and what they throttled since the last reset. */
	limits(): RateLimits & { throttled: ThrottleCounts } {
		return { ...this.throttle.limits, throttled: { ...this.throttle.counts } };
	}

	/** Changes some limits (0 turns one off) and starts counting afresh. */
	setLimits(limits: Partial<RateLimits>): RateLimits & { throttled: ThrottleCounts } {
		this.throttle.set(limits);
		return this.limits();
	}

	inbound(input: InboundInput): StoredMessage {
		return this.world.inbound(input).message;
	}

	requests(): LoggedRequest[] {
		return [...this.requestLog];
	}

	clearRequests(): void {
		this.requestLog.length = 0;
	}

	/** Messages in both directions, oldest first; `contact` filters by phone number. */
	messages(contact?: string): StoredMessage[] {
		return this.world.data.messages.filter(
			(m) => !contact || m.from === contact || m.to === contact,
		);
	}

	/** Registered webhooks including their securetoken. */
	webhooks(): StoredWebhook[] {
		return [...this.world.data.webhooks];
	}

	deliveries(): DeliveryAttempt[] {
		return [...this.deliverer.log];
	}

	/** Events emitted so far (whether or not a webhook listened). */
	events(): EmittedEvent[] {
		return [...this.world.events];
	}

	/** Fires one of the 11 events with a realistic payload; `duplicate` = number of copies delivered. */
	fireEvent(event: string, overrides: Record<string, unknown> = {}): EmittedEvent {
		if (!this.contract.webhookEvents.includes(event))
			throw new ApiError(
				404,
				'not_found',
				`Unknown event ${event}; one of ${this.contract.webhookEvents.join(', ')}`,
			);
		const { duplicate, ...fields } = overrides;
		return this.world.fire(event, fields, typeof duplicate === 'number' ? duplicate : 1);
	}

	fault(spec: FaultSpec): void {
		this.faultQueue.push({ count: 1, ...spec });
	}

	clearFaults(): void {
		this.faultQueue = [];
	}

	faults(): FaultSpec[] {
		return this.faultQueue.map((f) => ({ ...f }));
	}

	/** Moves outgoing messages one status step (all not yet read, or one); returns those that moved. */
	advanceStatuses(messageId?: number): StoredMessage[] {
		const candidates = (
			messageId === undefined ? this.world.data.messages : [this.world.findMessage(messageId)]
		).filter((m): m is StoredMessage => m?.direction === 'out');
		return candidates.filter((m) => this.world.advance(m));
	}

	setStatus(messageId: number, status: MessageStatus): StoredMessage {
		const message = this.world.findMessage(messageId);
		if (!message || message.direction !== 'out')
			throw new ApiError(404, 'not_found', `No outgoing message ${messageId}`);
		this.world.setStatus(message, status);
		return message;
	}

	/** Resolves when every webhook delivery started so far (with its retries) has finished. */
	settle(): Promise<void> {
		return this.deliverer.settle();
	}

	state(): StateData {
		return this.world.data;
	}

	/** Appends the changes not yet in the state file's journal now, instead of within a few ms. */
	persist(): void {
		this.stateFile?.flush();
	}

	// ---- HTTP ---------------------------------------------------------------------------------

	private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
		const path = url.pathname;
		if (path === '/__sandbox' || path.startsWith('/__sandbox/'))
			return handleControl(this, req, res, url);
		if (path.startsWith(`${LLM_PATH}/`)) return handleLlm(this.llmRequests, req, res, path);
		if (path.startsWith('/media/')) return this.serveMedia(res, path.slice('/media/'.length));
		if (path === '/chat' || path.startsWith('/chat/')) return this.serveChat(res, path);
		if (path === '/v1' || path.startsWith('/v1/')) return this.serveApi(req, res, url);
		sendJson(
			res,
			404,
			new ApiError(404, 'not_found', `Nothing at ${path}; the API is under /v1`).toBody(),
		);
	}

	private serveMedia(res: ServerResponse, name: string): void {
		const file = mediaFile(decodeURIComponent(name));
		if (!file)
			return sendJson(res, 404, new ApiError(404, 'not_found', `No media sample ${name}`).toBody());
		sendBytes(res, 200, file.type, file.bytes);
	}

	private serveChat(res: ServerResponse, path: string): void {
		const relative =
			path === '/chat' || path === '/chat/'
				? 'index.html'
				: decodeURIComponent(path.slice('/chat/'.length));
		const file = normalize(join(CHAT_DIR, relative));
		if (!file.startsWith(CHAT_DIR + sep) || !existsSync(file) || !statSync(file).isFile())
			return sendBytes(
				res,
				404,
				'text/plain; charset=utf-8',
				existsSync(CHAT_DIR) ? 'Not found' : 'The chat page is not installed (sandbox/chat/)',
			);
		sendBytes(
			res,
			200,
			CHAT_TYPES[extname(file)] ?? 'application/octet-stream',
			readFileSync(file),
		);
	}

	private takeFault(method: string, path: string): FaultSpec | undefined {
		const apiPath = path.slice('/v1'.length) || '/';
		const index = this.faultQueue.findIndex(
			(f) =>
				(!f.method || f.method.toUpperCase() === method) &&
				(!f.path || apiPath.startsWith(f.path) || path.startsWith(f.path)),
		);
		if (index < 0) return undefined;
		const fault = this.faultQueue[index];
		if (fault.after) {
			fault.after--;
			return undefined;
		}
		fault.count--;
		if (fault.count <= 0) this.faultQueue.splice(index, 1);
		return fault;
	}

	private async serveApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		const method = (req.method ?? 'GET').toUpperCase();
		const raw = await readBody(req);
		const parsed = parseJsonBody(raw);
		const entry: LoggedRequest = {
			method,
			path: url.pathname,
			query: queryObject(url),
			headers: lowerCaseHeaders(req),
			body: !parsed.present ? null : parsed.ok ? parsed.value : parsed.raw,
			status: null,
			operationId: null,
			fault: null,
			at: new Date().toISOString(),
		};
		this.requestLog.push(entry);
		const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
			entry.status = status;
			sendJson(res, status, body, headers);
		};

		const fault = this.takeFault(method, url.pathname);
		if (fault) {
			entry.fault = fault.kind;
			switch (fault.kind) {
				case '429': {
					const seconds = String(fault.retryAfter ?? 1);
					return answer(
						429,
						new ApiError(
							429,
							'rate_limited',
							`Too many requests; retry after ${seconds} s`,
						).toBody(),
						{ 'retry-after': seconds },
					);
				}
				case '500':
					return answer(
						500,
						new ApiError(
							500,
							'internal_error',
							'Internal error (injected by the sandbox)',
						).toBody(),
					);
				case '503':
					return answer(
						503,
						new ApiError(
							503,
							'service_unavailable',
							'Service unavailable (injected by the sandbox)',
						).toBody(),
						{ 'retry-after': String(fault.retryAfter ?? 1) },
					);
				case 'malformed':
					entry.status = 200;
					return sendBytes(
						res,
						200,
						'application/json; charset=utf-8',
						'{"success": true, "message": "ok", "data": [{"id": 1,',
					);
				case 'drop':
					req.socket.destroy();
					return;
				case 'slow':
					await delay(fault.delayMs ?? 2000);
					break;
			}
		}

		const auth = /^Bearer\s+(.+)$/i.exec(entry.headers.authorization ?? '');
		const key = auth?.[1].trim();
		const writable = key !== undefined && this.keys.readWrite.includes(key);
		if (!writable && !(key !== undefined && this.keys.readOnly.includes(key)))
			return answer(
				401,
				new ApiError(
					401,
					'unauthorized',
					key ? 'Unknown API key' : 'Missing API key: send Authorization: Bearer <API key>',
				).toBody(),
			);

		const apiPath = url.pathname.slice('/v1'.length) || '/';
		const { operation, params, pathKnown } = this.contract.match(method, apiPath);
		if (!operation)
			return answer(
				pathKnown ? 405 : 404,
				new ApiError(
					404,
					'not_found',
					pathKnown ? `${method} is not allowed on ${apiPath}` : `No endpoint ${method} ${apiPath}`,
				).toBody(),
			);
		entry.operationId = operation.operationId;
		if (method !== 'GET' && !writable)
			return answer(
				403,
				new ApiError(
					403,
					'forbidden',
					'This API key is read-only; use a "Read and write" key',
				).toBody(),
			);
		if (parsed.present && !parsed.ok)
			return answer(
				400,
				new ApiError(400, 'validation_error', `The body is not valid JSON: ${parsed.error}`, [
					{ field: 'body', message: 'not valid JSON' },
				]).toBody(),
			);

		const query: Record<string, unknown> = { ...entry.query };
		const body = parsed.present && parsed.ok ? parsed.value : undefined;
		const errors = this.contract.validateRequest(operation, {
			params,
			query,
			body,
			hasBody: parsed.present,
		});
		if (errors.length)
			return answer(
				400,
				new ApiError(
					400,
					'validation_error',
					`Invalid request: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
					errors,
				).toBody(),
			);

		try {
			if (operation.operationId === 'sendMessage')
				this.throttle.admit((body as { to?: string }).to);
			const result = this.handlers[operation.operationId](this.world, { params, query, body });
			if (method !== 'GET') this.stateFile?.record({ kind: 'other' });
			return answer(result.status, result.body);
		} catch (error) {
			if (error instanceof ApiError) return answer(error.status, error.toBody(), error.headers);
			throw error;
		}
	}
}
