import {
	expectOneRequest,
	expectRejectedBeforeRequest,
	openSession,
	SEED,
	useSandbox,
} from '../fixtures';

const env = useSandbox();
const PHONE = '966544351828';
const send = (operation: string, parameters: Record<string, unknown> = {}) =>
	env.run({ resource: 'message', operation, to: '+966 54 435 1828', ...parameters } as never);

const sendBody = (type: string, content: Record<string, unknown>) => ({
	recipient_type: 'individual',
	type,
	to: PHONE,
	...content,
});

function expectSent(result: Awaited<ReturnType<typeof send>>, type: string) {
	expect(result.error).toBeUndefined();
	expect(result.items).toHaveLength(1);
	expect(result.items[0].json).toMatchObject({ to: PHONE, type, status: 'sent' });
	expect(result.items[0].json.message_id).toEqual(expect.any(Number));
}

describe('Message → Send Text', () => {
	it('normalises the pasted number and sends the text, creating the contact if missing by default', async () => {
		openSession(env, PHONE);
		const result = await send('sendText', { text: 'Hello\nthere' });
		expectSent(result, 'text');
		expectOneRequest(env, {
			method: 'POST',
			path: '/v1/message/send',
			query: { create: 'true' },
			body: sendBody('text', { text: { body: 'Hello\nthere' } }),
		});
	});

	it('applies the send options: create if missing turned off, attribute to agent, link preview', async () => {
		openSession(env, PHONE);
		const result = await send('sendText', {
			text: 'See https://example.com',
			sendOptions: { createContact: false, agentId: SEED.agent.id, previewUrl: true },
		});
		expectSent(result, 'text');
		expectOneRequest(env, {
			query: { create: 'false' },
			body: sendBody('text', {
				text: { body: 'See https://example.com', preview_url: true },
				source: 'agent',
				agent_id: SEED.agent.id,
			}),
		});
	});

	it.each([
		[
			'a number without country code',
			{ to: '054 435 1828' },
			/"054 435 1828" is not a valid phone number/,
		],
		['letters in the number', { to: 'call me' }, /not a valid phone number/],
		['an empty text', { text: '   ' }, /1 to 4096 characters/],
		[
			'an agent that is not an ID',
			{ text: 'x', sendOptions: { agentId: 'sara' } },
			/not an agent ID/,
		],
	])('rejects %s before any request', async (_, parameters, message) => {
		const result = await send('sendText', { text: 'hi', ...parameters });
		expectRejectedBeforeRequest(env, result, message);
	});
});

describe('Message → media, location, contacts', () => {
	beforeEach(() => openSession(env, PHONE));

	it.each([
		[
			'sendImage',
			'image',
			{ caption: 'Our menu' },
			{ link: 'https://example.com/a.jpg', caption: 'Our menu' },
		],
		[
			'sendDocument',
			'document',
			{ caption: 'Invoice', filename: 'invoice.pdf' },
			{ link: 'https://example.com/a.jpg', caption: 'Invoice', filename: 'invoice.pdf' },
		],
		['sendAudio', 'audio', {}, { link: 'https://example.com/a.jpg' }],
		['sendVideo', 'video', {}, { link: 'https://example.com/a.jpg' }],
	])('%s sends the %s link', async (operation, type, extra, content) => {
		const result = await send(operation, { mediaUrl: 'https://example.com/a.jpg', ...extra });
		expectSent(result, type);
		expectOneRequest(env, {
			method: 'POST',
			path: '/v1/message/send',
			body: sendBody(type, { [type]: content }),
		});
	});

	it.each(['sendImage', 'sendDocument', 'sendAudio', 'sendVideo'])(
		'%s rejects a URL that is not http(s)',
		async (operation) => {
			const result = await send(operation, { mediaUrl: 'file:///etc/passwd' });
			expectRejectedBeforeRequest(env, result, /is not an http\(s\) URL/);
		},
	);

	it('sendImage rejects a caption over 1024 characters', async () => {
		const result = await send('sendImage', {
			mediaUrl: 'https://example.com/a.jpg',
			caption: 'x'.repeat(1025),
		});
		expectRejectedBeforeRequest(env, result, /caption has 1025 characters/);
	});

	it('sendLocation sends coordinates and details', async () => {
		const result = await send('sendLocation', {
			latitude: 24.7136,
			longitude: 46.6753,
			locationDetails: { name: 'Shop', address: 'King Fahd Rd' },
		});
		expectSent(result, 'location');
		expectOneRequest(env, {
			body: sendBody('location', {
				location: { latitude: 24.7136, longitude: 46.6753, name: 'Shop', address: 'King Fahd Rd' },
			}),
		});
	});

	it('sendLocation rejects a latitude out of range', async () => {
		const result = await send('sendLocation', { latitude: 95, longitude: 46 });
		expectRejectedBeforeRequest(env, result, /Latitude 95 is not between -90 and 90/);
	});

	it('sendContacts sends contact cards in WhatsApp Cloud shape', async () => {
		const result = await send('sendContacts', {
			contacts: {
				contact: [
					{
						formattedName: 'Sara Ahmed',
						firstName: 'Sara',
						phone: '+966 50 123 4567',
						email: 'sara@example.com',
					},
					{ formattedName: 'Support', company: 'Shop' },
				],
			},
		});
		expectSent(result, 'contacts');
		expectOneRequest(env, {
			body: sendBody('contacts', {
				contacts: [
					{
						name: { formatted_name: 'Sara Ahmed', first_name: 'Sara' },
						phones: [{ phone: '+966 50 123 4567' }],
						emails: [{ email: 'sara@example.com' }],
					},
					{ name: { formatted_name: 'Support' }, org: { company: 'Shop' } },
				],
			}),
		});
	});

	it('sendContacts rejects a send without cards', async () => {
		const result = await send('sendContacts', {});
		expectRejectedBeforeRequest(env, result, /at least one contact card/);
	});
});

describe('Message → Send Interactive', () => {
	beforeEach(() => openSession(env, PHONE));

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

describe('Message → Delete, Delete Many', () => {
	it('deletes one message and outputs deleted: true', async () => {
		openSession(env, PHONE);
		const sent = await send('sendText', { text: 'oops' });
		const messageId = sent.items[0].json.message_id as number;
		env.sandbox.clearRequests();
		const result = await env.run({
			resource: 'message',
			operation: 'delete',
			messageId: String(messageId),
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual([{ id: messageId, deleted: true }]);
		expectOneRequest(env, { method: 'DELETE', path: `/v1/message/${messageId}`, query: {} });
	});

	it('deletes many by a comma-separated list', async () => {
		openSession(env, PHONE);
		const first = await send('sendText', { text: 'one' });
		const second = await send('sendText', { text: 'two' });
		const ids = [first, second].map((result) => result.items[0].json.message_id as number);
		env.sandbox.clearRequests();
		const result = await env.run({
			resource: 'message',
			operation: 'deleteMany',
			messageIds: `${ids.join(', ')}, 99999`,
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({
			deleted: true,
			deleted_ids: ids,
			not_found_ids: [99999],
		});
		expectOneRequest(env, {
			method: 'DELETE',
			path: '/v1/message/bulk',
			body: { message_ids: [...ids, 99999] },
		});
	});

	it('Delete rejects an ID that is not a number', async () => {
		const result = await env.run({
			resource: 'message',
			operation: 'delete',
			messageId: 'wamid.abc',
		});
		expectRejectedBeforeRequest(env, result, /"wamid.abc" is not a message ID/);
	});

	it('Delete Many rejects more than 100 IDs', async () => {
		const ids = Array.from({ length: 101 }, (_, index) => index + 1).join(',');
		const result = await env.run({ resource: 'message', operation: 'deleteMany', messageIds: ids });
		expectRejectedBeforeRequest(env, result, /Give 1 to 100 message IDs \(got 101\)/);
	});
});
