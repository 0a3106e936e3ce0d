/**
 * The Azeer node's waiting webhook for Send and Wait: accepts an answer only when the Azeer Trigger
 * forwarded it (forward.ts), for this execution and node, from the contact the question went to
 * (the reference), and resumes the execution with it.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { credentialApiKey } from '../credential';
import { normalizePhone } from '../phone';
import { answerKey, parseAnswerId, verifyAnswerReference } from './answerReference';
import {
	FORWARD_SIGNATURE_HEADER,
	FORWARD_TIMESTAMP_HEADER,
	verifyForwardSignature,
} from './forward';
import type { ForwardedAnswer } from './forward';
import { APPROVE, FREE_TEXT, takesWrittenReplies, WRITTEN_REPLY } from './question';

function unauthorized(context: IWebhookFunctions, reason: string): IWebhookResponseData {
	context.logger.warn(`Azeer Send and Wait: refused an answer (401): ${reason}`);
	context.getResponseObject().status(401).json({ message: 'Unauthorized' });
	return { noWebhookResponse: true };
}

/**
 * The waiting node's webhook: accepts an answer only when the Azeer Trigger forwarded it (its
 * signature), for this execution and node, from the contact the question went to (the reference).
 */
export async function sendAndWaitWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const request = this.getRequestObject() as unknown as {
		rawBody?: Buffer;
		originalUrl?: string;
		url?: string;
	};
	const headers = this.getHeaderData();
	const body = this.getBodyData() as unknown as ForwardedAnswer;
	const key = answerKey(await credentialApiKey(this));
	const signed = verifyForwardSignature(
		key,
		headers[FORWARD_SIGNATURE_HEADER],
		headers[FORWARD_TIMESTAMP_HEADER],
		request.rawBody ?? JSON.stringify(body),
		Math.floor(Date.now() / 1000),
	);
	if (!signed)
		return unauthorized(
			this,
			'the answer was not forwarded by an Azeer Trigger with the same credential',
		);
	const contact = normalizePhone(body.from);
	const reference =
		contact && typeof body.replyId === 'string' ? parseAnswerId(body.replyId, contact) : undefined;
	if (!reference || !verifyAnswerReference(key, reference))
		return unauthorized(this, 'the answer reference is not valid for this contact');
	const pathSegments = String(request.originalUrl ?? request.url ?? '')
		.split('?')[0]
		.split('/')
		.map(decodeURIComponent);
	if (reference.nodeId !== this.getNode().id || !pathSegments.includes(reference.executionId)) {
		return unauthorized(this, 'the answer belongs to another execution or node');
	}
	const responseType = this.getNodeParameter('responseType', 'approval') as string;
	const otherReplies = this.getNodeParameter('waitOptions.otherReplies', 'ignore') as string;
	const written = body.written === true;
	const fits = written
		? reference.choice === WRITTEN_REPLY && takesWrittenReplies(responseType, otherReplies)
		: responseType !== FREE_TEXT;
	if (!fits) return unauthorized(this, 'the answer does not fit this question (typed or tapped)');
	const json: IDataObject = {
		answered: true,
		timedOut: false,
		answer: written ? writtenAnswer(body) : { id: reference.choice, title: body.text },
		contactPhone: contact,
		contactName: body.contactName,
		answeredAt: body.timestamp ?? new Date().toISOString(),
		messageId: body.messageId,
		whatsappMessageId: body.whatsappMessageId,
	};
	if (responseType === 'approval' && !written) json.approved = reference.choice === APPROVE;
	for (const field of Object.keys(json)) if (json[field] === undefined) delete json[field];
	return { webhookResponse: { resumed: true }, workflowData: [[{ json }]] };
}

/** A written reply as the answer: its text (a media caption), and its media if it has one. */
function writtenAnswer(body: ForwardedAnswer): IDataObject {
	const answer: IDataObject = {
		text: body.text,
		mediaType: body.mediaType,
		mediaUrl: body.mediaUrl,
		mediaMimeType: body.mediaMimeType,
		mediaId: body.mediaId,
	};
	for (const field of Object.keys(answer)) if (answer[field] === undefined) delete answer[field];
	return answer;
}
