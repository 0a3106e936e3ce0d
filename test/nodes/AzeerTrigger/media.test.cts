import { isApiOrigin, mediaFileName, mediaMimeType } from '../../../nodes/AzeerTrigger/media';

describe('media helpers', () => {
	it('prefers a specific served type, normalises WhatsApp aliases, and names files', () => {
		expect(mediaMimeType('image/jpg', 'application/octet-stream')).toBe('image/jpeg');
		expect(mediaMimeType('audio/aac', 'audio/ogg; codecs=opus')).toBe('audio/ogg');
		expect(mediaMimeType(undefined, undefined)).toBe('application/octet-stream');
		expect(mediaFileName('https://cdn.mottasl.ai/msgs/file_9.aac', 'audio/aac', '9')).toBe(
			'file_9.aac',
		);
		expect(mediaFileName('https://cdn.example/download?id=3', 'application/pdf', '3')).toBe(
			'download.pdf',
		);
		expect(mediaFileName('https://cdn.example/', 'image/png', '3')).toBe('media-3.png');
	});

	it('sends the key only to the API origin', () => {
		expect(isApiOrigin('https://api.mottasl.ai/media/a.jpg', 'https://api.mottasl.ai/v1')).toBe(
			true,
		);
		expect(isApiOrigin('https://cdn.mottasl.ai/a.jpg', 'https://api.mottasl.ai/v1')).toBe(false);
		expect(isApiOrigin('http://api.mottasl.ai/a.jpg', 'https://api.mottasl.ai/v1')).toBe(false);
		expect(isApiOrigin('http://127.0.0.1:4011/a.jpg', 'http://127.0.0.1:4010/v1')).toBe(false);
	});
});
