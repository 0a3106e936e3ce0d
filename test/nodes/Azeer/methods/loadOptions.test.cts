import { getAgents, getCustomFields, getTags } from '../../../../nodes/Azeer/methods/loadOptions';
import { useSandbox } from '../fixtures.cjs';
import { loadOptionsContext } from '../methodContext.cjs';

const env = useSandbox();
const context = () =>
	loadOptionsContext(env.sandbox, { resource: 'message', operation: 'sendTemplate' });

describe("option lists run with n8n-core's LoadOptionsContext against the sandbox", () => {
	it("getTags, getAgents and getCustomFields return the sandbox's records", async () => {
		expect(await getTags.call(context())).toEqual([
			{ name: 'Lead', value: 2, description: 'New lead' },
			{ name: 'VIP', value: 1, description: 'VIP client' },
		]);
		expect((await getAgents.call(context())).map((option) => option.value)).toEqual([2, 1]);
		expect((await getCustomFields.call(context())).map((option) => option.name)).toEqual([
			'Birthday (date)',
			'City (text)',
			'Company (text)',
			'Orders count (number)',
			'Plan (dropdown)',
		]);
	});

	it('a read-only key is enough for the dropdowns; a wrong key gets the 401 advice', async () => {
		await expect(
			getTags.call(loadOptionsContext(env.sandbox, {}, env.sandbox.readOnlyKey)),
		).resolves.toHaveLength(2);
		const failure = getTags.call(loadOptionsContext(env.sandbox, {}, 'wrong-key'));
		await expect(failure).rejects.toMatchObject({
			httpCode: '401',
			description: expect.stringMatching(/key was not accepted/),
		});
	});
});
