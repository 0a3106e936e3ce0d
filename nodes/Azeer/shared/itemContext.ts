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
	INode,
	INodeExecutionData,
	NodeParameterValueType,
} from 'n8n-workflow';
import { isResourceMapperValue } from 'n8n-workflow';

/** Whether a raw parameter value holds an n8n expression anywhere (a string starting with "="). */
function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value && typeof value === 'object') return Object.values(value).some(holdsExpression);
	return false;
}

/** The raw value at `path` (e.g. "sendOptions.agentId"); a string on the way is returned as it is. */
function rawAt(parameters: unknown, path: string): unknown {
	let value = parameters;
	for (const key of path.split('.')) {
		if (typeof value === 'string') return value;
		if (!value || typeof value !== 'object') return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

/** `={{ $json.phone }}`, `={{ $json.customer.name }}`: the whole value is one field of the item. */
const JSON_FIELD_EXPRESSION = /^=\{\{\s*\$json((?:\.[A-Za-z_$][\w$]*)+)\s*\}\}$/;

/**
 * The item's value of an expression that only reads one field of the item (`={{ $json.phone }}`),
 * when that field is a string, number or boolean: what n8n's evaluation gives, without its cost.
 * Anything else (other expressions, missing fields, objects) is left to n8n.
 */
function itemField(raw: unknown, item: INodeExecutionData | undefined): unknown {
	if (typeof raw !== 'string') return undefined;
	const path = JSON_FIELD_EXPRESSION.exec(raw)?.[1];
	if (!path || !item) return undefined;
	let value: unknown = item.json;
	for (const key of path.slice(1).split('.')) {
		if (!value || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, key))
			return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return ['string', 'number', 'boolean'].includes(typeof value) ? value : undefined;
}

/**
 * The item's value of a whole resource mapper (template variables: one `={{ $json.x }}` per
 * column) when every expression in it only reads a field of the item: n8n's evaluation of such a
 * value resolves each expression and changes nothing else. Undefined when any expression is left
 * to n8n.
 */
function mapperFields(raw: unknown, item: INodeExecutionData | undefined): unknown {
	if (!isResourceMapperValue(raw)) return undefined;
	const resolve = (value: unknown): { value: unknown } | undefined => {
		if (typeof value === 'string' && value.startsWith('=')) {
			const field = itemField(value, item);
			return field === undefined ? undefined : { value: field };
		}
		if (!value || typeof value !== 'object') return { value };
		const copy = (Array.isArray(value) ? [] : {}) as Record<string, unknown>;
		for (const [key, entry] of Object.entries(value)) {
			const resolved = resolve(entry);
			if (!resolved) return undefined;
			copy[key] = resolved.value;
		}
		return { value: copy };
	};
	return resolve(raw)?.value;
}

/**
 * The node's parameters for one run: those without an expression are read once, those that only
 * read fields of the item are taken from the item.
 */
export class RunParameters {
	private readonly constant = new Map<string, unknown>();

	/**
	 * The node, read once per run: n8n's getNode() returns a deep copy of the node with all its
	 * parameters, and an item's checks would ask for it several times, which made these copies
	 * most of what a run allocated in the node's own code.
	 */
	readonly node: INode;

	constructor(private readonly execute: IExecuteFunctions) {
		this.node = execute.getNode();
	}

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
		const raw = rawAt(this.node.parameters, name);
		if (holdsExpression(raw)) {
			// extractValue changes only resource locators, whose raw value is never a plain string.
			const plainRead = Object.keys(options ?? {}).every((key) => key === 'extractValue');
			const item = plainRead ? this.execute.getInputData()[itemIndex] : undefined;
			return (plainRead ? (itemField(raw, item) ?? mapperFields(raw, item)) : undefined) ?? read();
		}
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
	context.getNode = () => parameters.node;
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
