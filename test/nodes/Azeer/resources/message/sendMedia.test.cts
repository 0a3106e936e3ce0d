import {
	expectOneRequest,
	expectRejectedBeforeRequest,
	useMessageSandbox,
} from '../../fixtures.cjs';

const { env, send, sendBody, expectSent } = useMessageSandbox({ windowOpen: true });

describe('Message → Send Image, Document, Audio and Video', () => {
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
});
