/** The Azeer Trigger's media download: a message's file into n8n binary data, the API key only to the API. */
import type {
	IBinaryData,
	IDataObject,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	IWebhookFunctions,
} from 'n8n-workflow';

import { apiErrorFromResponse } from '../shared/errors';
import { sendPaced } from '../shared/transport';

const EXTENSIONS: Record<string, string> = {
	'image/jpeg': 'jpg',
	'image/png': 'png',
	'image/webp': 'webp',
	'audio/ogg': 'ogg',
	'audio/aac': 'aac',
	'audio/mpeg': 'mp3',
	'audio/mp4': 'm4a',
	'video/mp4': 'mp4',
	'application/pdf': 'pdf',
};

/** WhatsApp payloads say image/jpg and audio/mp3; n8n and browsers know image/jpeg and audio/mpeg. */
const MIME_ALIASES: Record<string, string> = {
	'image/jpg': 'image/jpeg',
	'audio/mp3': 'audio/mpeg',
};

function cleanMime(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const mime = value.split(';')[0].trim().toLowerCase();
	if (!/^[a-z]+\/[a-z0-9.+-]+$/.test(mime)) return undefined;
	return MIME_ALIASES[mime] ?? mime;
}

/** The server's Content-Type when it is specific, else the payload's mime_type. */
export function mediaMimeType(payloadMime: unknown, contentType: unknown): string {
	const served = cleanMime(contentType);
	if (served && served !== 'application/octet-stream') return served;
	return cleanMime(payloadMime) ?? served ?? 'application/octet-stream';
}

/** The file name from the URL's last path segment, with an extension matching the MIME type. */
export function mediaFileName(url: string, mimeType: string, mediaId: unknown): string {
	const segment = new URL(url).pathname.split('/').pop() ?? '';
	let name = '';
	try {
		name = decodeURIComponent(segment);
	} catch {
		name = segment;
	}
	name = name.replace(/[\\/:*?"<>|]/g, '_');
	if (!name)
		name = `media-${typeof mediaId === 'string' || typeof mediaId === 'number' ? mediaId : 'file'}`;
	const extension = EXTENSIONS[mimeType];
	if (extension && !/\.[A-Za-z0-9]{1,5}$/.test(name)) name = `${name}.${extension}`;
	return name;
}

/**
 * Whether the API key may go along with a request to `url`: only to the API's own origin
 * (scheme, host and port of the credential's base URL), never to a CDN or any other host.
 */
export function isApiOrigin(url: string, baseUrl: string): boolean {
	return new URL(url).origin === new URL(baseUrl).origin;
}

/** Downloads the media of a message payload (`filename_url`) into n8n binary data. */
export async function downloadMedia(
	this: IWebhookFunctions,
	payload: IDataObject,
	baseUrl: string,
): Promise<IBinaryData> {
	const url = String(payload.filename_url);
	const request: IHttpRequestOptions = {
		method: 'GET',
		url,
		encoding: 'arraybuffer',
		json: false,
		returnFullResponse: true,
	};
	let response: IN8nHttpFullResponse;
	if (isApiOrigin(url, baseUrl)) {
		// From the API itself: the shared transport (key, pacing, 429 retries, the API's error advice).
		response = await sendPaced(this, request);
		if (response.statusCode >= 400) throw apiErrorFromResponse(this.getNode(), response);
	} else {
		response = (await this.helpers.httpRequest(request)) as IN8nHttpFullResponse;
	}
	const mimeType = mediaMimeType(payload.mime_type, response.headers['content-type']);
	const body = response.body as ArrayBuffer | Buffer;
	const data = Buffer.isBuffer(body) ? body : Buffer.from(body);
	return await this.helpers.prepareBinaryData(
		data,
		mediaFileName(url, mimeType, payload.media_id),
		mimeType,
	);
}
