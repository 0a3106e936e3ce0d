import { webhookSecret } from '../../../nodes/AzeerTrigger/verification';
import { registeredOf, startWorld, webhooksOf } from './setup.cjs';
import type { World } from './setup.cjs';

const EVENTS = ['incoming_msg', 'new_contact', 'message_status_changed'];

describe('Azeer Trigger webhook lifecycle against the sandbox', () => {
	let world: World;

	beforeEach(async () => {
		world = await startWorld({ events: EVENTS });
	});

	afterEach(async () => {
		await world.stop();
	});

	it('registers one webhook per event, each with a secret derived from the key, a fresh nonce, the event and the URL', async () => {
		await world.host.activate();

		const created = world.sandbox
			.requests()
			.filter((r) => r.method === 'POST' && r.path === '/v1/webhook');
		expect(created.map((r) => (r.body as { event: string }).event).sort()).toEqual(
			[...EVENTS].sort(),
		);
		const path = new URL(world.host.url('production')).pathname;
		const nonces = new Set<string>();
		for (const request of created) {
			const body = request.body as Record<string, string>;
			expect(request.headers.authorization).toBe('Bearer sandbox-rw-key');
			expect(body).toMatchObject({ policy: 'retry', enabled: true });
			const nonce = new URL(body.url).searchParams.get('nonce')!;
			nonces.add(nonce);
			expect(nonce).toMatch(/^[0-9a-f]{32}$/);
			expect(body.securetoken).toBe(webhookSecret('sandbox-rw-key', nonce, body.event, path));
			expect(body.url).toBe(
				`${world.host.url('production')}?nonce=${nonce}&token=${body.securetoken}`,
			);
			expect(body.url).not.toContain('sandbox-rw-key');
		}
		expect(nonces.size).toBe(1);
		expect(new Set(created.map((r) => (r.body as { securetoken: string }).securetoken)).size).toBe(
			3,
		);

		// Static data only caches the ids; no secret is stored in n8n's database.
		const tracked = world.host.tracked('production');
		expect(tracked.map((w) => w.id).sort()).toEqual(
			webhooksOf(world)
				.map((w) => w.id)
				.sort(),
		);
		expect(JSON.stringify(world.host.savedStaticData)).not.toMatch(/secret/);

		// The next activation uses another nonce, so the old tokens do not open the new webhooks.
		await world.host.deactivate();
		await world.host.activate();
		expect(nonces.has(registeredOf(world)[0].nonce)).toBe(false);
	});

	it('leaves no webhook behind after 20 activate/deactivate cycles with 3 events', async () => {
		for (let cycle = 0; cycle < 20; cycle++) {
			await world.host.activate();
			expect(webhooksOf(world)).toHaveLength(3);
			expect(await world.host.deactivate()).toBe(true);
			expect(world.sandbox.webhooks()).toHaveLength(0);
		}
		expect(world.host.tracked('production')).toHaveLength(0);
		const deletes = world.sandbox.requests().filter((r) => r.method === 'DELETE');
		expect(deletes).toHaveLength(60);
		expect(deletes.every((r) => r.status === 200)).toBe(true);
	});

	it('keeps existing webhooks when they are intact, re-creates them when one was removed or changed', async () => {
		await world.host.activate();
		const first = world.host.tracked('production').map((w) => w.id);

		world.sandbox.clearRequests();
		await world.host.activate();
		expect(world.host.tracked('production').map((w) => w.id)).toEqual(first);
		// Decided from Azeer's list, in one request.
		expect(world.sandbox.requests().map((r) => `${r.method} ${r.path}`)).toEqual([
			'GET /v1/webhook',
		]);

		// Someone deletes one of them in Mottasl: the next activation registers a full fresh set.
		await fetch(`${world.sandbox.baseUrl}/webhook/${first[1]}`, {
			method: 'DELETE',
			headers: { authorization: 'Bearer sandbox-rw-key' },
		});
		await world.host.activate();
		const second = world.host.tracked('production').map((w) => w.id);
		expect(second.some((id) => first.includes(id))).toBe(false);
		expect(
			webhooksOf(world)
				.map((w) => w.id)
				.sort(),
		).toEqual([...second].sort());

		// Fewer events selected: only that event stays registered.
		world.host.parameters = { events: ['incoming_msg'] };
		await world.host.activate();
		expect(webhooksOf(world).map((w) => w.event)).toEqual(['incoming_msg']);
		await world.host.deactivate();
		expect(world.sandbox.webhooks()).toHaveLength(0);
	});

	it('adopts webhooks left by a crash between creating them and saving static data, and removes them on deactivation', async () => {
		const unrelated = await fetch(`${world.sandbox.baseUrl}/webhook`, {
			method: 'POST',
			headers: { authorization: 'Bearer sandbox-rw-key', 'content-type': 'application/json' },
			body: JSON.stringify({
				name: 'someone else',
				description: 'not ours',
				url: 'http://127.0.0.1:9/elsewhere',
				event: 'incoming_msg',
				securetoken: 'other',
				policy: 'none',
				enabled: true,
			}),
		});
		expect(unrelated.status).toBe(200);

		await world.host.activate();
		// The crash: n8n never saved the static data that tracks the three webhooks.
		world.host.savedStaticData = {};
		expect(webhooksOf(world)).toHaveLength(3);
		const first = webhooksOf(world).map((w) => w.id);

		// Azeer's list shows a complete, current set: it is kept and cached again.
		await world.host.activate();
		expect(webhooksOf(world).map((w) => w.id)).toEqual(first);
		expect(world.host.tracked('production').map((w) => w.id)).toEqual(first);
		expect(world.sandbox.webhooks()).toHaveLength(4);

		// A half-made set (one create lost with the static data): replaced by a full fresh one.
		await fetch(`${world.sandbox.baseUrl}/webhook/${first[0]}`, {
			method: 'DELETE',
			headers: { authorization: 'Bearer sandbox-rw-key' },
		});
		world.host.savedStaticData = {};
		await world.host.activate();
		const current = webhooksOf(world).map((w) => w.id);
		expect(current).toHaveLength(3);
		expect(current.some((id) => first.includes(id))).toBe(false);

		await world.host.deactivate();
		expect(world.sandbox.webhooks().map((w) => w.name)).toEqual(['someone else']);
	});

	it('treats a webhook already deleted on Azeer (404) as gone when deactivating', async () => {
		await world.host.activate();
		const [firstId] = world.host.tracked('production').map((w) => w.id);
		await fetch(`${world.sandbox.baseUrl}/webhook/${firstId}`, {
			method: 'DELETE',
			headers: { authorization: 'Bearer sandbox-rw-key' },
		});
		expect(await world.host.deactivate()).toBe(true);
		expect(world.sandbox.webhooks()).toHaveLength(0);
		expect(world.host.tracked('production')).toHaveLength(0);
	});

	it('fails activation clearly on a 429 for the third webhook and leaves nothing behind', async () => {
		// The first two creates pass (the "slow" fault only delays them), the third gets a 429.
		world.sandbox.fault({ kind: 'slow', count: 2, method: 'POST', path: '/webhook', delayMs: 1 });
		world.sandbox.fault({ kind: '429', count: 1, method: 'POST', path: '/webhook', retryAfter: 7 });

		const error = await world.host.activate().then(
			() => undefined,
			(e: Error & { description?: string; httpCode?: string }) => e,
		);
		expect(error?.message).toBe(
			'Could not register the Azeer webhook for Contact Created (new_contact): Too many requests; retry after 7 s (HTTP 429)',
		);
		expect(error?.httpCode).toBe('429');
		expect(error?.description).toContain('wait 7 s');
		expect(error?.description).toContain('No webhook of this trigger was left registered.');
		expect(world.sandbox.webhooks()).toHaveLength(0);
		expect(
			world.sandbox.requests().filter((r) => r.method === 'POST' && r.status === 200),
		).toHaveLength(2);
		expect(world.host.tracked('production')).toHaveLength(0);

		// Once Azeer accepts requests again, activation works.
		await world.host.activate();
		expect(webhooksOf(world)).toHaveLength(3);
	});

	it('fails activation clearly on a 500 for the first webhook and leaves nothing behind', async () => {
		world.sandbox.fault({ kind: '500', count: 1, method: 'POST', path: '/webhook' });
		await expect(world.host.activate()).rejects.toThrow(
			/^Could not register the Azeer webhook for Message Received \(incoming_msg\): .+ \(HTTP 500\)$/,
		);
		expect(world.sandbox.webhooks()).toHaveLength(0);
		expect(world.host.active).toBe(false);
	});

	it('registers the test URL and the production URL side by side without touching each other', async () => {
		await world.host.activate('production');
		await world.host.activate('test');
		expect(webhooksOf(world, 'production')).toHaveLength(3);
		expect(webhooksOf(world, 'test')).toHaveLength(3);
		expect(world.host.tracked('test').map((w) => w.url.split('?')[0])).toEqual(
			Array(3).fill(world.host.url('test')),
		);

		await world.host.deactivate('test');
		expect(webhooksOf(world, 'test')).toHaveLength(0);
		expect(webhooksOf(world, 'production')).toHaveLength(3);
		await world.host.deactivate('production');
		expect(world.sandbox.webhooks()).toHaveLength(0);
	});
});
