/**
 * A broadcast (the template-broadcast example's Send Template over many items) as one unit, on
 * n8n's engine against the sandbox with its rate limits on: paced to the account, every recipient
 * messaged exactly once, nothing sent when one item is bad, and a failure mid-run told with what
 * was sent. Counts and order are asserted, never timings.
 */
import { ExecuteContext } from 'n8n-core';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import {
	itemRanges,
	QUADRATIC_SPLIT_FROM_ITEMS,
} from '../../../../nodes/Azeer/shared/operationRun';
import { AZEER_NODE_TYPE } from '../../../harness/engine.cjs';
import { expectLogged, lineText, loggedLines } from '../../../harness/logs.cjs';
import {
	acceptedSends,
	BROADCAST_PARAMETERS,
	broadcastItems,
	DECLARATIVE_AZEER_TYPE,
	turnsBeforeFirstRequest,
	useSandbox,
} from '../fixtures.cjs';
import type { AzeerTestEnv } from '../fixtures.cjs';

const env = useSandbox({ perTest: true });

const broadcast = (parameters: INodeParameters = {}) => ({
	...BROADCAST_PARAMETERS,
	...parameters,
});
const withCap = (maxPerSecond: number) =>
	broadcast({ sendOptions: { createContact: true, maxPerSecond } });
const phone = (index: number) => String(966501000000 + index);
const range = (from: number, to: number) =>
	Array.from({ length: to - from }, (_, i) => phone(from + i));

function expectEachMessagedOnce(testEnv: AzeerTestEnv, phones: string[]) {
	const outgoing = testEnv.sandbox.messages().filter((message) => message.direction === 'out');
	const perRecipient = new Map<string, number>();
	for (const message of outgoing)
		perRecipient.set(message.to!, (perRecipient.get(message.to!) ?? 0) + 1);
	expect([...perRecipient.entries()].filter(([, count]) => count !== 1)).toEqual([]);
	expect([...perRecipient.keys()].sort()).toEqual([...phones].sort());
}

/** The hints n8n shows in the node's output pane after the run. */
const hintsOf = (result: Awaited<ReturnType<AzeerTestEnv['run']>>) =>
	result.run.data.resultData.runData.Azeer[0].hints ?? [];

/** The recipients in the order their first request reached the sandbox. */
function firstAttemptOrder(testEnv: AzeerTestEnv): string[] {
	const seen = new Set<string>();
	for (const request of testEnv.requests())
		if (request.path === '/v1/message/send') seen.add((request.body as IDataObject).to as string);
	return [...seen];
}

describe('Broadcast pacing', () => {
	it('keeps to a low account limit (20/s): every message once, started in item order, 429s bounded', async () => {
		env.sandbox.setLimits({ accountPerSecond: 20, recipientIntervalSeconds: 6 });
		const result = await env.run(broadcast(), { input: broadcastItems(100) });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(100);
		expect(result.items.map((item) => item.json.to)).toEqual(range(0, 100));
		expectEachMessagedOnce(env, range(0, 100));
		expect(firstAttemptOrder(env)).toEqual(range(0, 100));
		// The node slows down to the account's pace instead of hammering it: far fewer 429s than messages.
		const { throttled } = env.sandbox.limits();
		expect(throttled.account).toBeLessThan(100);
		expect(acceptedSends(env)).toHaveLength(100);
	});

	it.each([
		['with', 'always'],
		['without', 'never'],
	] as const)(
		'gets through a 429 storm %s Retry-After with every message sent once',
		async (_label, retryAfter) => {
			env.sandbox.setLimits({ accountPerSecond: 10, recipientIntervalSeconds: 6, retryAfter });
			const result = await env.run(broadcast(), { input: broadcastItems(40) });
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(40);
			expectEachMessagedOnce(env, range(0, 40));
			const { throttled } = env.sandbox.limits();
			expect(throttled.account).toBeGreaterThan(0);
			expect(throttled.withRetryAfter).toBe(retryAfter === 'always' ? throttled.account : 0);
		},
	);

	it('waits out the pair rate of a number that appears twice, without failing the run', async () => {
		env.sandbox.setLimits({
			accountPerSecond: 0,
			recipientIntervalSeconds: 1,
			retryAfter: 'always',
		});
		const input = [...broadcastItems(3), ...broadcastItems(1)];
		const result = await env.run(broadcast(), { input });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.to)).toEqual([
			phone(0),
			phone(1),
			phone(2),
			phone(0),
		]);
		expect(env.sandbox.limits().throttled.recipient).toBeGreaterThan(0);
		expect(acceptedSends(env)).toEqual([phone(0), phone(1), phone(2), phone(0)]);
	});

	it('caps the rate at Max Messages per Second', async () => {
		const result = await env.run(withCap(50), { input: broadcastItems(20) });
		expect(result.error).toBeUndefined();
		expect(acceptedSends(env)).toEqual(range(0, 20));
	});
});

describe('All items are checked before the first request', () => {
	const withBadPhones = (count: number, ...bad: number[]) =>
		broadcastItems(count).map((item, index) =>
			bad.includes(index) ? { json: { ...item.json, phone: `05${index}x` } } : item,
		);

	it('one bad item at 700 of 1,000: no request, the error names the item and the field', async () => {
		const result = await env.run(broadcast(), { input: withBadPhones(1000, 700) });
		expect(env.requests()).toEqual([]);
		expect(result.error?.message).toBe('To: "05700x" is not a valid phone number [item 700]');
		expect(result.error?.context?.itemIndex).toBe(700);
		expect(result.error?.description).toMatch(
			/Nothing was sent: all 1000 items are checked before the first request/,
		);
	});

	it('several bad items are all named, up to ten', async () => {
		const bad = [3, 10, 20, 30, 40, 50, 60, 70, 80, 90, 150, 199];
		const result = await env.run(broadcast(), { input: withBadPhones(200, ...bad) });
		expect(env.requests()).toEqual([]);
		expect(result.error?.message).toBe('12 of 200 items have invalid values [item 3]');
		expect(result.error?.description).toContain(
			'item 3: To: "053x" is not a valid phone number; item 10: To: "0510x"',
		);
		expect(result.error?.description).toContain(
			'item 90: To: "0590x" is not a valid phone number; and 2 more.',
		);
	});
});

/** The prototype that defines n8n's getNode(), which returns a deep copy of the node. */
function getNodeOwner(): { getNode: () => unknown } {
	let owner = ExecuteContext.prototype as object;
	while (!Object.prototype.hasOwnProperty.call(owner, 'getNode'))
		owner = Object.getPrototypeOf(owner) as object;
	return owner as { getNode: () => unknown };
}

describe('A run over thousands of items', () => {
	it("copies the node (n8n's getNode()) as often for 60 items as for 10: once per run, not per item", async () => {
		const getNode = jest.spyOn(getNodeOwner(), 'getNode');
		try {
			const copiesFor = async (input: ReturnType<typeof broadcastItems>) => {
				getNode.mockClear();
				const result = await env.run(broadcast(), { input });
				expect(result.error).toBeUndefined();
				expect(result.items).toHaveLength(input.length);
				return getNode.mock.calls.length;
			};
			const forTen = await copiesFor(broadcastItems(10));
			const forSixty = await copiesFor(broadcastItems(70).slice(10));
			expect(forTen).toBeGreaterThan(0);
			expect(forSixty).toBe(forTen);
			expectEachMessagedOnce(env, range(0, 70));
		} finally {
			getNode.mockRestore();
		}
	});

	it('checks all 2,500 items before the first request: a bad last item sends nothing', async () => {
		const input = broadcastItems(2500);
		input[2499] = { json: { ...input[2499].json, phone: 'not a number' } };
		const result = await env.run(broadcast(), { input });
		expect(env.requests()).toEqual([]);
		expect(result.error?.message).toBe(
			'To: "not a number" is not a valid phone number [item 2499]',
		);
		expect(result.error?.description).toMatch(
			/all 2500 items are checked before the first request/,
		);
	});

	it('sends 1,000 items each once, in item order, and lets other work run while it checks them (unlike the routing engine)', async () => {
		const routed = await turnsBeforeFirstRequest(
			env,
			DECLARATIVE_AZEER_TYPE,
			broadcast(),
			broadcastItems(1000),
		);
		expect(routed.result.error).toBeUndefined();
		env.sandbox.reset();
		const run = await turnsBeforeFirstRequest(
			env,
			AZEER_NODE_TYPE,
			broadcast(),
			broadcastItems(1000),
		);
		expect(run.result.error).toBeUndefined();
		expect(run.result.items.map((item) => item.json.to)).toEqual(range(0, 1000));
		expect(run.result.items.map((item) => item.pairedItem)).toEqual(
			[...Array(1000).keys()].map((item) => ({ item })),
		);
		expectEachMessagedOnce(env, range(0, 1000));
		expect(firstAttemptOrder(env)).toEqual(range(0, 1000));
		expect(env.requests()).toHaveLength(1000);
		// The routing engine checks every item in one stretch; the node's own run hands the event
		// loop back while it checks, so n8n's other work (webhooks, the editor) gets turns.
		expect(run.turns).toBeGreaterThan(routed.turns + 2);
	}, 120_000);

	it("warns in the output pane that n8n's split of 16,000 items for the error output is slow, and how to avoid it", async () => {
		const input = broadcastItems(QUADRATIC_SPLIT_FROM_ITEMS).map((item) => ({
			json: { ...item.json, phone: 'x' },
		}));

		const split = await env.run(broadcast(), { input, onError: 'continueErrorOutput' });
		expect(env.requests()).toEqual([]);
		expect(split.outputs.map((output) => output.length)).toEqual([0, QUADRATIC_SPLIT_FROM_ITEMS]);
		expect(hintsOf(split)).toEqual([
			expect.objectContaining({
				type: 'warning',
				location: 'outputPane',
				message: expect.stringContaining(
					'n8n splits these 16,000 items between the success and error outputs one by one',
				),
			}),
		]);
		expect(hintsOf(split)[0].message).toContain(
			'set Settings → On Error to "Continue" (failed items stay on this output, with "error" in their JSON), or send in runs of 15,000 or fewer',
		);

		const oneOutput = await env.run(broadcast(), { input, onError: 'continueRegularOutput' });
		expect(oneOutput.items).toHaveLength(QUADRATIC_SPLIT_FROM_ITEMS);
		expect(hintsOf(oneOutput)).toEqual([]);
	}, 120_000);
});

describe('A failure mid-run', () => {
	const failEleventhSend = () =>
		env.sandbox.fault({ kind: '500', count: 1, path: '/message/send', after: 10 });

	it('stops, says what was sent, what failed and what was not, and does not retry the 5xx', async () => {
		failEleventhSend();
		const result = await env.run(withCap(20), { input: broadcastItems(30) });
		// Sends already in flight when the 500 arrives still complete: count what the sandbox accepted.
		const sent = acceptedSends(env);
		expect(sent.slice(0, 10)).toEqual(range(0, 10));
		expect(sent).not.toContain(phone(10));
		const sentIndexes = sent.map((to) => Number(to) - 966501000000);
		const notSent = range(0, 30)
			.filter((to) => to !== phone(10) && !sent.includes(to))
			.map((to) => Number(to) - 966501000000);
		expect(notSent.length).toBeGreaterThan(0);
		expect(result.error?.message).toBe(
			`Internal error (injected by the sandbox): ${sent.length} of 30 items were sent before item 10 failed`,
		);
		expect(result.error?.description).toContain(
			`Sent: ${sent.length} of 30 (items ${itemRanges(sentIndexes)}). Failed: 1: item 10 (Internal error (injected by the sandbox)). Not sent: ${notSent.length} (items ${itemRanges(notSent)}).`,
		);
		expect(result.error?.description).toMatch(/Continue \(using error output\)/);
		expect(firstAttemptOrder(env)).toEqual(range(0, sent.length + 1));
		expect(env.requests()).toHaveLength(sent.length + 1);
		expectEachMessagedOnce(env, sent);
	});

	it('with On Error → Continue (using error output): sent items on the success output, the failed one on the error output', async () => {
		failEleventhSend();
		const result = await env.run(withCap(20), {
			input: broadcastItems(30),
			onError: 'continueErrorOutput',
		});
		expect(result.error).toBeUndefined();
		const [success, failed] = result.outputs;
		expect(success.map((item) => item.json.to)).toEqual([...range(0, 10), ...range(11, 30)]);
		expect(failed).toHaveLength(1);
		expect(failed[0]).toMatchObject({
			json: { error: 'Internal error (injected by the sandbox)' },
			pairedItem: { item: 10 },
		});
		expect(success.map((item) => item.pairedItem)).toEqual(
			[...Array(30).keys()].filter((index) => index !== 10).map((item) => ({ item })),
		);
		expect(env.requests()).toHaveLength(30);
		expectEachMessagedOnce(env, [...range(0, 10), ...range(11, 30)]);
		// n8n's split of 30 items is quick: no warning about its time.
		expect(hintsOf(result)).toEqual([]);
	});

	it('with Retry On Fail: the retry sends only what was not sent and returns the earlier results', async () => {
		failEleventhSend();
		const result = await env.run(withCap(20), {
			input: broadcastItems(30),
			retryOnFail: { maxTries: 2, waitBetweenTries: 0 },
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.to)).toEqual(range(0, 30));
		expect(firstAttemptOrder(env)).toEqual(range(0, 30));
		expect(env.requests()).toHaveLength(31);
		expectEachMessagedOnce(env, range(0, 30));
		// n8n reports the failed first try to its error tracker; the retry succeeded.
		expect(expectLogged('error', '10 of 30 items were sent before item 10 failed')).toHaveLength(1);
	});
});

describe('The API key stays secret', () => {
	it('appears in none of the errors of a broadcast', async () => {
		const secret = env.sandbox.apiKey;
		const invalid = await env.run(broadcast(), {
			input: [...broadcastItems(2), { json: { phone: 'x' } }],
		});
		env.sandbox.fault({ kind: '500', count: 1, path: '/message/send', after: 1 });
		const partial = await env.run(withCap(20), { input: broadcastItems(3) });
		env.sandbox.fault({ kind: '429', count: 100, path: '/message/send', retryAfter: 0 });
		const exhausted = await env.run(broadcast(), { input: broadcastItems(1) });
		for (const result of [invalid, partial, exhausted]) {
			expect(result.error).toBeDefined();
			for (const text of [
				JSON.stringify(result.error),
				result.error?.message,
				result.error?.description,
				JSON.stringify(result.run.data),
			]) {
				expect(text ?? '').not.toContain(secret);
			}
		}
		// n8n reports each of these errors to its error tracker (and logs them): without the key.
		expect(loggedLines().filter((line) => line.level === 'error').length).toBeGreaterThan(0);
		for (const line of loggedLines()) expect(lineText(line)).not.toContain(secret);
	});
});
