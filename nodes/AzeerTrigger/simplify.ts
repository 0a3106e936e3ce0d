/** The Azeer Trigger's simplified output of a delivery. */
import type { IDataObject } from 'n8n-workflow';

import { isOwnMessage, STATUS_EVENT } from '../shared/events';

function isoTime(value: unknown): string | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const date = new Date(typeof value === 'number' && value < 1e12 ? value * 1000 : value);
	return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The contact's phone number: the other party of a message, or the contact the event is about. */
function contactPhone(payload: IDataObject): IDataObject[string] {
	if (payload.webhook_event_type === STATUS_EVENT) return payload.to;
	if (payload.from !== undefined || payload.to !== undefined) {
		return isOwnMessage(payload) ? payload.to : payload.from;
	}
	return payload.platform_id;
}

/**
 * A flat, stable item for the workflow: what happened, with whom, what was said, which media,
 * which message ids, and when (ISO 8601). Fields the event does not have are left out.
 */
export function simplifyPayload(payload: IDataObject, receivedAt: Date): IDataObject {
	const simplified: IDataObject = {
		event: payload.webhook_event_type,
		eventId: payload.event_id,
		timestamp: isoTime(payload.timestamp) ?? receivedAt.toISOString(),
		direction: payload.direction,
		contactPhone: contactPhone(payload),
		contactName: payload.contact_name ?? payload.profile_name,
		contactId: payload.contact_id,
		messageType: payload.message_type,
		text: payload.text,
		buttonReplyId: payload.interactive_reply_id,
		mediaUrl: payload.filename_url,
		mediaMimeType: payload.mime_type,
		mediaId: payload.media_id,
		messageId: payload.message_id,
		whatsappMessageId: payload.id,
		replyToMessageId: payload.parent_message_id,
		status: payload.status,
		assignedTo: payload.assigned_platform_id,
	};
	for (const key of Object.keys(simplified)) {
		if (simplified[key] === undefined || simplified[key] === null) delete simplified[key];
	}
	return simplified;
}
