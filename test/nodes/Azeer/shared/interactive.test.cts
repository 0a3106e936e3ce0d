import { interactiveProblems } from '../../../../nodes/Azeer/shared/interactive';

describe('interactive limits', () => {
	it('rejects four buttons (the editor caps the fields at 3; an expression could still give more)', () => {
		const buttons = ['a', 'b', 'c', 'd'].map((id) => ({ id, title: id }));
		expect(interactiveProblems({ type: 'button', body: 'x', buttons })).toEqual([
			'reply buttons: 4 given, WhatsApp allows 1 to 3',
		]);
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
