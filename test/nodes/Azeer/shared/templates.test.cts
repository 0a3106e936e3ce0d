import {
	buildTemplateArgument,
	countPlaceholders,
	parseTemplateRef,
	templateVariables,
} from '../../../../nodes/Azeer/shared/templates';
import type { Template } from '../../../../nodes/Azeer/shared/templates';

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
			{
				type: 'BUTTONS',
				buttons: [
					{ type: 'URL', text: 'Go', url: 'https://x/{{1}}' },
					{ type: 'QUICK_REPLY', text: 'OK' },
				],
			},
		],
	};

	it('counts positional placeholders', () => {
		expect(countPlaceholders('Hi {{1}}, {{ 2 }}')).toBe(2);
		expect(countPlaceholders(undefined)).toBe(0);
	});

	it('lists header media URL, body and button variables in order', () => {
		expect(templateVariables(template).map((variable) => variable.id)).toEqual([
			'header_media_url',
			'body_1',
			'body_2',
			'body_3',
			'button_1',
		]);
	});

	it('reports missing and extra values', () => {
		const { problems } = buildTemplateArgument(templateVariables(template), {
			body_1: 'a',
			body_9: 'x',
		});
		expect(problems[0]).toMatch(
			/needs 5 value\(s\) \(1 header, 3 body, 1 buttons\) but 2 were given; missing: .*; not in the template: body_9/,
		);
	});

	it('parses name|language references', () => {
		expect(parseTemplateRef('order_update|en')).toEqual({ name: 'order_update', language: 'en' });
		expect(parseTemplateRef(' otp_code ')).toEqual({ name: 'otp_code' });
		expect(parseTemplateRef('')).toBeUndefined();
	});
});
