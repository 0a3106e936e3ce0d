import { simplifyPayload } from '../../../nodes/AzeerTrigger/simplify';

describe('simplifyPayload', () => {
	it('flattens a button reply', () => {
		expect(
			simplifyPayload(
				{
					webhook_event_type: 'incoming_msg',
					event_id: 'e1',
					contact_id: 101,
					contact_name: 'James',
					direction: 'in',
					from: '91987654321',
					to: '966594220647',
					id: 'wamid.X',
					interactive_reply_id: '$0',
					message_id: 12345,
					parent_message_id: 12344,
					message_type: 'interactive',
					text: 'requests',
					timestamp: '2024-03-08T07:30:03Z',
				},
				new Date(0),
			),
		).toEqual({
			event: 'incoming_msg',
			eventId: 'e1',
			timestamp: '2024-03-08T07:30:03.000Z',
			direction: 'in',
			contactPhone: '91987654321',
			contactName: 'James',
			contactId: 101,
			messageType: 'interactive',
			text: 'requests',
			buttonReplyId: '$0',
			messageId: 12345,
			whatsappMessageId: 'wamid.X',
			replyToMessageId: 12344,
		});
	});

	it('uses the recipient as the contact of status changes and outgoing messages', () => {
		const status = simplifyPayload(
			{
				webhook_event_type: 'message_status_changed',
				to: '966511111111',
				status: 'read',
				message_id: 7,
			},
			new Date('2025-01-01T00:00:00Z'),
		);
		expect(status).toMatchObject({
			contactPhone: '966511111111',
			status: 'read',
			timestamp: '2025-01-01T00:00:00.000Z',
		});
		const outgoing = simplifyPayload(
			{
				webhook_event_type: 'outgoing_msg',
				from: '966500000000',
				to: '966522222222',
				direction: 'out',
			},
			new Date(0),
		);
		expect(outgoing.contactPhone).toBe('966522222222');
	});
});
