import {
	contactIn,
	contactParameters,
	expectOneRequest,
	expectRejectedBeforeRequest,
	items,
	useSandbox,
} from '../../fixtures.cjs';

const env = useSandbox();

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
