/**
 * The control API under /__sandbox (no auth; loopback only): simulate inbound messages and
 * events, inspect what the API received and what webhooks were sent, inject faults, reset.
 * Every route calls the same AzeerSandbox method that tests call directly.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import Ajv2020 from 'ajv/dist/2020';

import { toFieldErrors } from './contract.cjs';
import { parseJsonBody, readBody, sendJson } from './http.cjs';
import { MEDIA_FILES } from './media.cjs';
import type { AzeerSandbox } from './server.cjs';
import { ApiError } from './world.cjs';

const PHONE = { type: 'string', pattern: '^[0-9]{8,15}$' };

const ajv = new Ajv2020({ allErrors: true });
const validators = {
	inbound: ajv.compile({
		type: 'object',
		required: ['from'],
		additionalProperties: false,
		properties: {
			from: PHONE,
			name: { type: 'string', minLength: 1 },
			text: { type: 'string', minLength: 1 },
			media: {
				type: 'object',
				required: ['type'],
				additionalProperties: false,
				properties: {
					type: { enum: ['image', 'audio', 'document', 'video'] },
					sample: { enum: Object.keys(MEDIA_FILES) },
				},
			},
			interactive: {
				type: 'object',
				required: ['reply_id', 'title'],
				additionalProperties: false,
				properties: {
					reply_id: { type: 'string', minLength: 1 },
					title: { type: 'string', minLength: 1 },
				},
			},
			duplicate: { type: 'integer', minimum: 1, maximum: 10 },
		},
		anyOf: [{ required: ['text'] }, { required: ['media'] }, { required: ['interactive'] }],
	}),
	fault: ajv.compile({
		type: 'object',
		required: ['kind'],
		additionalProperties: false,
		properties: {
			kind: { enum: ['429', '500', '503', 'slow', 'malformed', 'drop'] },
			count: { type: 'integer', minimum: 1 },
			method: { type: 'string' },
			path: { type: 'string', pattern: '^/' },
			retryAfter: { type: 'integer', minimum: 0 },
			delayMs: { type: 'integer', minimum: 0, maximum: 60000 },
			after: { type: 'integer', minimum: 0 },
		},
	}),
	limits: ajv.compile({
		type: 'object',
		additionalProperties: false,
		properties: {
			accountPerSecond: { type: 'number', minimum: 0 },
			recipientIntervalSeconds: { type: 'number', minimum: 0 },
			retryAfter: { enum: ['sometimes', 'always', 'never'] },
		},
	}),
	status: ajv.compile({
		type: 'object',
		required: ['status'],
		additionalProperties: false,
		properties: { status: { enum: ['sent', 'delivered', 'read', 'failed'] } },
	}),
	advance: ajv.compile({
		type: 'object',
		additionalProperties: false,
		properties: { message_id: { type: 'integer', minimum: 1 } },
	}),
	event: ajv.compile({
		type: 'object',
		properties: { duplicate: { type: 'integer', minimum: 1, maximum: 10 } },
	}),
};

function checked<T>(name: keyof typeof validators, body: unknown): T {
	const validate = validators[name];
	if (!validate(body)) {
		const errors = toFieldErrors(validate.errors);
		throw new ApiError(
			400,
			'validation_error',
			`Invalid control request: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
			errors,
		);
	}
	return body as T;
}

type Route = (sandbox: AzeerSandbox, body: any, match: RegExpExecArray, url: URL) => unknown;

const ROUTES: Array<[string, RegExp, Route]> = [
	[
		'GET',
		/^$/,
		(s) => ({
			origin: s.origin,
			baseUrl: s.baseUrl,
			chatUrl: s.chatUrl,
			keys: s.keys,
			businessNumber: s.world.businessNumber,
		}),
	],
	['POST', /^\/inbound$/, (s, body) => s.inbound(checked('inbound', body))],
	['GET', /^\/requests$/, (s) => s.requests()],
	['DELETE', /^\/requests$/, (s) => (s.clearRequests(), { cleared: true })],
	[
		'GET',
		/^\/messages$/,
		(s, _b, _m, url) => s.messages(url.searchParams.get('contact') ?? undefined),
	],
	[
		'POST',
		/^\/messages\/(\d+)\/status$/,
		(s, body, m) => s.setStatus(Number(m[1]), checked<{ status: 'sent' }>('status', body).status),
	],
	[
		'POST',
		/^\/statuses\/advance$/,
		(s, body) =>
			s.advanceStatuses(checked<{ message_id?: number }>('advance', body ?? {}).message_id),
	],
	['GET', /^\/webhooks$/, (s) => s.webhooks()],
	['GET', /^\/deliveries$/, (s) => s.deliveries()],
	['POST', /^\/settle$/, async (s) => (await s.settle(), { settled: true })],
	['GET', /^\/events$/, (s) => s.events()],
	['POST', /^\/events\/(\w+)$/, (s, body, m) => s.fireEvent(m[1], checked('event', body ?? {}))],
	['GET', /^\/faults$/, (s) => s.faults()],
	['POST', /^\/faults$/, (s, body) => (s.fault(checked('fault', body)), s.faults())],
	['DELETE', /^\/faults$/, (s) => (s.clearFaults(), [])],
	['GET', /^\/limits$/, (s) => s.limits()],
	['POST', /^\/limits$/, (s, body) => s.setLimits(checked('limits', body ?? {}))],
	['POST', /^\/reset$/, (s) => (s.reset(), { reset: true })],
	['GET', /^\/state$/, (s) => s.state()],
];

export async function handleControl(
	sandbox: AzeerSandbox,
	req: IncomingMessage,
	res: ServerResponse,
	url: URL,
): Promise<void> {
	const method = (req.method ?? 'GET').toUpperCase();
	const rest = url.pathname.slice('/__sandbox'.length).replace(/\/$/, '');
	const parsed = parseJsonBody(await readBody(req));
	try {
		if (parsed.present && !parsed.ok)
			throw new ApiError(400, 'validation_error', `The body is not valid JSON: ${parsed.error}`, [
				{ field: 'body', message: 'not valid JSON' },
			]);
		for (const [routeMethod, pattern, route] of ROUTES) {
			const match = pattern.exec(rest);
			if (match && routeMethod === method) {
				const result = await route(
					sandbox,
					parsed.present && parsed.ok ? parsed.value : undefined,
					match,
					url,
				);
				return sendJson(res, 200, result);
			}
		}
		throw new ApiError(404, 'not_found', `No control route ${method} /__sandbox${rest}`);
	} catch (error) {
		if (error instanceof ApiError) return sendJson(res, error.status, error.toBody());
		throw error;
	}
}
