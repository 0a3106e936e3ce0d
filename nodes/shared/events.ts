/**
 * The Azeer events: one table for the trigger's Events list and the Webhook resource's Event
 * field, and what every reader of a delivery needs to know about one.
 */
import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

/** The 11 events Azeer can deliver; one Azeer webhook carries exactly one of them. */
export const EVENT_OPTIONS: INodePropertyOptions[] = [
	{
		name: 'Agent Mentioned',
		value: 'chat_mentioned',
		description: 'An agent was mentioned in a conversation',
	},
	{
		name: 'Automation Rule Fired',
		value: 'for_rules',
		description: 'Sent by Mottasl automation rules that are set to call a webhook',
	},
	{
		name: 'Billing Alert',
		value: 'billing_alert',
		description: 'Your Mottasl balance or billing needs attention',
	},
	{
		name: 'Broadcast Completed',
		value: 'broadcast_complete',
		description: 'A broadcast (bulk campaign) finished sending',
	},
	{
		name: 'Chat Assigned',
		value: 'chat_assigned',
		description: 'A conversation was assigned to an agent',
	},
	{
		name: 'Chat Closed',
		value: 'chat_closed',
		description: 'A conversation was closed',
	},
	{
		name: 'Contact Created',
		value: 'new_contact',
		description: 'A new contact was added, e.g. someone wrote to you for the first time',
	},
	{
		name: 'Message Received',
		value: 'incoming_msg',
		description: 'A contact sent you a WhatsApp message (text, media, location or a button reply)',
	},
	{
		name: 'Message Sent',
		value: 'outgoing_msg',
		description:
			'Your business sent a message (agent, bot or API). Turn off "Ignore Messages Sent by This Account" to receive these.',
	},
	{
		name: 'Message Status Changed',
		value: 'message_status_changed',
		description: 'A message you sent was sent, delivered, read or failed',
	},
	{
		name: 'Template Approved',
		value: 'template_approved',
		description: 'WhatsApp approved one of your message templates',
	},
];

export const EVENT_NAMES = EVENT_OPTIONS.map((option) => String(option.value));

export const MESSAGE_EVENTS = ['incoming_msg', 'outgoing_msg'];

export const STATUS_EVENT = 'message_status_changed';

export const MESSAGE_STATUSES = ['sent', 'delivered', 'read', 'failed'];

/** "Message Received (incoming_msg)": how errors name an event. */
export function describeEvent(event: string): string {
	const option = EVENT_OPTIONS.find((candidate) => candidate.value === event);
	return option ? `${option.name} (${event})` : event;
}

/** Whether the payload is a message this account sent itself (an echo of our own reply). */
export function isOwnMessage(payload: IDataObject): boolean {
	return payload.direction === 'out' || payload.webhook_event_type === 'outgoing_msg';
}
