import {
	expectOneRequest,
	expectRejectedBeforeRequest,
	items,
	SEED,
	useSandbox,
} from '../fixtures';

const env = useSandbox();

const contactParameters = {
	phone: '={{ $json.phone }}',
	contactName: '={{ $json.name }}',
	countryCode: 'SA',
};

const contactIn = (phone: string, name: string) => ({
	platform_id: phone,
	platform: 'whatsapp',
	profile_name: name,
	profile_display_name: name,
	country_code: 'SA',
});

describe('Contact → Create', () => {
	it('creates one contact per item (sync) and outputs it', async () => {
		const result = await env.run(
			{
				resource: 'contact',
				operation: 'create',
				...contactParameters,
				additionalFields: { email: 'sara@example.org', tagIds: [1] },
			},
			{ input: [{ json: { phone: '+966 55 000 0001', name: 'Sara' } }] },
		);
		expect(result.error).toBeUndefined();
		const created = {
			...contactIn('966550000001', 'Sara'),
			profile_email: 'sara@example.org',
			tags: [1],
		};
		expect(result.items.map((item) => item.json)).toEqual([{ ...created, status: 'created' }]);
		expectOneRequest(env, {
			method: 'POST',
			path: '/v1/contact/create',
			query: {},
			body: { mode: 'sync', contacts: [created] },
		});
	});

	it('rejects a bad email before any request', async () => {
		const result = await env.run({
			resource: 'contact',
			operation: 'create',
			phone: '966550000001',
			contactName: 'Sara',
			countryCode: 'SA',
			additionalFields: { email: 'not-an-email' },
		});
		expectRejectedBeforeRequest(env, result, /"not-an-email" is not an email address/);
	});
});

describe('Contact → Create Many (custom operation, batched)', () => {
	const createMany = (
		mode: string,
		count: number,
		continueOnFail = false,
		phone = (i: number) => `9665${String(i).padStart(8, '0')}`,
	) =>
		env.run(
			{ resource: 'contact', operation: 'createMany', mode, ...contactParameters },
			{ input: items(count, (i) => ({ phone: phone(i), name: `Contact ${i}` })), continueOnFail },
		);

	it('sends 10,000 contacts in 10 async requests and returns one item per input item', async () => {
		const result = await createMany('async', 10_000);
		expect(result.error).toBeUndefined();
		const requests = env.requests();
		expect(requests).toHaveLength(10);
		for (const request of requests) {
			expect(request).toMatchObject({ method: 'POST', path: '/v1/contact/create', status: 200 });
			expect(request.headers.authorization).toBe(`Bearer ${env.sandbox.apiKey}`);
			expect((request.body as { mode: string; contacts: unknown[] }).mode).toBe('async');
			expect((request.body as { contacts: unknown[] }).contacts).toHaveLength(1000);
		}
		expect(result.items).toHaveLength(10_000);
		expect(result.items[9_999]).toMatchObject({
			json: {
				...contactIn('966500009999', 'Contact 9999'),
				status: 'accepted',
				mode: 'async',
				batch: 10,
			},
			pairedItem: { item: 9_999 },
		});
	});

	it('sends 20 contacts in sync mode as 15 + 5', async () => {
		const result = await createMany('sync', 20);
		expect(result.error).toBeUndefined();
		expect(
			env.requests().map((request) => (request.body as { contacts: unknown[] }).contacts.length),
		).toEqual([15, 5]);
		expect(result.items.map((item) => item.json.status)).toEqual(Array(20).fill('created'));
	});

	it('uses the bulk endpoint in bulk mode', async () => {
		const result = await createMany('bulk', 3);
		expect(result.error).toBeUndefined();
		expectOneRequest(env, {
			method: 'POST',
			path: '/v1/contact/bulk',
			body: {
				contacts: [0, 1, 2].map((i) =>
					contactIn(`9665${String(i).padStart(8, '0')}`, `Contact ${i}`),
				),
			},
		});
		expect(result.items[0].json).toMatchObject({ status: 'accepted', batchAccepted: 3 });
	});

	it('rejects a bad phone in any item before any request', async () => {
		const result = await createMany('async', 5, false, (i) =>
			i === 3 ? '12' : `9665${String(i).padStart(8, '0')}`,
		);
		expectRejectedBeforeRequest(env, result, /"12" is not a valid phone number/, 3);
	});

	it('with Continue On Fail, reports the bad item and still creates the others', async () => {
		const result = await createMany('async', 5, true, (i) =>
			i === 3 ? '12' : `9665${String(i).padStart(8, '0')}`,
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(5);
		expect(result.items[3].json.error).toMatch(/"12" is not a valid phone number/);
		expect(result.items.filter((item) => item.json.status === 'accepted')).toHaveLength(4);
		expect((env.requests()[0].body as { contacts: unknown[] }).contacts).toHaveLength(4);
	});
});

describe('Contact → Get, Assign to Agent, Add Tags', () => {
	it('gets a contact by a pasted number, simplified', async () => {
		const result = await env.run({
			resource: 'contact',
			operation: 'get',
			phone: '+966-51-111-1111',
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({
			id: 101,
			platform_id: SEED.contactPhone,
			profile_name: 'Ahmed',
			profile_email: 'ahmed@example.com',
			tags: ['VIP'],
			assigned_agent: null,
			last_inbound_at: null,
		});
		expectOneRequest(env, { method: 'GET', path: `/v1/contact/${SEED.contactPhone}`, query: {} });
	});

	it('reports an unknown contact as a 404 with advice', async () => {
		const result = await env.run({ resource: 'contact', operation: 'get', phone: '966599999999' });
		expect((result.error as unknown as { httpCode: string }).httpCode).toBe('404');
		expect(result.error?.description).toMatch(/Check the ID|not a contact/);
	});

	it('rejects a bad number for Get before any request', async () => {
		const result = await env.run({ resource: 'contact', operation: 'get', phone: '+1 23' });
		expectRejectedBeforeRequest(env, result, /"\+1 23" is not a valid phone number/);
	});

	it('assigns a contact to an agent by email', async () => {
		const result = await env.run({
			resource: 'contact',
			operation: 'assign',
			phone: SEED.contactPhone,
			agentEmail: { __rl: true, mode: 'list', value: SEED.agent.email },
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({
			platform_id: SEED.contactPhone,
			assigned_platform_id: SEED.agent.email,
		});
		expectOneRequest(env, {
			method: 'POST',
			path: '/v1/contact/assign',
			body: { platform_id: SEED.contactPhone, assigned_platform_id: SEED.agent.email },
		});
	});

	it('rejects an agent that is not an email before any request', async () => {
		const result = await env.run({
			resource: 'contact',
			operation: 'assign',
			phone: SEED.contactPhone,
			agentEmail: { __rl: true, mode: 'email', value: 'Sara' },
		});
		expectRejectedBeforeRequest(env, result, /"Sara" is not an agent's email/);
	});

	it('adds tags and returns all tag IDs of the contact', async () => {
		const result = await env.run({
			resource: 'contact',
			operation: 'addTags',
			phone: SEED.contactPhone,
			tagIds: [2],
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({ platform_id: SEED.contactPhone, tag_ids: [1, 2] });
		expectOneRequest(env, {
			method: 'POST',
			path: '/v1/contact/tags',
			body: { platform_id: SEED.contactPhone, tag_ids: [2] },
		});
	});

	it('rejects tag IDs that are not numbers before any request', async () => {
		const result = await env.run({
			resource: 'contact',
			operation: 'addTags',
			phone: SEED.contactPhone,
			tagIds: '={{ ["vip"] }}',
		});
		expectRejectedBeforeRequest(env, result, /Tags: not IDs: "vip"/);
	});
});
