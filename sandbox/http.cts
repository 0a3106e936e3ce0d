/** Small HTTP helpers shared by the API, control and static parts of the sandbox. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

export type ParsedBody =
	| { present: false }
	| { present: true; ok: true; value: unknown }
	| { present: true; ok: false; raw: string; error: string };

export function parseJsonBody(raw: string): ParsedBody {
	if (raw.trim() === '') return { present: false };
	try {
		return { present: true, ok: true, value: JSON.parse(raw) };
	} catch (error) {
		return { present: true, ok: false, raw, error: (error as Error).message };
	}
}

export function sendJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': String(Buffer.byteLength(text)),
		...headers,
	});
	res.end(text);
}

export function sendBytes(
	res: ServerResponse,
	status: number,
	type: string,
	bytes: Buffer | string,
): void {
	res.writeHead(status, {
		'content-type': type,
		'content-length': String(Buffer.byteLength(bytes)),
	});
	res.end(bytes);
}

export function queryObject(url: URL): Record<string, string> {
	return Object.fromEntries(url.searchParams.entries());
}

export function lowerCaseHeaders(req: IncomingMessage): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(req.headers)) {
		if (value !== undefined)
			headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
	}
	return headers;
}
