/** What a Send and Wait question is, for its description, its send and its webhook. */

/** The value n8n gives its own send-and-wait operations (SEND_AND_WAIT_OPERATION). */
export const SEND_AND_WAIT = 'sendAndWait';

/** The choice IDs of an Approval question. */
export const APPROVE = 'approve';
export const DECLINE = 'decline';
export const FREE_TEXT = 'freeText';
/** The choice signed into the reference a written reply is forwarded with. */
export const WRITTEN_REPLY = 'typed-reply';

/** Whether a message without an answer ID answers the question (Free Text, or "Accept"). */
export function takesWrittenReplies(responseType: string, otherReplies: string): boolean {
	return responseType === FREE_TEXT || otherReplies === 'accept';
}
