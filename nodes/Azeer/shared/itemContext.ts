/**
 * One input item's view of a custom operation's context, shaped like the per-item context n8n's
 * routing engine gives preSend hooks, so that the same checks and builders serve both paths.
 * Parameters that hold no expression are the same for every item and are read once per run:
 * in a real n8n each read of a parameter costs far more than the rest of an item's work.
 */
import type {
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IGetNodeParameterOptions,
	INodeExecutionData,
	NodeParameterValueType,
} from 'n8n-workflow';

/** Whether a raw parameter value holds an n8n expression anywhere (a string starting with "="). */
function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value && typeof value === 'object') return Object.values(value).some(holdsExpression);
	return false;
}

/** Whether the parameter at `path` (e.g. "sendOptions.agentId") may differ between items. */
function variesByItem(parameters: unknown, path: string): boolean {
	let value = parameters;
	for (const key of path.split('.')) {
		if (typeof value === 'string') return value.startsWith('=');
		if (!value || typeof value !== 'object') return false;
		value = (value as Record<string, unknown>)[key];
	}
	return holdsExpression(value);
}

/** The node's parameters for one run: those without an expression are read once. */
export class RunParameters {
	private readonly constant = new Map<string, unknown>();

	constructor(private readonly execute: IExecuteFunctions) {}

	read(
		name: string,
		itemIndex: number,
		fallback?: unknown,
		options?: IGetNodeParameterOptions,
	): unknown {
		const read = () =>
			this.execute.getNodeParameter(
				name,
				itemIndex,
				fallback as NodeParameterValueType,
				options,
			) as unknown;
		if (variesByItem(this.execute.getNode().parameters, name)) return read();
		const key = `${name}\u0000${JSON.stringify(fallback)}\u0000${JSON.stringify(options ?? {})}`;
		if (!this.constant.has(key)) this.constant.set(key, read());
		return this.constant.get(key);
	}
}

/** The context of item `itemIndex`, answering like the routing engine's per-item context. */
export function itemContext(
	execute: IExecuteFunctions,
	itemIndex: number,
	parameters: RunParameters,
): IExecuteSingleFunctions {
	const context = Object.create(execute) as IExecuteSingleFunctions & Record<string, unknown>;
	context.getItemIndex = () => itemIndex;
	context.getInputData = (inputIndex = 0): INodeExecutionData =>
		execute.getInputData(inputIndex)[itemIndex];
	context.getNodeParameter = ((
		name: string,
		fallback?: unknown,
		options?: IGetNodeParameterOptions,
	) => parameters.read(name, itemIndex, fallback, options)) as never;
	return context;
}
