import {
	expectOneRequest,
	expectRejectedBeforeRequest,
	MESSAGE_PHONE,
	openSession,
	SEED,
	useMessageSandbox,
} from '../../fixtures.cjs';

const { env, send, sendBody, expectSent } = useMessageSandbox();

describe('Message → Send Text', () => {
	it('normalises the pasted number and sends the text, creating the contact if missing by default', async () => {
		openSession(env, MESSAGE_PHONE);
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
		openSession(env, MESSAGE_PHONE);
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
