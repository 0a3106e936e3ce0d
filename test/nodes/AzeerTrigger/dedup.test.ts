import {
	claimDelivery,
	deliveryKeys,
	DEDUP_MAX_PERSISTED_KEYS,
	DEDUP_RETENTION_MS,
	releaseDelivery,
} from '../../../nodes/AzeerTrigger/dedup';
import type { SeenKeys } from '../../../nodes/AzeerTrigger/dedup';

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
		const seen: SeenKeys = {};
		const keys = ['event:one'];
		expect(claimDelivery('scope-a', seen, keys, 1000)).toBe(true);
		expect(claimDelivery('scope-a', seen, keys, 2000)).toBe(false);
		// Another process that loaded the saved static data sees the claim too.
		expect(claimDelivery('scope-b', { ...seen }, keys, 2000)).toBe(false);
		releaseDelivery('scope-a', seen, keys);
		expect(claimDelivery('scope-a', seen, keys, 3000)).toBe(true);
		expect(claimDelivery('scope-c', seen, keys, 3000 + DEDUP_RETENTION_MS + 1)).toBe(true);
	});

	it('catches a copy that shares only the message id with the first delivery', () => {
		const seen: SeenKeys = {};
		const first = deliveryKeys(
			{ webhook_event_type: 'incoming_msg', event_id: 'e1', id: 'wamid.9' },
			'd1',
		);
		const copy = deliveryKeys(
			{ webhook_event_type: 'incoming_msg', event_id: 'e2', id: 'wamid.9' },
			'd2',
		);
		expect(claimDelivery('scope-d', seen, first, 1)).toBe(true);
		expect(claimDelivery('scope-d', seen, copy, 2)).toBe(false);
	});

	it('keeps the persisted record bounded', () => {
		const seen: SeenKeys = {};
		for (let i = 0; i < DEDUP_MAX_PERSISTED_KEYS + 50; i++)
			claimDelivery('scope-e', seen, [`event:${i}`], i);
		expect(Object.keys(seen)).toHaveLength(DEDUP_MAX_PERSISTED_KEYS);
		expect(seen['event:0']).toBeUndefined();
		expect(seen[`event:${DEDUP_MAX_PERSISTED_KEYS + 49}`]).toBeDefined();
	});
});
