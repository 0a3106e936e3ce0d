import { retryAfterMs } from '../../../nodes/shared/pacer';

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
