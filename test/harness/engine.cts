/**
 * Runs our nodes through n8n's real execution engine (n8n-core's WorkflowExecute, which hands
 * declarative nodes to n8n's own RoutingNode). Only the parts n8n's CLI would normally inject
 * (credential storage, node registry) are provided here, and they behave as the CLI's do.
 */
import { DirectoryLoader, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import { createRunExecutionData, ICredentialsHelper, Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IRun,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	ICredentials,
	INodeProperties,
	IExecuteData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { AzeerApi } from '../../credentials/AzeerApi.credentials';
import { inRun, takeRunReports } from './logs.cjs';

export const AZEER_NODE_TYPE = 'n8n-nodes-azeer.azeer';

const credentialTypes: Record<string, ICredentialType> = { azeerApi: new AzeerApi() };

export type CredentialMap = Record<string, ICredentialDataDecryptedObject>;

/** Applies credentials the way n8n's CLI CredentialsHelper does: generic `authenticate` blocks are
 * resolved as expressions with `$credentials`, function blocks are called. */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly credentials: CredentialMap) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incoming: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incoming as IHttpRequestOptions;
		const credentialType = credentialTypes[typeName];
		const authenticate = credentialType?.authenticate;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (!authenticate || authenticate.type !== 'generic') return requestOptions;
		if (!workflow || !node) throw new Error('authenticate needs the workflow and node');
		const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
		for (const [section, entries] of Object.entries(authenticate.properties)) {
			for (const [key, value] of Object.entries(entries as Record<string, string>)) {
				const resolve = (raw: string) =>
					workflow.expression.getSimpleParameterValue(node, raw, 'internal', {
						$credentials: credentials,
					}) as string;
				target[section] = { ...(target[section] ?? {}), [resolve(key)]: resolve(value) };
			}
		}
		return requestOptions;
	}

	async preAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by these tests');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		_mode?: WorkflowExecuteMode,
		_executeData?: IExecuteData,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.credentials[type];
		if (!data)
			throw new Error(`No credential of type ${type} (${nodeCredentials.name}) in this test`);
		return { ...data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return credentialTypes[type]?.properties ?? [];
	}
}

export class TestNodeTypes implements INodeTypes {
	private readonly types = new Map<string, INodeType>();

	register(name: string, nodeType: INodeType): this {
		// The loader does this for every declarative node in n8n: it adds the "requestOptions"
		// (batching, proxy, timeout) parameter that RoutingNode reads.
		DirectoryLoader.applyDeclarativeNodeOptionParameters(nodeType);
		this.types.set(name, nodeType);
		return this;
	}

	getByName(name: string): INodeType | IVersionedNodeType {
		return this.getByNameAndVersion(name);
	}

	getByNameAndVersion(name: string): INodeType {
		const type = this.types.get(name);
		if (!type) throw new Error(`Unknown node type ${name}`);
		return type;
	}

	getKnownTypes() {
		return {};
	}
}

export function additionalData(credentials: CredentialMap, hooks: ExecutionLifecycleHooks) {
	const base = 'http://127.0.0.1:5678';
	return {
		credentialsHelper: new TestCredentialsHelper(credentials),
		hooks,
		executionId: 'test-execution',
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: base,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		variables: {},
		executeWorkflow: async () => {
			throw new Error('sub-workflows are not used by these tests');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('code runners are not used by these tests');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface RunNodeOptions {
	nodeTypes: TestNodeTypes;
	type: string;
	parameters: INodeParameters;
	input?: INodeExecutionData[];
	credentials?: CredentialMap;
	continueOnFail?: boolean;
	/** n8n's Settings → On Error; `continueOnFail` is the same as continueRegularOutput. */
	onError?: INode['onError'];
	/** n8n's Settings → Retry On Fail. */
	retryOnFail?: { maxTries: number; waitBetweenTries: number };
	typeVersion?: number;
}

export interface NodeRunResult {
	items: INodeExecutionData[];
	/** Every main output (the error output is the second one with On Error → Continue (using error output)). */
	outputs: INodeExecutionData[][];
	/** The error that stopped the node, as n8n would show it in the editor. */
	error?: Error & { description?: string; httpCode?: string; context?: Record<string, unknown> };
	run: IRun;
}

/** Executes one node of our package on the given input items, as a manual execution in n8n does. */
export async function runNode(options: RunNodeOptions): Promise<NodeRunResult> {
	const node: INode = {
		id: 'node-under-test',
		name: 'Azeer',
		type: options.type,
		typeVersion: options.typeVersion ?? 1,
		position: [0, 0],
		parameters: options.parameters,
		credentials: options.credentials?.azeerApi
			? { azeerApi: { id: '1', name: 'Azeer account' } }
			: undefined,
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		...(options.onError ? { onError: options.onError } : {}),
		...(options.retryOnFail ? { retryOnFail: true, ...options.retryOnFail } : {}),
	};
	const workflow = new Workflow({
		id: 'test-workflow',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: options.nodeTypes,
	});
	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', {
		id: 'test-workflow',
		name: 'test',
		active: false,
		activeVersionId: null,
		isArchived: false,
		nodes: [node],
		connections: {},
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
	let finishedRun: IRun | undefined;
	hooks.addHandler('workflowExecuteAfter', (run) => {
		finishedRun = run;
	});
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node, data: { main: [options.input ?? [{ json: {} }]] }, source: null },
			],
		},
	});
	const execute = new WorkflowExecute(
		additionalData(options.credentials ?? {}, hooks),
		'manual',
		runExecutionData,
	);
	const runTag = Symbol('runNode');
	await inRun(runTag, async () => await execute.processRunExecutionData(workflow));
	const run = finishedRun;
	if (!run) throw new Error('the workflow did not finish');
	const taskData = run.data.resultData.runData[node.name]?.[0];
	const error = (taskData?.error ?? run.data.resultData.error) as NodeRunResult['error'];
	// n8n-core reports the node's error to its error tracker; the test gets it as `error`.
	if (error) takeRunReports(runTag);
	return {
		items: taskData?.data?.main?.[0] ?? [],
		outputs: (taskData?.data?.main ?? []).map((output) => output ?? []),
		error,
		run,
	};
}
