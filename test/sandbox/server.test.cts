/** Persistence, media samples, the chat route, the control API's own checks and the CLI. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';

import { startSandbox } from '../../sandbox/index.cjs';
import type { Sandbox } from '../../sandbox/index.cjs';
import { CHAT_DIR } from '../../sandbox/server.cjs';
import { callOk, useSandbox } from './helpers.cjs';

const ROOT = join(__dirname, '../..');

describe('sandbox server', () => {
	let sandbox: Sandbox;

	useSandbox({ statusDelayMs: -1 }, (s) => (sandbox = s));

	it('keeps state in a JSON file across a restart when started with stateFile', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'azeer-sandbox-'));
		const stateFile = join(dir, 'state.json');
		try {
			const first = await startSandbox({ stateFile });
			await callOk(first, 'POST', '/tags', { body: { tag: 'Persisted' } });
			await callOk(first, 'POST', '/webhook', {
				body: {
					name: 'w',
					description: '',
					url: 'http://127.0.0.1:9/h',
					event: 'new_contact',
					securetoken: 'keep-me',
					policy: 'none',
					enabled: true,
				},
			});
			first.inbound({ from: '966566666666', text: 'remember me' });
			await first.stop();
			expect(existsSync(stateFile)).toBe(true);
			const second = await startSandbox({ stateFile });
			try {
				expect(
					(await callOk(second, 'GET', '/tags')).body.data.map((t: { tag: string }) => t.tag),
				).toContain('Persisted');
				expect(second.webhooks()[0].securetoken).toBe('keep-me');
				expect(second.messages('966566666666')[0].text).toBe('remember me');
				expect(
					(await callOk(second, 'POST', '/tags', { body: { tag: 'Next' } })).body.data.id,
				).toBe(4);
			} finally {
				await second.stop();
			}
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('serves valid media samples', async () => {
		const get = async (name: string) => {
			const response = await fetch(`${sandbox.origin}/media/${name}`);
			return {
				type: response.headers.get('content-type'),
				bytes: Buffer.from(await response.arrayBuffer()),
			};
		};
		const jpg = await get('sample.jpg');
		expect(jpg.type).toBe('image/jpeg');
		expect([...jpg.bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
		expect([...jpg.bytes.subarray(-2)]).toEqual([0xff, 0xd9]);
		const png = await get('sample.png');
		expect(png.type).toBe('image/png');
		const idatLength = png.bytes.readUInt32BE(33);
		expect(inflateSync(png.bytes.subarray(41, 41 + idatLength))).toHaveLength(16 * (1 + 16 * 3));
		const ogg = await get('sample.ogg');
		expect(ogg.type).toBe('audio/ogg');
		expect(ogg.bytes.subarray(0, 4).toString()).toBe('OggS');
		expect(ogg.bytes.subarray(28, 36).toString()).toBe('OpusHead');
		const pdf = await get('sample.pdf');
		expect(pdf.type).toBe('application/pdf');
		const text = pdf.bytes.toString('latin1');
		const xref = Number(/startxref\n(\d+)/.exec(text)![1]);
		expect(text.slice(xref, xref + 4)).toBe('xref');
		expect((await get('sample.mp4')).bytes.subarray(4, 8).toString()).toBe('ftyp');
		expect((await fetch(`${sandbox.origin}/media/../package.json`)).status).toBe(404);
	});

	it('serves the chat page from sandbox/chat when present and never files outside it', async () => {
		const page = await fetch(sandbox.chatUrl);
		if (existsSync(join(CHAT_DIR, 'index.html')))
			expect(page.headers.get('content-type')).toMatch(/text\/html/);
		else expect(page.status).toBe(404);
		expect((await fetch(`${sandbox.origin}/chat/..%2F..%2Fpackage.json`)).status).toBe(404);
		expect((await fetch(`${sandbox.origin}/chat/%2E%2E/server.cts`)).status).toBe(404);
	});

	it('does not log control, media or chat requests, and clears the log on request', async () => {
		await fetch(`${sandbox.origin}/__sandbox/requests`);
		await fetch(`${sandbox.origin}/media/sample.png`);
		await fetch(sandbox.chatUrl);
		expect(sandbox.requests()).toEqual([]);
		await callOk(sandbox, 'GET', '/tags');
		const logged = await (await fetch(`${sandbox.origin}/__sandbox/requests`)).json();
		expect(logged).toHaveLength(1);
		await fetch(`${sandbox.origin}/__sandbox/requests`, { method: 'DELETE' });
		expect(sandbox.requests()).toEqual([]);
	});

	it('validates control requests and resets to the seed over HTTP', async () => {
		const inbound = (body: unknown) =>
			fetch(`${sandbox.origin}/__sandbox/inbound`, { method: 'POST', body: JSON.stringify(body) });
		const bad = await inbound({ from: '+1', text: 'x' });
		expect(bad.status).toBe(400);
		expect((await bad.json()).errors).toEqual([
			{ field: 'from', message: expect.stringContaining('pattern') },
		]);
		expect((await inbound({ from: '966511111111' })).status).toBe(400);
		expect(
			(await inbound({ from: '966511111111', media: { type: 'image', sample: 'sample.png' } }))
				.status,
		).toBe(200);
		expect(sandbox.messages()[0].content).toMatchObject({
			mime_type: 'image/png',
			filename_url: `${sandbox.origin}/media/sample.png`,
		});
		await callOk(sandbox, 'POST', '/tags', { body: { tag: 'Gone' } });
		expect((await fetch(`${sandbox.origin}/__sandbox/reset`, { method: 'POST' })).status).toBe(200);
		expect((await callOk(sandbox, 'GET', '/tags')).body.data).toHaveLength(2);
		expect(sandbox.messages()).toEqual([]);
		const info = await (await fetch(`${sandbox.origin}/__sandbox`)).json();
		expect(info).toMatchObject({
			baseUrl: sandbox.baseUrl,
			keys: sandbox.keys,
			chatUrl: sandbox.chatUrl,
		});
		expect((await fetch(`${sandbox.origin}/__sandbox/nothing`)).status).toBe(404);
	});

	it('advances and sets statuses over the control API', async () => {
		sandbox.inbound({ from: '966511111111', text: 'hi' });
		const sent = await callOk(sandbox, 'POST', '/message/send', {
			body: { to: '966511111111', type: 'text', text: { body: 'yo' } },
		});
		const id = sent.body.data.message_id;
		const advanced = await (
			await fetch(`${sandbox.origin}/__sandbox/statuses/advance`, {
				method: 'POST',
				body: JSON.stringify({ message_id: id }),
			})
		).json();
		expect(advanced.map((m: { status: string }) => m.status)).toEqual(['delivered']);
		const failed = await fetch(`${sandbox.origin}/__sandbox/messages/${id}/status`, {
			method: 'POST',
			body: '{"status":"failed"}',
		});
		expect((await failed.json()).status).toBe('failed');
		expect(sandbox.advanceStatuses()).toEqual([]);
		expect(
			(
				await fetch(`${sandbox.origin}/__sandbox/messages/1/status`, {
					method: 'POST',
					body: '{"status":"read"}',
				})
			).status,
		).toBe(404);
	});

	it('refuses to listen on a non-loopback address', async () => {
		await expect(startSandbox({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
	});

	it('starts from the CLI, prints its URL and keys, and stops on SIGTERM', async () => {
		const child = spawn(
			process.execPath,
			['--import', 'tsx', 'sandbox/cli.cts', '--port', '0', '--rw-key', 'cli-key'],
			{ cwd: ROOT },
		);
		let output = '';
		const baseUrl = await new Promise<string>((resolve, reject) => {
			child.stdout.on('data', (chunk: Buffer) => {
				output += chunk.toString();
				const match = /Base URL[^:]*: (\S+)/.exec(output);
				if (match && output.includes('Control API')) resolve(match[1]);
			});
			child.on('exit', (code) => reject(new Error(`CLI exited ${code}: ${output}`)));
		});
		expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
		expect(output).toContain('Read-write key: cli-key');
		expect(output).toContain('Read-only key:  sandbox-ro-key');
		const answer = await fetch(`${baseUrl}/tags`, { headers: { authorization: 'Bearer cli-key' } });
		expect(answer.status).toBe(200);
		const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
	});
});
