import {
	expectOneRequest,
	expectRejectedBeforeRequest,
	MESSAGE_PHONE,
	openSession,
	useMessageSandbox,
} from '../../fixtures.cjs';

const { env, send } = useMessageSandbox();

describe('Message → Delete Many', () => {
	it('deletes many by a comma-separated list', async () => {
		openSession(env, MESSAGE_PHONE);
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

	it('Delete Many rejects more than 100 IDs', async () => {
		const ids = Array.from({ length: 101 }, (_, index) => index + 1).join(',');
		const result = await env.run({ resource: 'message', operation: 'deleteMany', messageIds: ids });
		expectRejectedBeforeRequest(env, result, /Give 1 to 100 message IDs \(got 101\)/);
	});
});
