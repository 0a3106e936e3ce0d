/** Message → Send Image, Document, Audio and Video. */
import type { INodeProperties } from 'n8n-workflow';

import { validate } from '../../shared/requestHooks';
import { parameter } from '../../routing/itemState';
import { requireHttpUrl, sendOperation } from './common';
import { showFor } from '../../shared/descriptions';

interface MediaType {
	type: 'image' | 'document' | 'audio' | 'video';
	label: string;
	caption: boolean;
	filename: boolean;
	extension: string;
}

const MEDIA_TYPES: MediaType[] = [
	{ type: 'image', label: 'Image', caption: true, filename: false, extension: 'jpg' },
	{ type: 'document', label: 'Document', caption: true, filename: true, extension: 'pdf' },
	{ type: 'audio', label: 'Audio', caption: false, filename: false, extension: 'ogg' },
	{ type: 'video', label: 'Video', caption: true, filename: false, extension: 'mp4' },
];

const CAPTION_LIMIT = 1024;

const captionLimit = validate(
	'caption',
	(value) => String(value ?? '').length <= CAPTION_LIMIT,
	(value) => `The caption has ${String(value).length} characters (max ${CAPTION_LIMIT})`,
);

const operationValue = (media: MediaType) => `send${media.label}`;

export const sendMedia = MEDIA_TYPES.map((media) =>
	sendOperation({
		name: `Send ${media.label}`,
		value: operationValue(media),
		action: `Send ${media.type} message`,
		description: `Send ${/^[aeiou]/.test(media.type) ? 'an' : 'a'} ${media.type} file from a public URL (within the 24-hour window)`,
		type: media.type,
		content: (context) => ({
			[media.type]: {
				link: parameter(context, 'mediaUrl', ''),
				...(media.caption ? { caption: parameter(context, 'caption', '') || undefined } : {}),
				...(media.filename ? { filename: parameter(context, 'filename', '') || undefined } : {}),
			},
		}),
		preSend: [
			requireHttpUrl('mediaUrl', `${media.label} URL`),
			...(media.caption ? [captionLimit] : []),
		],
	}),
);

function mediaFields(media: MediaType): INodeProperties[] {
	const displayOptions = showFor('message', operationValue(media));
	const fields: INodeProperties[] = [
		{
			displayName: `${media.label} URL`,
			name: 'mediaUrl',
			type: 'string',
			required: true,
			default: '',
			placeholder: `e.g. https://example.com/file.${media.extension}`,
			description: `Public URL of the ${media.type}; WhatsApp downloads it from there`,
			displayOptions,
			routing: { send: { type: 'body', property: `${media.type}.link` } },
		},
	];
	if (media.caption) {
		fields.push({
			displayName: 'Caption',
			name: 'caption',
			type: 'string',
			default: '',
			description: 'Text shown under the media, up to 1024 characters',
			displayOptions,
			routing: {
				send: {
					type: 'body',
					property: `${media.type}.caption`,
					value: '={{ $value || undefined }}',
				},
			},
		});
	}
	if (media.filename) {
		fields.push({
			displayName: 'File Name',
			name: 'filename',
			type: 'string',
			default: '',
			placeholder: 'e.g. invoice.pdf',
			description: 'File name the recipient sees',
			displayOptions,
			routing: {
				send: {
					type: 'body',
					property: `${media.type}.filename`,
					value: '={{ $value || undefined }}',
				},
			},
		});
	}
	return fields;
}

export const sendMediaFields: INodeProperties[] = MEDIA_TYPES.flatMap(mediaFields);
