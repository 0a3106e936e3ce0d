/**
 * A small load balancer in front of n8n's webhook processes, as production puts one there. In
 * "round-robin" mode each delivery goes to the next upstream in turn; in "by-path" mode every
 * delivery to one URL path goes to the same upstream (a hash of the path), so that a webhook's
 * retries reach the process that saw the first attempt. An upstream that refuses or drops a
 * connection is answered 502 and left out for a few seconds (a passive health check); POSTs are
 * never replayed by the proxy, so the sender's own retry is what reaches a surviving process. In
 * "mirror" mode every delivery is sent to all upstreams at the same instant, to test simultaneous
 * copies.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyMode = 'round-robin' | 'by-path' | 'mirror';

export interface ProxiedRequest {
	upstream: number;
	/** The x-azeer-delivery header: which delivery this was. */
	delivery: string | undefined;
	/** What the upstream answered; null when the connection failed. */
	status: number | null;
}

interface UpstreamAnswer {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
}

const DOWN_FOR_MS = 5000;

function readBody(stream: http.IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		stream.on('data', (chunk: Buffer) => chunks.push(chunk));
		stream.on('end', () => resolve(Buffer.concat(chunks)));
		stream.on('error', reject);
	});
}

export class WebhookProxy {
	mode: ProxyMode = 'round-robin';
	readonly log: ProxiedRequest[] = [];
	private next = 0;
	private readonly downUntil = new Map<number, number>();
	private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
	private readonly server = http.createServer((req, res) => {
		this.handle(req, res).catch((error: Error) => {
			if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
			res.end(`proxy: ${error.message}`);
		});
	});
	origin = '';

	/** `upstreams`: origins like http://127.0.0.1:5680 */
	constructor(private readonly upstreams: string[]) {}

	async listen(): Promise<this> {
		await new Promise<void>((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(0, '127.0.0.1', () => resolve());
		});
		this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this;
	}

	/** Points upstream `index` at a (re)started process and takes it back into rotation. */
	replaceUpstream(index: number, origin: string): void {
		this.upstreams[index] = origin;
		this.downUntil.delete(index);
	}

	async close(): Promise<void> {
		this.agent.destroy();
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	/** The upstream a "by-path" balancer sends this URL's deliveries to while it is up. */
	upstreamForPath(url: string): number {
		const digest = createHash('sha256').update(url.split('?')[0]).digest();
		return digest.readUInt32BE(0) % this.upstreams.length;
	}

	private healthy(): number[] {
		const now = Date.now();
		const up = this.upstreams
			.map((_, index) => index)
			.filter((index) => (this.downUntil.get(index) ?? 0) <= now);
		return up.length ? up : this.upstreams.map((_, index) => index);
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const body = await readBody(req);
		const healthy = this.healthy();
		let targets: number[];
		if (this.mode === 'mirror') {
			targets = healthy;
		} else {
			const position =
				this.mode === 'by-path'
					? this.upstreamForPath(req.url ?? '/')
					: this.next++ % this.upstreams.length;
			// The next healthy upstream at or after this position.
			targets = [healthy.find((index) => index >= position) ?? healthy[0]];
		}
		const answers = await Promise.all(targets.map((index) => this.forward(index, req, body)));
		const answer =
			answers.find((candidate) => candidate && candidate.status < 300) ?? answers.find(Boolean);
		if (!answer) {
			res.writeHead(502, { 'content-type': 'text/plain' });
			res.end('proxy: no upstream answered');
			return;
		}
		const { 'content-type': contentType } = answer.headers;
		res.writeHead(answer.status, contentType ? { 'content-type': contentType } : {});
		res.end(answer.body);
	}

	private async forward(
		index: number,
		req: http.IncomingMessage,
		body: Buffer,
	): Promise<UpstreamAnswer | undefined> {
		const entry: ProxiedRequest = {
			upstream: index,
			delivery: req.headers['x-azeer-delivery'] as string | undefined,
			status: null,
		};
		this.log.push(entry);
		const target = new URL(req.url ?? '/', this.upstreams[index]);
		try {
			const answer = await new Promise<UpstreamAnswer>((resolve, reject) => {
				const upstream = http.request(
					target,
					{
						method: req.method,
						agent: this.agent,
						headers: { ...req.headers, host: target.host, 'content-length': String(body.length) },
					},
					(response) => {
						readBody(response).then(
							(responseBody) =>
								resolve({
									status: response.statusCode ?? 502,
									headers: response.headers,
									body: responseBody,
								}),
							reject,
						);
					},
				);
				upstream.on('error', reject);
				upstream.end(body);
			});
			entry.status = answer.status;
			return answer;
		} catch {
			this.downUntil.set(index, Date.now() + DOWN_FOR_MS);
			return undefined;
		}
	}
}
