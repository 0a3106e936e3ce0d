import { sleep } from 'n8n-workflow';

import { Cancelled, Pacer, RateLimited, retryAfterMs } from '../../../nodes/shared/pacer';

describe('Retry-After', () => {
	it('reads seconds and HTTP dates, caps the wait at 60 s, and says when there is none', () => {
		expect(retryAfterMs('2')).toBe(2000);
		expect(retryAfterMs(['0'])).toBe(0);
		expect(retryAfterMs('3600')).toBe(60_000);
		expect(retryAfterMs(new Date(Date.now() - 5000).toUTCString())).toBe(0);
		expect(retryAfterMs(undefined)).toBeUndefined();
		expect(retryAfterMs('soon')).toBeUndefined();
	});
});

/** A pacer that is not adaptive: these tests are about the order of the turns, not the rate. */
const fixedPacer = (maxInFlight: number, perSecond = 1000) =>
	new Pacer(perSecond, maxInFlight, false);

async function until(condition: () => boolean): Promise<void> {
	for (let waited = 0; !condition(); waited += 5) {
		if (waited > 10_000) throw new Error('condition not met within 10 s');
		await sleep(5);
	}
}

const ignoreCancelled = (error: unknown) => {
	if (!(error instanceof Cancelled)) throw error;
};

describe('Runs take turns (one lane per run)', () => {
	it('a single send queued behind a 1,000-item run goes out within two slots', async () => {
		const pacer = fixedPacer(1);
		const started: string[] = [];
		const broadcast = {};
		let stopped = false;
		const cancelled = () => stopped;
		const broadcastSends = Array.from({ length: 1000 }, async (_, index) => {
			await pacer
				.send(async () => void started.push(`broadcast ${index}`), { lane: broadcast, cancelled })
				.catch(ignoreCancelled);
		});
		await until(() => started.length >= 5);
		const slotsBefore = started.length;
		await pacer.send(async () => void started.push('reply'), { lane: {} });
		expect(started.indexOf('reply') - slotsBefore).toBeLessThanOrEqual(2);

		stopped = true;
		pacer.releaseCancelled();
		await Promise.all(broadcastSends);
		expect(started.length).toBeLessThan(1000);
		expect(pacer.state().waiting).toBe(0);
	});

	it('requests without a lane share one and keep their order', async () => {
		const pacer = fixedPacer(1);
		const started: number[] = [];
		await Promise.all(
			Array.from({ length: 20 }, (_, index) => pacer.send(async () => void started.push(index))),
		);
		expect(started).toEqual([...Array(20).keys()]);
	});

	it('a request retried after a 429 goes first in its own lane; the lanes alternate', async () => {
		const pacer = fixedPacer(1);
		const started: string[] = [];
		let limited = false;
		const sendFrom = (lane: object, name: string) =>
			pacer.send(
				async () => {
					started.push(name);
					if (name === 'a0' && !limited) {
						limited = true;
						throw new RateLimited(undefined, 0, false);
					}
				},
				{ lane },
			);
		const a = {};
		const b = {};
		await Promise.all([
			sendFrom(a, 'a0'),
			sendFrom(a, 'a1'),
			sendFrom(a, 'a2'),
			sendFrom(b, 'b0'),
			sendFrom(b, 'b1'),
		]);
		expect(started).toEqual(['a0', 'a0', 'b0', 'a1', 'b1', 'a2']);
	});

	it('keeps at most maxInFlight requests in flight over all lanes', async () => {
		const pacer = fixedPacer(3);
		let inFlight = 0;
		let most = 0;
		const attempt = async () => {
			most = Math.max(most, ++inFlight);
			await sleep(5);
			inFlight--;
		};
		await Promise.all(
			[{}, {}, {}, {}].flatMap((lane) =>
				Array.from({ length: 5 }, () => pacer.send(attempt, { lane })),
			),
		);
		expect(most).toBe(3);
	});

	it('a Retry-After for the account holds back every lane until it ends', async () => {
		const pacer = fixedPacer(1);
		let limitedAt = 0;
		const startedAfterLimit: number[] = [];
		const broadcast = {};
		const sends = Array.from({ length: 10 }, (_, index) =>
			pacer.send(
				async () => {
					if (index === 0 && !limitedAt) {
						limitedAt = Date.now();
						throw new RateLimited(undefined, 300, false);
					}
					if (limitedAt) startedAfterLimit.push(Date.now());
				},
				{ lane: broadcast },
			),
		);
		await until(() => limitedAt > 0);
		await pacer.send(async () => void startedAfterLimit.push(Date.now()), { lane: {} });
		await Promise.all(sends);
		expect(startedAfterLimit.length).toBeGreaterThanOrEqual(2);
		// A timer may wake a millisecond before the clock shows the full wait.
		for (const at of startedAfterLimit) expect(at - limitedAt).toBeGreaterThanOrEqual(295);
	});

	it('cancelling one run releases its waiting requests and leaves the other lanes going', async () => {
		const pacer = fixedPacer(1, 200);
		const runAlane = {};
		const runBlane = {};
		let stopped = false;
		const runA = Array.from({ length: 10 }, () =>
			pacer
				.send(async () => 'sent', { lane: runAlane, cancelled: () => stopped })
				.catch((error: unknown) => (error instanceof Cancelled ? 'cancelled' : 'failed')),
		);
		stopped = true;
		pacer.releaseCancelled();
		const runB = Array.from({ length: 3 }, () =>
			pacer.send(async () => 'sent', { lane: runBlane }),
		);
		// The first request of run A had its turn before the cancel.
		expect(await Promise.all(runA)).toEqual(['sent', ...Array(9).fill('cancelled')]);
		expect(await Promise.all(runB)).toEqual(['sent', 'sent', 'sent']);
		expect(pacer.state().waiting).toBe(0);
	});
});
