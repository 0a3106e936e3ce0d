/**
 * The sandbox's Azeer account and what happens in it: contacts appear, messages go out and come
 * in, statuses move on, and each of these fires its webhook event. The HTTP layers (API and
 * control) call into this class; it never looks at HTTP itself.
 */
import { randomBytes, randomUUID } from 'node:crypto';

import type { Deliverer } from './deliveries.cjs';
import type { FieldError } from './contract.cjs';
import { BUSINESS_ID, seedState } from './state.cjs';
import type {
	Contact,
	MessageStatus,
	StateData,
	StoredMessage,
	StoredWebhook,
	Template,
} from './state.cjs';

export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly errors: FieldError[] = [],
		readonly headers: Record<string, string> = {},
	) {
		super(message);
	}

	toBody(): Record<string, unknown> {
		return {
			success: false,
			message: this.message,
			code: this.code,
			...(this.errors.length ? { errors: this.errors } : {}),
		};
	}
}

export const STATUS_STEPS: MessageStatus[] = ['sent', 'delivered', 'read'];

export interface InboundInput {
	from: string;
	name?: string;
	text?: string;
	media?: { type: 'image' | 'audio' | 'document' | 'video'; sample?: string };
	interactive?: { reply_id: string; title: string };
	duplicate?: number;
}

export interface WorldOptions {
	sessionWindowHours: number;
	statusDelayMs: number;
	businessNumber: string;
	/** Where media samples are served, e.g. http://127.0.0.1:4010/media */
	mediaUrl: () => string;
	onChange: () => void;
}

export interface EmittedEvent {
	event: string;
	payload: Record<string, unknown>;
	webhooks: number[];
	copies: number;
}

export const MEDIA_SAMPLES: Record<string, { file: string; mime: string }> = {
	image: { file: 'sample.jpg', mime: 'image/jpeg' },
	audio: { file: 'sample.ogg', mime: 'audio/ogg' },
	document: { file: 'sample.pdf', mime: 'application/pdf' },
	video: { file: 'sample.mp4', mime: 'video/mp4' },
};

export function mimeOfSample(file: string): string {
	const ext = file.split('.').pop() ?? '';
	const byExt: Record<string, string> = {
		jpg: 'image/jpeg',
		jpeg: 'image/jpeg',
		png: 'image/png',
		ogg: 'audio/ogg',
		pdf: 'application/pdf',
		mp4: 'video/mp4',
	};
	return byExt[ext] ?? 'application/octet-stream';
}

function wamid(): string {
	return `wamid.${randomBytes(24).toString('base64url')}`;
}

export class World {
	data: StateData;
	readonly events: EmittedEvent[] = [];
	private readonly statusTimers = new Set<NodeJS.Timeout>();

	constructor(
		private readonly deliverer: Deliverer,
		private readonly options: WorldOptions,
		initial?: StateData,
	) {
		this.data = initial ?? seedState();
	}

	get businessNumber(): string {
		return this.options.businessNumber;
	}

	reset(): void {
		this.stopTimers();
		this.data = seedState();
		this.events.length = 0;
		this.options.onChange();
	}

	stopTimers(): void {
		for (const timer of this.statusTimers) clearTimeout(timer);
		this.statusTimers.clear();
	}

	now(): string {
		return new Date().toISOString();
	}

	nextId(kind: keyof StateData['next']): number {
		return this.data.next[kind]++;
	}

	// ---- events -------------------------------------------------------------------------------

	/** Builds the payload of an event and delivers it to every enabled webhook listening to it. */
	emit(event: string, fields: Record<string, unknown>, copies = 1): EmittedEvent {
		const payload = {
			event_id: randomUUID(),
			webhook_event_type: event,
			business_id: BUSINESS_ID,
			timestamp: this.now(),
			...fields,
		};
		const targets = this.data.webhooks.filter((w) => w.enabled && w.event === event);
		for (const webhook of targets) this.deliverer.deliver(webhook, payload, copies);
		const emitted = { event, payload, webhooks: targets.map((w) => w.id), copies };
		this.events.push(emitted);
		return emitted;
	}

	// ---- contacts -----------------------------------------------------------------------------

	findContact(platformId: string): Contact | undefined {
		return this.data.contacts.find((c) => c.platform_id === platformId);
	}

	requireContact(platformId: string, field = 'platform_id'): Contact {
		const contact = this.findContact(platformId);
		if (!contact)
			throw new ApiError(404, 'contact_not_found', `No contact with platform_id ${platformId}`, [
				{ field, message: 'unknown contact' },
			]);
		return contact;
	}

	/** Creates a contact (firing new_contact) or updates the existing one with the same phone. */
	upsertContact(
		fields: Partial<Contact> & { platform_id: string },
		source: 'api' | 'inbound' | 'send',
	): Contact {
		const existing = this.findContact(fields.platform_id);
		if (existing) {
			Object.assign(existing, fields);
			return existing;
		}
		const contact: Contact = {
			id: this.nextId('contact'),
			platform: 'whatsapp',
			profile_name: null,
			profile_display_name: null,
			profile_email: null,
			image_url: null,
			country_code: null,
			tag_ids: [],
			assigned_agent_id: null,
			last_inbound_at: null,
			created_at: this.now(),
			...fields,
		};
		this.data.contacts.push(contact);
		this.emit('new_contact', {
			contact_id: contact.id,
			platform_id: contact.platform_id,
			contact_name: contact.profile_name,
			source,
		});
		return contact;
	}

	requireTags(tagIds: number[], field: string): void {
		tagIds.forEach((id, i) => {
			if (!this.data.tags.some((t) => t.id === id))
				throw new ApiError(404, 'not_found', `No tag with id ${id}`, [
					{ field: `${field}[${i}]`, message: 'unknown tag id' },
				]);
		});
	}

	contactView(contact: Contact): Record<string, unknown> {
		const { tag_ids, assigned_agent_id, ...rest } = contact;
		const agent = this.data.agents.find((a) => a.id === assigned_agent_id);
		return {
			...rest,
			tags: tag_ids.map((id) => ({ id, tag: this.data.tags.find((t) => t.id === id)?.tag ?? '' })),
			assigned_agent: agent ? { id: agent.id, platform_id: agent.platform_id } : null,
		};
	}

	sessionOpen(contact: Contact): boolean {
		if (!contact.last_inbound_at) return false;
		return (
			Date.now() - Date.parse(contact.last_inbound_at) < this.options.sessionWindowHours * 3600_000
		);
	}

	// ---- messages -----------------------------------------------------------------------------

	private lastMessageId(contactId: number): number | null {
		// From the end: the newest message is near it, and a long run must not slow every send down.
		for (let index = this.data.messages.length - 1; index >= 0; index--) {
			if (this.data.messages[index].contact_id === contactId)
				return this.data.messages[index].message_id;
		}
		return null;
	}

	private storeMessage(
		fields: Omit<
			StoredMessage,
			'message_id' | 'id' | 'created_at' | 'parent_message_id' | 'status_history'
		>,
	): StoredMessage {
		const at = this.now();
		const message: StoredMessage = {
			message_id: this.nextId('message'),
			id: wamid(),
			created_at: at,
			parent_message_id: this.lastMessageId(fields.contact_id),
			status_history: [{ status: fields.status, at }],
			...fields,
		};
		this.data.messages.push(message);
		return message;
	}

	private messageEventFields(message: StoredMessage, contact: Contact): Record<string, unknown> {
		return {
			contact_id: contact.id,
			contact_name: contact.profile_name,
			direction: message.direction,
			from: message.from,
			to: message.to,
			id: message.id,
			message_id: message.message_id,
			parent_message_id: message.parent_message_id,
			message_type: message.type,
			platform: 'whatsapp',
			type: 'message',
			...(message.text !== null ? { text: message.text } : {}),
		};
	}

	/** A contact writes to the business: opens the 24-hour window and fires incoming_msg. */
	inbound(input: InboundInput): { message: StoredMessage; event: EmittedEvent } {
		const contact =
			this.findContact(input.from) ??
			this.upsertContact(
				{
					platform_id: input.from,
					profile_name: input.name ?? input.from,
					profile_display_name: input.name ?? input.from,
				},
				'inbound',
			);
		contact.last_inbound_at = this.now();
		let type = 'text';
		let text: string | null = input.text ?? null;
		const extra: Record<string, unknown> = {};
		if (input.media) {
			type = input.media.type;
			const file = input.media.sample ?? MEDIA_SAMPLES[type].file;
			Object.assign(extra, {
				media_id: String(Date.now()) + String(this.data.next.message),
				filename_url: `${this.options.mediaUrl()}/${file}`,
				mime_type: mimeOfSample(file),
			});
		} else if (input.interactive) {
			type = 'interactive';
			text = input.interactive.title;
			extra.interactive_reply_id = input.interactive.reply_id;
		}
		const message = this.storeMessage({
			direction: 'in',
			from: input.from,
			to: this.options.businessNumber,
			contact_id: contact.id,
			type,
			status: 'received',
			text,
			content: Object.keys(extra).length ? extra : null,
			agent_id: null,
		});
		const event = this.emit(
			'incoming_msg',
			{ ...this.messageEventFields(message, contact), ...extra },
			input.duplicate,
		);
		this.options.onChange();
		return { message, event };
	}

	/** Records an outgoing message, fires outgoing_msg and schedules its status changes. */
	send(
		contact: Contact,
		type: string,
		content: StoredMessage['content'],
		text: string | null,
		agentId: number | null,
		extra: Record<string, unknown>,
	): StoredMessage {
		const message = this.storeMessage({
			direction: 'out',
			from: this.options.businessNumber,
			to: contact.platform_id,
			contact_id: contact.id,
			type,
			status: 'sent',
			text,
			content,
			agent_id: agentId,
		});
		this.emit('outgoing_msg', { ...this.messageEventFields(message, contact), ...extra });
		this.scheduleStatus(message.message_id);
		return message;
	}

	private scheduleStatus(messageId: number): void {
		if (this.options.statusDelayMs < 0) return;
		const timer = setTimeout(() => {
			this.statusTimers.delete(timer);
			const message = this.data.messages.find((m) => m.message_id === messageId);
			if (message && this.advance(message)) this.scheduleStatus(messageId);
		}, this.options.statusDelayMs);
		this.statusTimers.add(timer);
	}

	/** Moves a sent message one step (sent → delivered → read); false when it cannot move. */
	advance(message: StoredMessage): boolean {
		const step = STATUS_STEPS.indexOf(message.status as MessageStatus);
		if (message.direction !== 'out' || step < 0 || step === STATUS_STEPS.length - 1) return false;
		this.setStatus(message, STATUS_STEPS[step + 1]);
		return true;
	}

	setStatus(message: StoredMessage, status: MessageStatus): void {
		const previous = message.status;
		message.status = status;
		message.status_history.push({ status, at: this.now() });
		this.emit('message_status_changed', {
			message_id: message.message_id,
			id: message.id,
			status,
			previous_status: previous,
			to: message.to,
			contact_id: message.contact_id,
			platform: 'whatsapp',
		});
		this.options.onChange();
	}

	findMessage(messageId: number): StoredMessage | undefined {
		return this.data.messages.find((m) => m.message_id === messageId);
	}

	deleteMessage(messageId: number): boolean {
		const index = this.data.messages.findIndex((m) => m.message_id === messageId);
		if (index < 0) return false;
		this.data.messages.splice(index, 1);
		return true;
	}

	// ---- templates & webhooks -----------------------------------------------------------------

	templatesNamed(name: string): Template[] {
		return this.data.templates.filter((t) => t.name === name);
	}

	webhookView(webhook: StoredWebhook): Record<string, unknown> {
		const { securetoken: _secret, ...rest } = webhook;
		return rest;
	}

	/** A realistic payload for any of the 11 events, drawn from the current state. */
	sampleEventFields(event: string): Record<string, unknown> {
		const contact = this.data.contacts[0];
		const agent = this.data.agents[0];
		const contactFields = {
			contact_id: contact?.id ?? 101,
			platform_id: contact?.platform_id ?? '966511111111',
		};
		const lastOut = [...this.data.messages].reverse().find((m) => m.direction === 'out');
		const messageFields = {
			...contactFields,
			contact_name: contact?.profile_name ?? 'Ahmed',
			id: wamid(),
			message_id: this.data.next.message,
			parent_message_id: null,
			message_type: 'text',
			platform: 'whatsapp',
			type: 'message',
			text: 'hello',
		};
		switch (event) {
			case 'incoming_msg':
				return {
					...messageFields,
					direction: 'in',
					from: contactFields.platform_id,
					to: this.options.businessNumber,
				};
			case 'outgoing_msg':
				return {
					...messageFields,
					direction: 'out',
					from: this.options.businessNumber,
					to: contactFields.platform_id,
				};
			case 'message_status_changed':
				return {
					message_id: lastOut?.message_id ?? 1,
					id: lastOut?.id ?? wamid(),
					status: 'delivered',
					previous_status: 'sent',
					to: lastOut?.to ?? contactFields.platform_id,
					contact_id: lastOut?.contact_id ?? contactFields.contact_id,
					platform: 'whatsapp',
				};
			case 'new_contact':
				return { ...contactFields, contact_name: contact?.profile_name ?? null, source: 'api' };
			case 'chat_assigned':
				return {
					...contactFields,
					assigned_platform_id: agent?.platform_id ?? 'agent@example.com',
					agent_id: agent?.id ?? null,
				};
			case 'chat_closed':
				return { ...contactFields, closed_by: agent?.platform_id ?? null };
			case 'chat_mentioned':
				return {
					...contactFields,
					mentioned_platform_id: agent?.platform_id ?? 'agent@example.com',
					mentioned_by: this.data.agents[1]?.platform_id ?? null,
					note: 'Can you take this one?',
				};
			case 'template_approved': {
				const template =
					this.data.templates.find((t) => t.status !== 'approved') ?? this.data.templates[0];
				return {
					template_id: template.id,
					template_name: template.name,
					language: template.language,
					category: template.category,
					status: 'approved',
				};
			}
			case 'broadcast_complete':
				return {
					broadcast_id: 1,
					name: 'Sandbox broadcast',
					total: 120,
					sent: 118,
					delivered: 110,
					read: 64,
					failed: 2,
				};
			case 'billing_alert':
				return { alert_type: 'low_balance', balance: 12.5, currency: 'SAR', threshold: 50 };
			case 'for_rules':
				return { rule_id: 1, rule_name: 'Tag VIP on keyword', ...contactFields };
			default:
				throw new ApiError(404, 'not_found', `Unknown event ${event}`);
		}
	}

	/** Fires an event on request of the control API, applying its natural side effect where there is one. */
	fire(event: string, overrides: Record<string, unknown>, copies = 1): EmittedEvent {
		const fields = { ...this.sampleEventFields(event), ...overrides };
		if (event === 'template_approved') {
			const template = this.data.templates.find(
				(t) => t.name === fields.template_name && t.language === fields.language,
			);
			if (template) template.status = 'approved';
			this.options.onChange();
		}
		return this.emit(event, fields, copies);
	}
}
