/**
 * A small stand-in for the part of n8n that serves trigger webhooks, built on n8n-core's real
 * HookContext and WebhookContext:
 * - activate/deactivate call the node's checkExists → create and delete the way n8n's
 *   WebhookService does, for the production URL (static data "saved to the database" only when
 *   n8n would save it) or the test URL (static data kept with the test registration);
 * - a real HTTP server on 127.0.0.1 receives the sandbox's deliveries at the node's webhook URLs,
 *   loads the workflow with its saved static data per request (as n8n's LiveWebhooks does), hands
 *   an express-like request/response to the node's webhook(), saves changed static data, and
 *   counts an execution whenever webhook() returns workflow data. A test registration is
 *   removed after its first execution, as "Listen for test event" does.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

import { ExecutionLifecycleHooks, HookContext, WebhookContext } from 'n8n-core';
import { NodeHelpers, Workflow } from 'n8n-workflow';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { AzeerTrigger } from '../../../nodes/AzeerTrigger/AzeerTrigger.node';
import { additionalData, TestNodeTypes } from '../../harness/engine.cjs';
import type { CredentialMap } from '../../harness/engine.cjs';

export const TRIGGER_TYPE = 'n8n-nodes-azeer.azeerTrigger';

export type Mode = 'production' | 'test';

export interface Execution {
	mode: Mode;
	items: INodeExecutionData[];
}

/** One HTTP request the host received at a webhook URL and how it was answered. */
export interface Answer {
	mode: Mode | 'unknown';
	path: string;
	query: string;
	headers: Record<string, string>;
	rawBody: string;
	status: number;
	body: string;
}

export interface FileRequest {
	path: string;
	headers: Record<string, string | string[] | undefined>;
}

/** A real request as express hands it to n8n: parsed body and query, plus the raw body. */
type WebhookRequest = IncomingMessage & {
	body: IDataObject;
	rawBody: Buffer;
	query: Record<string, string | string[]>;
	params: Record<string, string>;
};

function parseQuery(search: URLSearchParams): Record<string, string | string[]> {
	const query: Record<string, string | string[]> = {};
	for (const key of new Set(search.keys())) {
		const values = search.getAll(key);
		query[key] = values.length === 1 ? values[0] : values;
	}
	return query;
}

export function expressResponse(res: ServerResponse) {
	const extended = res as ServerResponse & {
		status(code: number): typeof extended;
		json(body: unknown): typeof extended;
		send(body: unknown): typeof extended;
	};
	extended.status = (code: number) => {
		res.statusCode = code;
		return extended;
	};
	extended.json = (body: unknown) => {
		res.setHeader('content-type', 'application/json');
		res.end(JSON.stringify(body));
		return extended;
	};
	extended.send = (body: unknown) => {
		res.end(typeof body === 'string' ? body : JSON.stringify(body));
		return extended;
	};
	return extended;
}

function snapshot(data: IDataObject | undefined): IDataObject {
	const copy = JSON.parse(JSON.stringify(data ?? {})) as IDataObject;
	delete copy.__dataChanged;
	return copy;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

export interface HostOptions {
	parameters: INodeParameters;
	credentials: CredentialMap;
	/** Bytes served at /files/<name> (a "foreign" media host for download tests). */
	files?: Record<string, { body: Buffer; contentType: string }>;
	/** Serves n8n's waiting webhooks (/webhook-waiting/...) next to the trigger's. */
	waiting?: (req: IncomingMessage, res: ServerResponse, url: URL, rawBody: Buffer) => Promise<void>;
}

export class TriggerHost {
	readonly executions: Execution[] = [];
	readonly answers: Answer[] = [];
	readonly fileRequests: FileRequest[] = [];
	/** The workflow's static data as n8n's database holds it (production). */
	savedStaticData: IDataObject = {};
	/** The static data cached with the current test-webhook registration. */
	testStaticData: IDataObject | undefined;
	active = false;
	/** Drop the connection instead of answering the next N webhook calls (after running webhook()). */
	dropAnswers = 0;
	/**
	 * n8n does not save the static data of a webhook call that starts an execution
	 * (WorkflowRunner resets its change flag); false plays that.
	 */
	savesStaticDataOfStartedExecutions = true;
	/** How many times n8n wrote the production static data to its database. */
	staticDataSaves = 0;

	readonly node: INode;
	readonly nodeType = new AzeerTrigger();
	private readonly nodeTypes = new TestNodeTypes().register(TRIGGER_TYPE, this.nodeType);
	private readonly pending = new Set<Promise<void>>();
	private server!: Server;
	origin = '';

	private constructor(private readonly options: HostOptions) {
		this.node = {
			id: randomUUID(),
			name: 'Azeer Trigger',
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			webhookId: randomUUID(),
			parameters: options.parameters,
			credentials: { azeerApi: { id: '1', name: 'Azeer account' } },
		};
	}

	static async start(options: HostOptions): Promise<TriggerHost> {
		const host = new TriggerHost(options);
		await host.listen();
		return host;
	}

	private async listen(): Promise<void> {
		this.server = createServer((req, res) => {
			const handling = this.handle(req, res);
			this.pending.add(handling);
			void handling.finally(() => this.pending.delete(handling));
		});
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		const address = this.server.address();
		if (address === null || typeof address === 'string') throw new Error('no port');
		this.origin = `http://127.0.0.1:${address.port}`;
	}

	/** n8n's public URL changes (a new port): the old address stops answering, the workflow stays active. */
	async moveToNewPort(): Promise<void> {
		await this.stop();
		await this.listen();
	}

	async stop(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	get parameters(): INodeParameters {
		return this.node.parameters;
	}

	set parameters(parameters: INodeParameters) {
		this.node.parameters = parameters;
	}

	url(mode: Mode): string {
		return NodeHelpers.getNodeWebhookUrl(
			`${this.origin}/${mode === 'test' ? 'webhook-test' : 'webhook'}`,
			'wf-azeer-trigger',
			this.node,
			'webhook',
		);
	}

	/** The webhooks the node caches for a URL, read from the saved (or test) static data. */
	tracked(mode: Mode): Array<{ id: number; event: string; url: string }> {
		const staticData = mode === 'test' ? this.testStaticData : this.savedStaticData;
		const nodeData = (staticData?.[`node:${this.node.name}`] ?? {}) as IDataObject;
		const registrations = (nodeData.registrations ?? {}) as Record<string, { webhooks: never[] }>;
		return registrations[this.url(mode)]?.webhooks ?? [];
	}

	/** Loses the workflow's static data the way n8n did in the field: the saved row holds none. */
	wipeStaticData(): void {
		this.savedStaticData = {};
		this.testStaticData = this.testStaticData === undefined ? undefined : {};
	}

	private workflow(staticData: IDataObject | undefined, mode: Mode): Workflow {
		return new Workflow({
			id: 'wf-azeer-trigger',
			name: 'Azeer trigger test',
			nodes: [this.node],
			connections: {},
			active: mode === 'production',
			nodeTypes: this.nodeTypes,
			staticData: snapshot(staticData),
		});
	}

	private additionalData(
		extra: Partial<IWorkflowExecuteAdditionalData> = {},
	): IWorkflowExecuteAdditionalData {
		const hooks = new ExecutionLifecycleHooks('webhook', 'trigger-execution', {} as never);
		return {
			...additionalData(this.options.credentials, hooks),
			webhookBaseUrl: `${this.origin}/webhook`,
			webhookTestBaseUrl: `${this.origin}/webhook-test`,
			...extra,
		} as IWorkflowExecuteAdditionalData;
	}

	private webhookData(
		workflow: Workflow,
		data: IWorkflowExecuteAdditionalData,
		mode: Mode,
	): IWebhookData {
		const description = this.nodeType.description.webhooks![0];
		return {
			httpMethod: 'POST',
			node: this.node.name,
			path: NodeHelpers.getNodeWebhookPath(workflow.id, this.node, 'webhook'),
			webhookDescription: description,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: data,
			isTest: mode === 'test',
		};
	}

	private hookContext(workflow: Workflow, mode: Mode): HookContext {
		const data = this.additionalData();
		return new HookContext(
			workflow,
			this.node,
			data,
			mode === 'test' ? 'manual' : 'trigger',
			mode === 'test' ? 'manual' : 'activate',
			this.webhookData(workflow, data, mode),
		);
	}

	private keep(workflow: Workflow, mode: Mode): void {
		if (mode === 'test') this.testStaticData = snapshot(workflow.staticData);
		else if (workflow.staticData.__dataChanged === true) {
			this.savedStaticData = snapshot(workflow.staticData);
			this.staticDataSaves++;
		}
	}

	/** Activation (production) or "Listen for test event" (test): checkExists, then create if needed. */
	async activate(mode: Mode = 'production'): Promise<void> {
		const workflow = this.workflow(mode === 'test' ? {} : this.savedStaticData, mode);
		const methods = this.nodeType.webhookMethods.default;
		try {
			const context = this.hookContext(workflow, mode);
			if (!(await methods.checkExists.call(context))) await methods.create.call(context);
		} catch (error) {
			// n8n removes the workflow's webhooks again after a failed activation.
			await this.deactivate(mode);
			throw error;
		}
		this.keep(workflow, mode);
		if (mode === 'production') this.active = true;
	}

	/** Deactivation (production) or the end of a test registration (test): delete. */
	async deactivate(mode: Mode = 'production'): Promise<boolean> {
		const workflow = this.workflow(
			mode === 'test' ? this.testStaticData : this.savedStaticData,
			mode,
		);
		const removed = await this.nodeType.webhookMethods.default.delete.call(
			this.hookContext(workflow, mode),
		);
		if (mode === 'test') this.testStaticData = undefined;
		else {
			this.keep(workflow, mode);
			this.active = false;
		}
		return removed;
	}

	/** Resolves once every request received so far is handled (test deactivation included). */
	async idle(): Promise<void> {
		while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', this.origin);
		const rawBody = await readBody(req);
		if (url.pathname.startsWith('/files/')) {
			this.fileRequests.push({ path: url.pathname, headers: { ...req.headers } });
			const file = this.options.files?.[url.pathname.slice('/files/'.length)];
			res.statusCode = file ? 200 : 404;
			if (file) res.setHeader('content-type', file.contentType);
			res.end(file?.body);
			return;
		}
		if (url.pathname.startsWith('/webhook-waiting/') && this.options.waiting) {
			await this.options.waiting(req, res, url, rawBody);
			return;
		}
		const mode: Mode | 'unknown' =
			url.pathname === new URL(this.url('test')).pathname
				? 'test'
				: url.pathname === new URL(this.url('production')).pathname
					? 'production'
					: 'unknown';
		const record = (status: number, body: string) => {
			this.answers.push({
				mode,
				path: url.pathname,
				query: url.search,
				headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
				rawBody: rawBody.toString('utf8'),
				status,
				body,
			});
		};
		const registered =
			mode === 'test' ? this.testStaticData !== undefined : mode === 'production' && this.active;
		if (!registered) {
			res.statusCode = 404;
			res.end('{"message":"The requested webhook is not registered."}');
			record(404, 'not registered');
			return;
		}
		const result = await this.runWebhook(mode as Mode, req, res, url, rawBody);
		if ('error' in result) {
			res.statusCode = 500;
			res.end(JSON.stringify({ message: result.error }));
			record(500, result.error);
			return;
		}
		if (result.noWebhookResponse) {
			record(res.statusCode, 'answered by the node');
			return;
		}
		if (result.workflowData)
			this.executions.push({ mode: mode as Mode, items: result.workflowData[0] });
		const body = JSON.stringify(
			result.workflowData ? { message: 'Workflow was started' } : (result.webhookResponse ?? {}),
		);
		if (this.dropAnswers > 0) {
			this.dropAnswers--;
			req.socket.destroy();
			record(0, 'connection dropped');
		} else {
			res.statusCode = 200;
			res.setHeader('content-type', 'application/json');
			res.end(body);
			record(200, body);
		}
		if (result.workflowData && mode === 'test') await this.deactivate('test');
	}

	/** The workflow as n8n loads it for a webhook call: with the static data saved for `mode`. */
	workflowFor(mode: Mode): Workflow {
		return this.workflow(mode === 'test' ? this.testStaticData : this.savedStaticData, mode);
	}

	/** The context n8n hands to the node's webhook() for one request to the `mode` URL. */
	webhookContext(
		workflow: Workflow,
		mode: Mode,
		request: object,
		response: object,
	): WebhookContext {
		const data = this.additionalData({
			httpRequest: request as never,
			httpResponse: response as never,
		});
		return new WebhookContext(
			workflow,
			this.node,
			data,
			mode === 'test' ? 'manual' : 'webhook',
			this.webhookData(workflow, data, mode),
			[],
			null,
		);
	}

	private async runWebhook(
		mode: Mode,
		req: IncomingMessage,
		res: ServerResponse,
		url: URL,
		rawBody: Buffer,
	): Promise<IWebhookResponseData | { error: string }> {
		let body: IDataObject = {};
		try {
			body = rawBody.length > 0 ? (JSON.parse(rawBody.toString('utf8')) as IDataObject) : {};
		} catch {
			body = {};
		}
		const request = Object.assign(req, {
			body,
			rawBody,
			query: parseQuery(url.searchParams),
			params: {},
		}) as WebhookRequest;
		const workflow = this.workflowFor(mode);
		const context = this.webhookContext(workflow, mode, request, expressResponse(res));
		let started = false;
		try {
			const result = await this.nodeType.webhook.call(context);
			started = result.workflowData !== undefined;
			return result;
		} catch (error) {
			return { error: (error as Error).message };
		} finally {
			// n8n saves production static data after the node answered; test data is not saved.
			if (mode === 'production' && (this.savesStaticDataOfStartedExecutions || !started))
				this.keep(workflow, mode);
		}
	}
}
