import { normalizePhone } from '../../../../nodes/Azeer/shared/phone';

describe('normalizePhone', () => {
	it.each([
		['+966 54 435 1828', '966544351828'],
		['00966544351828', '966544351828'],
		['966-54-435-1828', '966544351828'],
		['(966) 54.435.1828', '966544351828'],
		[966544351828, '966544351828'],
	])('%s → %s', (input, digits) => expect(normalizePhone(input)).toBe(digits));

	it.each(['', '054 435 1828', '12345', '+966 54 abc', '1234567890123456', 'call me', null])(
		'rejects %s',
		(input) => expect(normalizePhone(input)).toBeUndefined(),
	);
});
