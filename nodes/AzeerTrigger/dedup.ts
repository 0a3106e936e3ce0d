/** The Azeer Trigger's duplicate detection: the keys of a delivery and how long they are remembered. */
import type { IDataObject } from 'n8n-workflow';

import { MESSAGE_EVENTS, STATUS_EVENT } from '../shared/events';

/** How long a delivery is remembered: far longer than Azeer's retries (seconds to minutes). */
export const DEDUP_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Keys kept in this process's memory, over all Azeer Trigger nodes. */
export const DEDUP_MAX_KEYS = 20000;

/**
 * scope|key → time first seen (ms), oldest first. Process memory only: n8n (the versions measured
 * are in docs/trigger.md) does not save a workflow's static data when a webhook call starts an execution,
 * so keys written there never reached its database, yet every skipped delivery (a repeat, an
 * echo, an unselected status) paid for a database write.
 */
const memory = new Map<string, number>();

function text(value: unknown): string | undefined {
	if (typeof value === 'string' && value !== '') return value;
	if (typeof value === 'number') return String(value);
	return undefined;
}

/**
 * Every identity a delivery has: the event id, the delivery id header, and for messages the
 * message id (for status changes the message id plus the status, so "delivered" and "read" of
 * one message both pass while a repeated "read" does not). Any one of them seen before marks a
 * redelivery, even if Azeer were to give a retried message a new event id.
 */
export function deliveryKeys(payload: IDataObject, deliveryHeader: unknown): string[] {
	const keys: string[] = [];
	const event = text(payload.webhook_event_type) ?? '';
	const eventId = text(payload.event_id);
	if (eventId) keys.push(`event:${eventId}`);
	const delivery = text(deliveryHeader);
	if (delivery) keys.push(`delivery:${delivery}`);
	const messageId = text(payload.id) ?? text(payload.message_id);
	if (messageId && MESSAGE_EVENTS.includes(event)) keys.push(`message:${event}:${messageId}`);
	const status = text(payload.status);
	if (messageId && status && event === STATUS_EVENT) keys.push(`status:${messageId}:${status}`);
	return keys;
}

function prune(nowMs: number): void {
	for (const [key, at] of memory) {
		if (nowMs - at <= DEDUP_RETENTION_MS && memory.size <= DEDUP_MAX_KEYS) break;
		memory.delete(key);
	}
}

/**
 * Records the delivery and tells whether it is the first time it was seen. Check and record
 * happen without any await in between, so concurrent copies handled by one process cannot both
 * pass. `scope` separates workflows, nodes and test/production.
 */
export function claimDelivery(scope: string, keys: string[], nowMs: number): boolean {
	if (keys.length === 0) return true;
	const duplicate = keys.some((key) => {
		const at = memory.get(`${scope}|${key}`);
		return at !== undefined && nowMs - at <= DEDUP_RETENTION_MS;
	});
	if (duplicate) return false;
	for (const key of keys) {
		memory.delete(`${scope}|${key}`);
		memory.set(`${scope}|${key}`, nowMs);
	}
	prune(nowMs);
	return true;
}

/** Forgets a claimed delivery, so that Azeer's retry can start the workflow after a failure. */
export function releaseDelivery(scope: string, keys: string[]): void {
	for (const key of keys) memory.delete(`${scope}|${key}`);
}
