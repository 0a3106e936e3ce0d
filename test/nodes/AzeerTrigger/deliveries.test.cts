import { createHmac, randomBytes, randomUUID } from 'node:crypto';

import { expectLogged, lineText } from '../../harness/logs.cjs';
import type { Answer } from './host.cjs';
import { refusalsLogged, registeredOf, startWorld, webhooksOf } from './setup.cjs';
import type { World } from './setup.cjs';

const CONTACT = '966577700001';
const EVENTS = ['incoming_msg', 'new_contact', 'message_status_changed'];

const NO_TOKEN = 'the URL carries no token';
const TOKEN_MISMATCH =
	'the URL token does not match (if the API key of the credential was changed, deactivate and activate the workflow to register its webhooks again)';
const BAD_SIGNATURE = 'the x-azeer-signature header does not match';
const NO_SIGNATURE = 'the x-azeer-signature header is missing';
const OUTSIDE_WINDOW = 'the x-azeer-timestamp header is outside the allowed window';

/** What the trigger logs when it refuses each forgery of the 60-forgery test. */
const REFUSAL_REASONS: Record<string, string> = {
	'no token': NO_TOKEN,
	'no nonce':
		'the URL carries no valid nonce (webhooks registered by version 0.1.0 have none: deactivate and activate the workflow)',
	'another nonce': TOKEN_MISMATCH,
	'empty token': NO_TOKEN,
	'wrong token': TOKEN_MISMATCH,
	'token of another webhook': TOKEN_MISMATCH,
	'truncated token (63)': TOKEN_MISMATCH,
	'truncated token (32)': TOKEN_MISMATCH,
	'truncated token (1)': TOKEN_MISMATCH,
	'token with a suffix': TOKEN_MISMATCH,
	'upper-case token': TOKEN_MISMATCH,
	'token given twice': NO_TOKEN,
	'replay with altered fields': BAD_SIGNATURE,
	'altered replay without signature': NO_SIGNATURE,
	'new event, no signature': NO_SIGNATURE,
	'bad signature': BAD_SIGNATURE,
	'signature without timestamp': 'the x-azeer-timestamp header is missing or not unix seconds',
	'stale timestamp': OUTSIDE_WINDOW,
	'timestamp in the future': OUTSIDE_WINDOW,
	'wrong securetoken header': 'the x-azeer-securetoken header does not match',
	'event header of another event': 'the x-azeer-event header and the body name different events',
	'empty body': 'the body names no event',
};

function sign(secret: string, timestamp: string, body: string): string {
	return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

async function post(url: string, headers: Record<string, string>, body: string): Promise<number> {
	const response = await fetch(url, { method: 'POST', headers, body });
	await response.text();
	return response.status;
}

describe('Azeer Trigger deliveries from the sandbox', () => {
	let world: World;

	afterEach(async () => {
		await world.stop();
	});

	async function settle(): Promise<void> {
		await world.sandbox.settle();
		await world.host.idle();
	}

	function executionsOf(event: string) {
		return world.host.executions.filter((execution) => execution.items[0].json.event === event);
	}

	describe('with three events on the production URL', () => {
		beforeEach(async () => {
			world = await startWorld({ events: EVENTS });
			await world.host.activate();
		});

		it('starts the workflow with a simplified item for each genuine delivery', async () => {
			const { message_id: messageId, id } = world.sandbox.inbound({
				from: CONTACT,
				name: 'Sara',
				text: 'hello',
			});
			await settle();

			expect(executionsOf('new_contact')).toHaveLength(1);
			const [incoming] = executionsOf('incoming_msg');
			expect(incoming.mode).toBe('production');
			expect(incoming.items).toHaveLength(1);
			expect(incoming.items[0].json).toMatchObject({
				event: 'incoming_msg',
				contactPhone: CONTACT,
				contactName: 'Sara',
				direction: 'in',
				messageType: 'text',
				text: 'hello',
				messageId,
				whatsappMessageId: id,
			});
			expect(incoming.items[0].json.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
			expect(world.sandbox.deliveries().every((d) => d.status === 200)).toBe(true);
		});

		it('starts one execution for an event delivered 3 times, and for a retry after a lost answer', async () => {
			world.sandbox.inbound({ from: CONTACT, text: 'once please', duplicate: 3 });
			await settle();
			const copies = world.sandbox.deliveries().filter((d) => d.event === 'incoming_msg');
			expect(copies.map((d) => [d.copy, d.status])).toEqual([
				[1, 200],
				[2, 200],
				[3, 200],
			]);
			expect(new Set(copies.map((d) => d.event_id)).size).toBe(1);
			expect(executionsOf('incoming_msg')).toHaveLength(1);

			// The workflow starts but n8n's answer never reaches Azeer, so Azeer retries.
			world.host.dropAnswers = 1;
			world.sandbox.fireEvent('message_status_changed', { status: 'read' });
			await settle();
			const attempts = world.sandbox
				.deliveries()
				.filter((d) => d.event === 'message_status_changed');
			expect(attempts.map((d) => [d.attempt, d.status])).toEqual([
				[1, null],
				[2, 200],
			]);
			expect(executionsOf('message_status_changed')).toHaveLength(1);
		});

		it('refuses 60 forged deliveries with 401, starts nothing, and still accepts genuine ones', async () => {
			world.sandbox.inbound({ from: CONTACT, name: 'Sara', text: 'genuine' });
			world.sandbox.fireEvent('message_status_changed', { status: 'delivered' });
			await settle();
			expect(world.host.executions).toHaveLength(3);
			const genuine = (event: string): Answer => {
				const answer = world.host.answers.find(
					(a) => a.status === 200 && a.headers['x-azeer-event'] === event,
				);
				if (!answer) throw new Error(`no genuine ${event} delivery`);
				return answer;
			};
			const registered = (event: string) => registeredOf(world).find((w) => w.event === event)!;
			const base = world.host.url('production');
			const now = Math.floor(Date.now() / 1000);

			const forgeries: Array<{
				name: string;
				url: string;
				headers: Record<string, string>;
				body: string;
			}> = [];
			for (const event of EVENTS) {
				const original = genuine(event);
				const headers = { ...original.headers };
				delete headers['content-length'];
				const { nonce, secret: token } = registered(event);
				const otherToken = registered(EVENTS.find((e) => e !== event)!).secret;
				const withNonce = `${base}?nonce=${nonce}`;
				const url = `${withNonce}&token=${token}`;
				const payload = JSON.parse(original.rawBody) as Record<string, unknown>;
				const altered = JSON.stringify({
					...payload,
					text: 'send me the money',
					status: 'failed',
					contact_name: 'Mallory',
				});
				const fresh = JSON.stringify({ ...payload, event_id: randomUUID() });
				const unsigned = { ...headers };
				delete unsigned['x-azeer-signature'];
				delete unsigned['x-azeer-timestamp'];
				const resigned = (timestamp: number) => ({
					...headers,
					'x-azeer-timestamp': String(timestamp),
					'x-azeer-signature': sign(token, String(timestamp), fresh),
				});
				forgeries.push(
					{ name: 'no token', url: withNonce, headers, body: original.rawBody },
					{ name: 'no nonce', url: `${base}?token=${token}`, headers, body: original.rawBody },
					{
						name: 'another nonce',
						url: `${base}?nonce=${'0'.repeat(32)}&token=${token}`,
						headers,
						body: original.rawBody,
					},
					{ name: 'empty token', url: `${withNonce}&token=`, headers, body: original.rawBody },
					{
						name: 'wrong token',
						url: `${withNonce}&token=${randomBytes(32).toString('hex')}`,
						headers,
						body: original.rawBody,
					},
					{
						name: 'token of another webhook',
						url: `${withNonce}&token=${otherToken}`,
						headers,
						body: original.rawBody,
					},
					{
						name: 'truncated token (63)',
						url: `${withNonce}&token=${token.slice(0, 63)}`,
						headers,
						body: original.rawBody,
					},
					{
						name: 'truncated token (32)',
						url: `${withNonce}&token=${token.slice(0, 32)}`,
						headers,
						body: original.rawBody,
					},
					{
						name: 'truncated token (1)',
						url: `${withNonce}&token=${token.slice(0, 1)}`,
						headers,
						body: original.rawBody,
					},
					{ name: 'token with a suffix', url: `${url}0`, headers, body: original.rawBody },
					{
						name: 'upper-case token',
						url: `${withNonce}&token=${token.toUpperCase()}`,
						headers,
						body: original.rawBody,
					},
					{
						name: 'token given twice',
						url: `${url}&token=${token}`,
						headers,
						body: original.rawBody,
					},
					{ name: 'replay with altered fields', url, headers, body: altered },
					{ name: 'altered replay without signature', url, headers: unsigned, body: altered },
					{ name: 'new event, no signature', url, headers: unsigned, body: fresh },
					{
						name: 'bad signature',
						url,
						headers: {
							...headers,
							'x-azeer-signature': `sha256=${randomBytes(32).toString('hex')}`,
						},
						body: fresh,
					},
					{
						name: 'signature without timestamp',
						url,
						headers: { ...headers, 'x-azeer-timestamp': '' },
						body: original.rawBody,
					},
					{ name: 'stale timestamp', url, headers: resigned(now - 600), body: fresh },
					{ name: 'timestamp in the future', url, headers: resigned(now + 600), body: fresh },
					{
						name: 'wrong securetoken header',
						url,
						headers: { ...headers, 'x-azeer-securetoken': otherToken },
						body: original.rawBody,
					},
					{
						name: 'event header of another event',
						url,
						headers: { ...headers, 'x-azeer-event': 'chat_closed' },
						body: original.rawBody,
					},
					{ name: 'empty body', url, headers: unsigned, body: '' },
				);
			}
			expect(forgeries.length).toBeGreaterThanOrEqual(50);

			const refused: string[] = [];
			const reasons: Record<string, string[]> = {};
			for (const forgery of forgeries) {
				const status = await post(forgery.url, forgery.headers, forgery.body);
				if (status !== 401) refused.push(`${forgery.name}: ${status}`);
				(reasons[forgery.name] ??= []).push(...refusalsLogged(world));
			}
			expect(refused).toEqual([]);
			// Each refusal is logged once, with the reason that names what to check.
			const expectedReasons = Object.fromEntries(
				Object.entries(REFUSAL_REASONS).map(([name, reason]) => [name, EVENTS.map(() => reason)]),
			);
			expect(reasons).toEqual(expectedReasons);
			expect(world.host.executions).toHaveLength(3);

			// An exact replay of a genuine delivery passes verification but is a duplicate.
			const replay = genuine('incoming_msg');
			expect(await post(`${base}${replay.query}`, { ...replay.headers }, replay.rawBody)).toBe(200);
			expect(world.host.executions).toHaveLength(3);

			// Genuine deliveries still pass, for every event.
			world.sandbox.inbound({ from: '966522222222', name: 'Omar', text: 'still there?' });
			world.sandbox.fireEvent('message_status_changed', { status: 'read' });
			await settle();
			expect(world.host.executions).toHaveLength(6);
		});

		it('passes only the selected statuses of status changes', async () => {
			world.host.parameters = { events: EVENTS, options: { statuses: ['failed'] } };
			world.sandbox.fireEvent('message_status_changed', { status: 'read' });
			world.sandbox.fireEvent('message_status_changed', { status: 'failed' });
			await settle();
			expect(executionsOf('message_status_changed').map((e) => e.items[0].json.status)).toEqual([
				'failed',
			]);
			expect(world.sandbox.deliveries().every((d) => d.status === 200)).toBe(true);
		});
	});

	it('filters messages sent by this account unless told otherwise', async () => {
		world = await startWorld({ events: ['incoming_msg', 'outgoing_msg'] });
		await world.host.activate();
		world.sandbox.inbound({ from: CONTACT, text: 'hi bot' });
		const send = async (text: string) => {
			const response = await fetch(`${world.sandbox.baseUrl}/message/send?create=true`, {
				method: 'POST',
				headers: { authorization: 'Bearer sandbox-rw-key', 'content-type': 'application/json' },
				body: JSON.stringify({ to: CONTACT, type: 'text', text: { body: text } }),
			});
			expect(response.status).toBe(200);
		};
		await send('hello human');
		await settle();
		expect(world.host.executions.map((e) => e.items[0].json.event)).toEqual(['incoming_msg']);
		expect(
			world.sandbox
				.deliveries()
				.filter((d) => d.event === 'outgoing_msg')
				.map((d) => d.status),
		).toEqual([200]);

		world.host.parameters = { events: ['incoming_msg', 'outgoing_msg'], ignoreOwnMessages: false };
		await send('second reply');
		await settle();
		const outgoing = executionsOf('outgoing_msg');
		expect(outgoing).toHaveLength(1);
		expect(outgoing[0].items[0].json).toMatchObject({
			direction: 'out',
			contactPhone: CONTACT,
			text: 'second reply',
		});
	});

	it('downloads media into binary data, sending the API key only to the API origin', async () => {
		const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
		world = await startWorld(
			{ events: ['incoming_msg'], simplify: true, options: { downloadMedia: true } },
			{ 'photo.png': { body: png, contentType: 'image/png' } },
		);
		await world.host.activate();

		world.sandbox.inbound({ from: CONTACT, media: { type: 'image' } });
		await settle();
		const [image] = world.host.executions;
		expect(image.items[0].json).toMatchObject({
			messageType: 'image',
			mediaMimeType: 'image/jpeg',
		});
		const served = Buffer.from(
			await (await fetch(String(image.items[0].json.mediaUrl))).arrayBuffer(),
		);
		expect(image.items[0].binary?.data).toMatchObject({
			mimeType: 'image/jpeg',
			fileName: 'sample.jpg',
			fileExtension: 'jpg',
		});
		expect(Buffer.from(image.items[0].binary!.data.data, 'base64').equals(served)).toBe(true);

		// Media on another host (another port counts): fetched without the key.
		world.sandbox.fireEvent('incoming_msg', {
			message_type: 'image',
			filename_url: `${world.host.origin}/files/photo.png`,
			mime_type: 'image/png',
		});
		await settle();
		expect(world.host.fileRequests).toHaveLength(1);
		expect(world.host.fileRequests[0].headers.authorization).toBeUndefined();
		const foreign = world.host.executions[1].items[0].binary?.data;
		expect(foreign).toMatchObject({ mimeType: 'image/png', fileName: 'photo.png' });
		expect(Buffer.from(foreign!.data, 'base64').equals(png)).toBe(true);

		// The same file when the credential's API lives on that host: now the key goes along.
		world.credentials.azeerApi = {
			...world.credentials.azeerApi,
			baseUrl: `${world.host.origin}/v1`,
		};
		world.sandbox.fireEvent('incoming_msg', {
			message_type: 'image',
			filename_url: `${world.host.origin}/files/photo.png`,
			mime_type: 'image/png',
		});
		await settle();
		expect(world.host.fileRequests[1].headers.authorization).toBe('Bearer sandbox-rw-key');

		// A file that cannot be fetched still starts the workflow, saying why the media is missing.
		world.sandbox.fireEvent('incoming_msg', {
			message_type: 'image',
			filename_url: `${world.host.origin}/files/gone.png`,
		});
		await settle();
		expect(world.host.executions[3].items[0].binary).toBeUndefined();
		expect(world.host.executions[3].items[0].json.mediaDownloadError).toEqual(expect.any(String));
		const [warning] = expectLogged('warn', 'Azeer Trigger: could not download media');
		expect(warning.message).toBe(
			`Azeer Trigger: could not download media ${world.host.origin}/files/gone.png: ${String(world.host.executions[3].items[0].json.mediaDownloadError)}`,
		);
		expect(lineText(warning)).not.toContain(String(world.credentials.azeerApi.apiKey));
	});

	it('serves "Listen for test event" on the test URL next to the active production URL', async () => {
		world = await startWorld({ events: ['incoming_msg'], simplify: false });
		await world.host.activate('production');
		await world.host.activate('test');
		expect(webhooksOf(world, 'test')).toHaveLength(1);

		world.sandbox.inbound({ from: CONTACT, text: 'both see me' });
		await settle();
		expect(world.host.executions.map((e) => e.mode).sort()).toEqual(['production', 'test']);
		const test = world.host.executions.find((e) => e.mode === 'test')!;
		expect(test.items[0].json).toMatchObject({
			webhook_event_type: 'incoming_msg',
			text: 'both see me',
			direction: 'in',
		});
		// After its one execution the test registration is gone, on Azeer too; production stays.
		expect(webhooksOf(world, 'test')).toHaveLength(0);
		expect(webhooksOf(world, 'production')).toHaveLength(1);
	});

	it('requires a signature when told to', async () => {
		world = await startWorld({ events: ['incoming_msg'], options: { requireSignature: true } });
		await world.host.activate();
		const [webhook] = registeredOf(world);
		const body = JSON.stringify({
			webhook_event_type: 'incoming_msg',
			event_id: randomUUID(),
			text: 'unsigned',
		});
		expect(
			await post(
				webhook.url,
				{ 'content-type': 'application/json', 'x-azeer-securetoken': webhook.secret },
				body,
			),
		).toBe(401);
		expect(refusalsLogged(world)).toEqual([NO_SIGNATURE]);
		world.sandbox.inbound({ from: CONTACT, text: 'signed' });
		await settle();
		expect(world.host.executions).toHaveLength(1);
	});
});
