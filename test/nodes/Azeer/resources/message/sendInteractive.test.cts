import {
	expectOneRequest,
	expectRejectedBeforeRequest,
	useMessageSandbox,
} from '../../fixtures.cjs';

const { env, send, sendBody, expectSent } = useMessageSandbox({ windowOpen: true });

describe('Message → Send Interactive', () => {
	it('sends reply buttons', async () => {
		const result = await send('sendInteractive', {
			interactiveType: 'button',
			body: 'Confirm your order?',
			replyButtons: {
				button: [
					{ id: 'yes', title: 'Yes' },
					{ id: 'no', title: 'No' },
				],
			},
			interactiveOptions: { header: 'Order 42', footer: 'Reply within a day' },
		});
		expectSent(result, 'interactive');
		expectOneRequest(env, {
			body: sendBody('interactive', {
				interactive: {
					type: 'button',
					header: { type: 'text', text: 'Order 42' },
					body: { text: 'Confirm your order?' },
					footer: { text: 'Reply within a day' },
					action: {
						buttons: [
							{ type: 'reply', reply: { id: 'yes', title: 'Yes' } },
							{ type: 'reply', reply: { id: 'no', title: 'No' } },
						],
					},
				},
			}),
		});
	});

	it('sends a list', async () => {
		const result = await send('sendInteractive', {
			interactiveType: 'list',
			body: 'Pick a branch',
			listButton: 'Branches',
			sections: {
				section: [
					{
						title: 'Riyadh',
						rows: { row: [{ id: 'ryd-1', title: 'Olaya', description: 'Open 9-21' }] },
					},
					{ title: 'Jeddah', rows: { row: [{ id: 'jed-1', title: 'Tahlia' }] } },
				],
			},
		});
		expectSent(result, 'interactive');
		expectOneRequest(env, {
			body: sendBody('interactive', {
				interactive: {
					type: 'list',
					body: { text: 'Pick a branch' },
					action: {
						button: 'Branches',
						sections: [
							{
								title: 'Riyadh',
								rows: [{ id: 'ryd-1', title: 'Olaya', description: 'Open 9-21' }],
							},
							{ title: 'Jeddah', rows: [{ id: 'jed-1', title: 'Tahlia' }] },
						],
					},
				},
			}),
		});
	});

	it('rejects a long button title and a repeated ID before any request', async () => {
		const result = await send('sendInteractive', {
			interactiveType: 'button',
			body: 'Choose',
			replyButtons: {
				button: [
					{ id: 'a', title: 'A' },
					{ id: 'a', title: 'This title is far too long' },
				],
			},
		});
		expectRejectedBeforeRequest(
			env,
			result,
			/button 2 title has 26 characters \(max 20\); button ID "a" is used twice/,
		);
	});

	it('rejects buttons without any button', async () => {
		const result = await send('sendInteractive', { interactiveType: 'button', body: 'Choose' });
		expectRejectedBeforeRequest(env, result, /reply buttons: 0 given, WhatsApp allows 1 to 3/);
	});

	it('rejects a list with 11 rows', async () => {
		const rows = Array.from({ length: 11 }, (_, index) => ({
			id: `r${index}`,
			title: `Row ${index}`,
		}));
		const result = await send('sendInteractive', {
			interactiveType: 'list',
			body: 'Choose',
			listButton: 'Open',
			sections: { section: [{ title: 'All', rows: { row: rows } }] },
		});
		expectRejectedBeforeRequest(
			env,
			result,
			/list rows: 11 given in total, WhatsApp allows 1 to 10/,
		);
	});
});
