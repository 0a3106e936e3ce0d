import {
	expectOneRequest,
	expectRejectedBeforeRequest,
	MESSAGE_PHONE,
	openSession,
	useMessageSandbox,
} from '../../fixtures.cjs';

const { env, send } = useMessageSandbox();

describe('Message → Delete', () => {
	it('deletes one message and outputs deleted: true', async () => {
		openSession(env, MESSAGE_PHONE);
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

	it('Delete rejects an ID that is not a number', async () => {
		const result = await env.run({
			resource: 'message',
			operation: 'delete',
			messageId: 'wamid.abc',
		});
		expectRejectedBeforeRequest(env, result, /"wamid.abc" is not a message ID/);
	});
});
