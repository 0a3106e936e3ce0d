import { interactiveProblems } from '../../../../nodes/Azeer/shared/interactive';
import { normalizePhone } from '../../../../nodes/Azeer/shared/phone';
import { buildTemplateArgument, countPlaceholders, parseTemplateRef, templateVariables } from '../../../../nodes/Azeer/shared/templates';
import type { Template } from '../../../../nodes/Azeer/shared/templates';
import { retryAfterMs } from '../../../../nodes/shared/pacer';

describe('normalizePhone', () => {
	it.each([
		['+966 54 435 1828', '966544351828'],
		['00966544351828', '966544351828'],
		['966-54-435-1828', '966544351828'],
		['(966) 54.435.1828', '966544351828'],
		[966544351828, '966544351828'],
	])('%s → %s', (input, digits) => expect(normalizePhone(input)).toBe(digits));

	it.each(['', '054 435 1828', '12345', '+966 54 abc', '1234567890123456', 'call me', null])('rejects %s', (input) =>
		expect(normalizePhone(input)).toBeUndefined(),
	);
});

describe('template placeholders', () => {
	const template: Template = {
		id: '1',
		name: 't',
		language: 'en',
		status: 'approved',
		category: 'UTILITY',
		components: [
			{ type: 'HEADER', format: 'VIDEO' },
			{ type: 'BODY', text: '{{1}} and {{3}} and {{2}}' },
			{ type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Go', url: 'https://x/{{1}}' }, { type: 'QUICK_REPLY', text: 'OK' }] },
		],
	};

	it('counts positional placeholders', () => {
		expect(countPlaceholders('Hi {{1}}, {{ 2 }}')).toBe(2);
		expect(countPlaceholders(undefined)).toBe(0);
	});

	it('lists header media URL, body and button variables in order', () => {
		expect(templateVariables(template).map((variable) => variable.id)).toEqual([
			'header_media_url', 'body_1', 'body_2', 'body_3', 'button_1',
		]);
	});

	it('reports missing and extra values', () => {
		const { problems } = buildTemplateArgument(templateVariables(template), { body_1: 'a', body_9: 'x' });
		expect(problems[0]).toMatch(/needs 5 value\(s\) \(1 header, 3 body, 1 buttons\) but 2 were given; missing: .*; not in the template: body_9/);
	});

	it('parses name|language references', () => {
		expect(parseTemplateRef('order_update|en')).toEqual({ name: 'order_update', language: 'en' });
		expect(parseTemplateRef(' otp_code ')).toEqual({ name: 'otp_code' });
		expect(parseTemplateRef('')).toBeUndefined();
	});
});

describe('interactive limits', () => {
	it('rejects four buttons (the editor caps the fields at 3; an expression could still give more)', () => {
		const buttons = ['a', 'b', 'c', 'd'].map((id) => ({ id, title: id }));
		expect(interactiveProblems({ type: 'button', body: 'x', buttons })).toEqual(['reply buttons: 4 given, WhatsApp allows 1 to 3']);
	});

	it('requires section titles when a list has several sections, and checks row lengths', () => {
		const problems = interactiveProblems({
			type: 'list',
			body: 'x',
			listButton: 'Open',
			sections: [
				{ rows: [{ id: 'a', title: 'A', description: 'd'.repeat(73) }] },
				{ title: 'Two', rows: [{ id: 'b', title: 'B'.repeat(25) }] },
			],
		});
		expect(problems).toEqual([
			'section 1 title is empty',
			'section 1 row 1 description has 73 characters (max 72)',
			'section 2 row 1 title has 25 characters (max 24)',
		]);
	});
});

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
