/**
 * The Azeer contract (contract/azeer.openapi.yaml) loaded once, with ajv validators compiled from
 * it: request validation for the sandbox, response and webhook-payload validation for tests and
 * the contract check. Schemas are referenced by JSON pointer into the document itself, so the
 * OpenAPI file stays the only place where shapes are written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

export const CONTRACT_FILE = join(__dirname, '..', 'contract', 'azeer.openapi.yaml');
const DOC_ID = 'azeer.openapi.json';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export interface FieldError {
	field: string;
	message: string;
}

interface ParameterObject {
	name: string;
	in: 'path' | 'query' | 'header';
	required?: boolean;
	schema?: unknown;
}

export interface ContractOperation {
	operationId: string;
	method: string;
	path: string;
	inferred: boolean;
	source?: string;
	summary?: string;
	/** The operation object as written in the document. */
	spec: Record<string, any>;
	pointer: string;
	pathPattern: RegExp;
	pathParams: string[];
}

/** `/template/language` → `template.language`; `/contacts/15` → `contacts[15]`. */
export function pointerToField(pointer: string, missingProperty?: string): string {
	const parts = pointer
		.split('/')
		.slice(1)
		.map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
	if (missingProperty !== undefined) parts.push(missingProperty);
	return parts.reduce((field, part) => {
		if (/^\d+$/.test(part)) return `${field}[${part}]`;
		return field ? `${field}.${part}` : part;
	}, '');
}

function escapePointer(segment: string): string {
	return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function toFieldErrors(errors: ErrorObject[] | null | undefined, prefix = ''): FieldError[] {
	const result: FieldError[] = [];
	for (const error of errors ?? []) {
		// `if` failures only say which branch applied; the `then` error next to it names the field.
		if (error.keyword === 'if') continue;
		const missing =
			error.keyword === 'required'
				? (error.params as { missingProperty: string }).missingProperty
				: undefined;
		let field = pointerToField(error.instancePath, missing);
		if (prefix) field = field ? `${prefix}.${field}` : prefix;
		const message =
			error.keyword === 'required'
				? 'is required'
				: error.keyword === 'false schema'
					? 'is not allowed here'
					: (error.message ?? 'is invalid');
		if (!result.some((r) => r.field === field && r.message === message))
			result.push({ field: field || 'body', message });
	}
	return result;
}

export class Contract {
	readonly doc: Record<string, any>;
	/** In document order. */
	readonly operations: ContractOperation[];
	private readonly routeOrder: ContractOperation[];
	private readonly ajv: Ajv2020;
	private readonly coercingAjv: Ajv2020;
	private readonly cache = new Map<string, ValidateFunction>();

	constructor(file = CONTRACT_FILE) {
		this.doc = parse(readFileSync(file, 'utf8')) as Record<string, any>;
		const makeAjv = (coerceTypes: boolean) => {
			const ajv = new Ajv2020({ strict: false, allErrors: true, coerceTypes });
			addFormats(ajv);
			ajv.addSchema(this.doc, DOC_ID);
			return ajv;
		};
		this.ajv = makeAjv(false);
		this.coercingAjv = makeAjv(true);
		this.operations = [];
		for (const [path, item] of Object.entries<Record<string, any>>(this.doc.paths ?? {})) {
			for (const method of METHODS) {
				const spec = item[method];
				if (!spec) continue;
				const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
				const pattern = path.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '([^/]+)');
				this.operations.push({
					operationId: spec.operationId,
					method: method.toUpperCase(),
					path,
					inferred: spec['x-azeer-inferred'] === true,
					source: spec['x-azeer-source'],
					summary: spec.summary,
					spec,
					pointer: `#/paths/${escapePointer(path)}/${method}`,
					pathPattern: new RegExp(`^${pattern}$`),
					pathParams,
				});
			}
		}
		// Literal segments win over templated ones: DELETE /message/bulk is not DELETE /message/{id}.
		this.routeOrder = [...this.operations].sort(
			(a, b) => a.pathParams.length - b.pathParams.length,
		);
	}

	operation(operationId: string): ContractOperation {
		const op = this.operations.find((o) => o.operationId === operationId);
		if (!op) throw new Error(`No operation ${operationId} in the contract`);
		return op;
	}

	/** Finds the operation for a request path relative to the base URL (`/message/send`). */
	match(
		method: string,
		path: string,
	): { operation?: ContractOperation; params: Record<string, string>; pathKnown: boolean } {
		let pathKnown = false;
		for (const operation of this.routeOrder) {
			const m = operation.pathPattern.exec(path);
			if (!m) continue;
			pathKnown = true;
			if (operation.method !== method.toUpperCase()) continue;
			const params: Record<string, string> = {};
			operation.pathParams.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
			return { operation, params, pathKnown };
		}
		return { params: {}, pathKnown };
	}

	/** Resolves a `{ $ref }` parameter to its object and the pointer of its schema. */
	private parameters(
		operation: ContractOperation,
	): Array<{ param: ParameterObject; schemaPointer: string }> {
		return (operation.spec.parameters ?? []).map((entry: Record<string, any>, index: number) => {
			if (typeof entry.$ref === 'string') {
				const pointer = entry.$ref as string;
				return {
					param: this.resolve(pointer) as ParameterObject,
					schemaPointer: `${pointer}/schema`,
				};
			}
			return {
				param: entry as ParameterObject,
				schemaPointer: `${operation.pointer}/parameters/${index}/schema`,
			};
		});
	}

	resolve(pointer: string): unknown {
		return pointer
			.replace(/^#\//, '')
			.split('/')
			.map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
			.reduce<any>((node, key) => (node === undefined ? undefined : node[key]), this.doc);
	}

	private validator(pointer: string): ValidateFunction {
		return this.compiled(`p${pointer}`, () => this.ajv.compile({ $ref: `${DOC_ID}${pointer}` }));
	}

	/** Validates `{ value }` so that ajv can coerce the value inside it ("true" → true, "7" → 7). */
	private parameterValidator(pointer: string): ValidateFunction {
		return this.compiled(`c${pointer}`, () =>
			this.coercingAjv.compile({
				type: 'object',
				properties: { value: { $ref: `${DOC_ID}${pointer}` } },
			}),
		);
	}

	private compiled(key: string, compile: () => ValidateFunction): ValidateFunction {
		let validate = this.cache.get(key);
		if (!validate) {
			validate = compile();
			this.cache.set(key, validate);
		}
		return validate;
	}

	/** Validates path/query parameters (coercing their string values in place) and the JSON body. */
	validateRequest(
		operation: ContractOperation,
		request: {
			params: Record<string, unknown>;
			query: Record<string, unknown>;
			body: unknown;
			hasBody: boolean;
		},
	): FieldError[] {
		const errors: FieldError[] = [];
		for (const { param, schemaPointer } of this.parameters(operation)) {
			if (param.in !== 'path' && param.in !== 'query') continue;
			const source = param.in === 'path' ? request.params : request.query;
			if (source[param.name] === undefined) {
				if (param.required) errors.push({ field: param.name, message: 'is required' });
				continue;
			}
			const holder = { value: source[param.name] };
			const validate = this.parameterValidator(schemaPointer);
			if (validate(holder)) source[param.name] = holder.value;
			else
				errors.push(
					...toFieldErrors(validate.errors).map((e) => ({
						...e,
						field: e.field.replace(/^value/, param.name),
					})),
				);
		}
		const body = operation.spec.requestBody;
		if (body) {
			if (!request.hasBody) {
				if (body.required) errors.push({ field: 'body', message: 'a JSON body is required' });
			} else {
				const validate = this.validator(
					`${operation.pointer}/requestBody/content/application~1json/schema`,
				);
				if (!validate(request.body)) errors.push(...toFieldErrors(validate.errors));
			}
		}
		return errors;
	}

	/** Returns problems with a response of an operation (empty when it matches the contract). */
	validateResponse(operation: ContractOperation, status: number, body: unknown): string[] {
		const responses = operation.spec.responses ?? {};
		const range = `${String(status)[0]}XX`;
		const key = [String(status), range, 'default'].find((k) => responses[k]);
		if (!key) return [`status ${status} is not in the contract for ${operation.operationId}`];
		let pointer = `${operation.pointer}/responses/${key}`;
		const response = responses[key];
		if (typeof response.$ref === 'string') pointer = response.$ref;
		const resolved = this.resolve(pointer) as Record<string, any>;
		if (!resolved?.content?.['application/json']?.schema) return [];
		const validate = this.validator(`${pointer}/content/application~1json/schema`);
		return validate(body)
			? []
			: toFieldErrors(validate.errors).map((e) => `${e.field} ${e.message}`);
	}

	/** The 11 webhook events the contract describes. */
	get webhookEvents(): string[] {
		return Object.keys(this.doc.webhooks ?? {});
	}

	validateWebhookPayload(event: string, payload: unknown): string[] {
		if (!this.doc.webhooks?.[event]) return [`no webhook event ${event} in the contract`];
		const validate = this.validator(
			`#/webhooks/${event}/post/requestBody/content/application~1json/schema`,
		);
		return validate(payload)
			? []
			: toFieldErrors(validate.errors).map((e) => `${e.field} ${e.message}`);
	}

	validateWebhookHeaders(headers: Record<string, string | undefined>): string[] {
		const problems: string[] = [];
		for (const entry of this.doc.webhooks.incoming_msg.post.parameters as Array<{ $ref: string }>) {
			const param = this.resolve(entry.$ref) as ParameterObject;
			const value = headers[param.name];
			if (value === undefined) {
				problems.push(`${param.name} is missing`);
				continue;
			}
			const validate = this.validator(`${entry.$ref}/schema`);
			if (!validate(value)) problems.push(`${param.name} ${validate.errors?.[0]?.message}`);
		}
		return problems;
	}
}

let shared: Contract | undefined;

/** The contract, parsed and compiled once per process. */
export function loadContract(): Contract {
	shared ??= new Contract();
	return shared;
}
