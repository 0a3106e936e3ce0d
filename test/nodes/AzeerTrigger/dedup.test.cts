import {
	claimDelivery,
	deliveryKeys,
	DEDUP_MAX_KEYS,
	DEDUP_RETENTION_MS,
	releaseDelivery,
} from '../../../nodes/AzeerTrigger/dedup';

describe('deliveryKeys and claimDelivery', () => {
	it('derives the event id, delivery id and message identity', () => {
		expect(
			deliveryKeys(
				{ webhook_event_type: 'incoming_msg', event_id: 'e1', id: 'wamid.1', message_id: 5 },
				'd1',
			),
		).toEqual(['event:e1', 'delivery:d1', 'message:incoming_msg:wamid.1']);
		expect(
			deliveryKeys(
				{
					webhook_event_type: 'message_status_changed',
					event_id: 'e2',
					id: 'wamid.1',
					status: 'read',
				},
				undefined,
			),
		).toEqual(['event:e2', 'status:wamid.1:read']);
	});

	it('claims once, lets a retry through after a release, and forgets after the retention time', () => {
		const keys = ['event:one'];
		expect(claimDelivery('scope-a', keys, 1000)).toBe(true);
		expect(claimDelivery('scope-a', keys, 2000)).toBe(false);
		// Another workflow, node or mode has its own record.
		expect(claimDelivery('scope-b', keys, 2000)).toBe(true);
		releaseDelivery('scope-a', keys);
		expect(claimDelivery('scope-a', keys, 3000)).toBe(true);
		expect(claimDelivery('scope-a', keys, 3000 + DEDUP_RETENTION_MS + 1)).toBe(true);
	});

	it('catches a copy that shares only the message id with the first delivery', () => {
		const first = deliveryKeys(
			{ webhook_event_type: 'incoming_msg', event_id: 'e1', id: 'wamid.9' },
			'd1',
		);
		const copy = deliveryKeys(
			{ webhook_event_type: 'incoming_msg', event_id: 'e2', id: 'wamid.9' },
			'd2',
		);
		expect(claimDelivery('scope-d', first, 1)).toBe(true);
		expect(claimDelivery('scope-d', copy, 2)).toBe(false);
	});

	it('keeps the record bounded, forgetting the oldest first', () => {
		for (let i = 0; i < DEDUP_MAX_KEYS + 50; i++) claimDelivery('scope-e', [`event:${i}`], i);
		expect(claimDelivery('scope-e', ['event:0'], DEDUP_MAX_KEYS + 50)).toBe(true);
		expect(claimDelivery('scope-e', [`event:${DEDUP_MAX_KEYS + 49}`], DEDUP_MAX_KEYS + 50)).toBe(
			false,
		);
	});
});
