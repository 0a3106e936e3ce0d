/**
 * n8n may lose the workflow's static data (or hold an old copy), and n8n's public URL
 * may change while the workflow stays active. Neither may refuse a genuine delivery, leave a
 * webhook behind, or register a second set.
 */
import { refusalsLogged, registeredOf, startWorld, webhooksOf } from './setup.cjs';
import type { World } from './setup.cjs';

const EVENTS = ['incoming_msg', 'new_contact'];
const CONTACT = '966577700001';
const TOKEN_MISMATCH = expect.stringMatching(
	/^the URL token does not match \(if the API key of the credential was changed, deactivate and activate/,
);

describe('Azeer Trigger without its static data', () => {
	let world: World;

	beforeEach(async () => {
		world = await startWorld({ events: EVENTS });
	});

	afterEach(async () => {
		await world.stop();
	});

	async function settle(): Promise<void> {
		await world.sandbox.settle();
		await world.host.idle();
	}

	it('starts the workflow for a delivery after the static data was wiped', async () => {
		await world.host.activate();
		world.host.wipeStaticData();

		world.sandbox.inbound({ from: CONTACT, name: 'Sara', text: 'still listening?' });
		await settle();
		expect(world.host.executions.map((e) => e.items[0].json.event).sort()).toEqual([
			'incoming_msg',
			'new_contact',
		]);
		const deliveries = world.sandbox.deliveries();
		expect(deliveries.map((d) => [d.event, d.attempt, d.status])).toEqual(
			expect.arrayContaining([
				['incoming_msg', 1, 200],
				['new_contact', 1, 200],
			]),
		);
		expect(deliveries).toHaveLength(2);
		expect(world.host.answers.filter((a) => a.status === 401)).toHaveLength(0);
	});

	it('catches repeats in process memory, writing no delivery keys, when n8n does not save the static data of a started execution', async () => {
		world.host.savesStaticDataOfStartedExecutions = false;
		await world.host.activate();
		const savesAfterActivation = world.host.staticDataSaves;

		world.sandbox.inbound({ from: CONTACT, name: 'Sara', text: 'once please', duplicate: 3 });
		await settle();
		const copies = world.sandbox.deliveries().filter((d) => d.event === 'incoming_msg');
		expect(copies.map((d) => [d.copy, d.status])).toEqual([
			[1, 200],
			[2, 200],
			[3, 200],
		]);
		expect(
			world.host.executions.filter((e) => e.items[0].json.event === 'incoming_msg'),
		).toHaveLength(1);
		// The process's memory caught copies 2 and 3. Copy 2 wrote the static data once, to record
		// that this webhook signs its deliveries; copy 3 wrote nothing. No delivery key is kept there.
		expect(world.host.staticDataSaves - savesAfterActivation).toBe(1);
		const saved = Object.values(world.host.savedStaticData) as Array<{
			signed?: object;
			seen?: object;
		}>;
		expect(saved.map((data) => [data.signed !== undefined, data.seen])).toEqual([
			[true, undefined],
		]);
	});

	it('leaves 0 webhooks when the static data was wiped between activation and deactivation', async () => {
		await world.host.activate();
		expect(webhooksOf(world)).toHaveLength(2);
		world.host.wipeStaticData();

		expect(await world.host.deactivate()).toBe(true);
		expect(world.sandbox.webhooks()).toHaveLength(0);
		const deletes = world.sandbox.requests().filter((r) => r.method === 'DELETE');
		expect(deletes.map((r) => r.status)).toEqual([200, 200]);
	});

	it('keeps exactly one webhook per event when the static data was wiped before a second activation', async () => {
		await world.host.activate();
		const first = webhooksOf(world).map((w) => w.id);
		world.host.wipeStaticData();

		await world.host.activate();
		// The list shows the registrations are intact: nothing is re-created.
		expect(webhooksOf(world).map((w) => w.id)).toEqual(first);
		expect(world.sandbox.requests().filter((r) => r.method === 'POST')).toHaveLength(2);

		// Forced re-creation (an event added) after another wipe: still one per event.
		world.host.wipeStaticData();
		world.host.parameters = { events: [...EVENTS, 'message_status_changed'] };
		await world.host.activate();
		expect(
			webhooksOf(world)
				.map((w) => w.event)
				.sort(),
		).toEqual(['incoming_msg', 'message_status_changed', 'new_contact']);
		expect(webhooksOf(world).some((w) => first.includes(w.id))).toBe(false);
		expect(new Set(registeredOf(world).map((w) => w.nonce)).size).toBe(1);
	});

	it('does not touch the saved static data when it refuses a delivery', async () => {
		// n8n saves a webhook call's static data over the row when the node changed it: a refusal
		// that wrote an empty record is how the registrations got lost in a real n8n.
		await world.host.activate();
		// As for a delivery that n8n loaded before the activation had saved the static data.
		world.host.wipeStaticData();
		const saved = world.host.savedStaticData;
		const [webhook] = registeredOf(world);
		const forged = await fetch(
			`${world.host.url('production')}?nonce=${webhook.nonce}&token=${'0'.repeat(64)}`,
			{
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ webhook_event_type: webhook.event, event_id: 'forged' }),
			},
		);
		expect(forged.status).toBe(401);
		await world.host.idle();
		expect(world.host.savedStaticData).toBe(saved);
		expect(refusalsLogged(world)).toEqual([TOKEN_MISMATCH]);
	});

	it('removes untracked webhooks of the test URL when "Listen for test event" ends, and leaves production alone', async () => {
		await world.host.activate('production');
		await world.host.activate('test');
		world.host.wipeStaticData();
		await world.host.deactivate('test');
		expect(webhooksOf(world, 'test')).toHaveLength(0);
		expect(webhooksOf(world, 'production')).toHaveLength(2);
	});
});

describe('Azeer Trigger when the API key of its credential is rotated', () => {
	let world: World;

	afterEach(async () => {
		await world.stop();
	});

	it('refuses deliveries to the old webhooks until reactivation, then works with the new key only', async () => {
		world = await startWorld({ events: ['incoming_msg'] });
		await world.host.activate();
		world.sandbox.keys.readWrite.push('rotated-rw-key');
		world.credentials.azeerApi = { ...world.credentials.azeerApi, apiKey: 'rotated-rw-key' };

		world.sandbox.inbound({ from: CONTACT, text: 'after rotation' });
		await world.sandbox.settle();
		await world.host.idle();
		expect(world.host.executions).toHaveLength(0);
		expect(world.sandbox.deliveries().map((d) => d.status)).toEqual([401, 401, 401, 401]);
		expect(refusalsLogged(world)).toEqual(Array(4).fill(TOKEN_MISMATCH));

		// Reactivating sees (from Azeer's list) that the webhook's token was not derived from the
		// current key, replaces it, and deliveries start the workflow again.
		const old = webhooksOf(world).map((w) => w.id);
		await world.host.activate();
		expect(webhooksOf(world)).toHaveLength(1);
		expect(webhooksOf(world)[0].id).not.toBe(old[0]);
		world.sandbox.inbound({ from: CONTACT, text: 'after reactivation' });
		await world.sandbox.settle();
		await world.host.idle();
		expect(world.host.executions.map((e) => e.items[0].json.text)).toEqual(['after reactivation']);
		const requests = world.sandbox.requests();
		expect(requests.filter((r) => r.method === 'POST').map((r) => r.headers.authorization)).toEqual(
			['Bearer sandbox-rw-key', 'Bearer rotated-rw-key'],
		);
		expect(JSON.stringify(world.sandbox.webhooks())).not.toContain('rw-key');
	});
});

describe('Azeer Trigger verifying a webhook it has verified before', () => {
	let world: World;

	afterEach(async () => {
		await world.stop();
	});

	it('reuses the secret it derived for 5 minutes: a key changed meanwhile does not stop that webhook yet', async () => {
		world = await startWorld({ events: ['incoming_msg'] });
		await world.host.activate();
		world.sandbox.inbound({ from: CONTACT, text: 'first' });
		await world.sandbox.settle();
		await world.host.idle();

		world.sandbox.keys.readWrite.push('rotated-rw-key');
		world.credentials.azeerApi = { ...world.credentials.azeerApi, apiKey: 'rotated-rw-key' };
		world.sandbox.inbound({ from: CONTACT, text: 'second' });
		await world.sandbox.settle();
		await world.host.idle();
		expect(world.host.executions.map((e) => e.items[0].json.text)).toEqual(['first', 'second']);
		expect(world.sandbox.deliveries().map((d) => d.status)).toEqual([200, 200]);
	});
});

describe("Azeer Trigger when n8n's public URL changes", () => {
	let world: World;

	afterEach(async () => {
		await world.stop();
	});

	it('moves its webhooks to the new URL when n8n calls checkExists again', async () => {
		world = await startWorld({ events: EVENTS });
		await world.host.activate();
		const oldUrl = world.host.url('production');
		await world.host.moveToNewPort();
		expect(world.host.url('production')).not.toBe(oldUrl);

		world.sandbox.inbound({ from: CONTACT, text: 'lost' });
		await world.sandbox.settle();
		expect(world.sandbox.deliveries().every((d) => d.status === null)).toBe(true);
		expect(world.host.executions).toHaveLength(0);

		await world.host.activate();
		expect(world.sandbox.webhooks().map((w) => w.url.split('?')[0])).toEqual([
			world.host.url('production'),
			world.host.url('production'),
		]);
		world.sandbox.inbound({ from: '966522222222', text: 'found' });
		await world.sandbox.settle();
		await world.host.idle();
		expect(world.host.executions.map((e) => e.items[0].json.event).sort()).toEqual([
			'incoming_msg',
			'new_contact',
		]);
		await world.host.deactivate();
		expect(world.sandbox.webhooks()).toHaveLength(0);
	});
});
