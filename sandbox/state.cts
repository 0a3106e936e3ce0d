/**
 * The sandbox's in-memory Azeer account: plain JSON data, so it can be written to a state file
 * and read back after a restart. `seedState()` is what a fresh or reset sandbox starts from.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const BUSINESS_ID = '8e4c6c2f-2f73-4b1a-9c3e-5d7a1e0b2c44';
export const BUSINESS_NUMBER = '966500000000';

export type MessageStatus = 'sent' | 'delivered' | 'read' | 'failed';

export interface Agent {
	id: number;
	platform_id: string;
	platform: 'WhatsApp';
	is_agent: true;
	business_id: string;
	name: string;
	display_name: string;
	email: string;
	role: string;
	status: string;
	created_at: string;
}

export interface Contact {
	id: number;
	platform_id: string;
	platform: 'whatsapp';
	profile_name: string | null;
	profile_display_name: string | null;
	profile_email: string | null;
	image_url: string | null;
	country_code: string | null;
	tag_ids: number[];
	assigned_agent_id: number | null;
	last_inbound_at: string | null;
	created_at: string;
}

export interface Tag {
	id: number;
	business_id: string;
	tag: string;
	colour: string;
	description: string;
	created_by: number;
	display_name: string;
	updated_at: string;
	created_at: string;
}

export interface TemplateComponent {
	type: 'HEADER' | 'BODY' | 'FOOTER' | 'BUTTONS';
	format?: 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT';
	text?: string;
	buttons?: Array<{
		type: 'QUICK_REPLY' | 'URL' | 'PHONE_NUMBER';
		text: string;
		url?: string;
		phone_number?: string;
	}>;
}

export interface Template {
	id: string;
	name: string;
	language: string;
	status: 'approved' | 'pending' | 'rejected';
	category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
	components: TemplateComponent[];
}

export interface CustomFieldGroup {
	type: string;
	fields: Array<{ id: number; display_name: string; type: string }>;
}

/** A message in either direction, as the control API shows it. */
export interface StoredMessage {
	message_id: number;
	id: string;
	direction: 'in' | 'out';
	from: string;
	to: string;
	contact_id: number;
	type: string;
	status: MessageStatus | 'received';
	text: string | null;
	/** The type-specific object of a sent message (`text`, `template`, `image`, …) or inbound media details. */
	content: Record<string, unknown> | Array<unknown> | null;
	parent_message_id: number | null;
	agent_id: number | null;
	created_at: string;
	status_history: Array<{ status: string; at: string }>;
}

export interface StoredWebhook {
	id: number;
	name: string;
	description: string;
	url: string;
	event: string;
	securetoken: string;
	policy: 'retry' | 'none';
	enabled: boolean;
	created_at: string;
}

export interface StateData {
	next: { agent: number; contact: number; tag: number; message: number; webhook: number };
	agents: Agent[];
	contacts: Contact[];
	tags: Tag[];
	templates: Template[];
	customFields: CustomFieldGroup[];
	messages: StoredMessage[];
	webhooks: StoredWebhook[];
}

const SEED_TIME = '2026-01-01T09:00:00.000Z';

function seedAgent(
	id: number,
	name: string,
	email: string,
	role: string,
	status = 'active',
): Agent {
	return {
		id,
		platform_id: email,
		platform: 'WhatsApp',
		is_agent: true,
		business_id: BUSINESS_ID,
		name,
		display_name: name.split(' ')[0],
		email,
		role,
		status,
		created_at: SEED_TIME,
	};
}

function seedTag(id: number, tag: string, colour: string, description: string): Tag {
	return {
		id,
		business_id: BUSINESS_ID,
		tag,
		colour,
		description,
		created_by: 1,
		display_name: '',
		updated_at: SEED_TIME,
		created_at: SEED_TIME,
	};
}

export function seedTemplates(): Template[] {
	return [
		{
			id: '1001',
			name: 'order_update',
			language: 'en',
			status: 'approved',
			category: 'UTILITY',
			components: [
				{ type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' },
				{ type: 'BODY', text: 'Hi {{1}}, your order is now {{2}}.' },
				{ type: 'FOOTER', text: 'Thank you for shopping with us' },
				{
					type: 'BUTTONS',
					buttons: [
						{ type: 'URL', text: 'Track order', url: 'https://shop.example.com/track/{{1}}' },
					],
				},
			],
		},
		...['ar', 'en'].map((language, i): Template => ({
			id: `100${2 + i}`,
			name: 'welcome_offer',
			language,
			status: 'approved',
			category: 'MARKETING',
			components: [
				{ type: 'HEADER', format: 'IMAGE' },
				{
					type: 'BODY',
					text:
						language === 'ar'
							? 'أهلاً {{1}}! خصم 20٪ على طلبك الأول.'
							: 'Welcome {{1}}! Enjoy 20% off your first order.',
				},
				{
					type: 'BUTTONS',
					buttons: [{ type: 'QUICK_REPLY', text: language === 'ar' ? 'تسوق الآن' : 'Shop now' }],
				},
			],
		})),
		{
			id: '1004',
			name: 'otp_code',
			language: 'en',
			status: 'approved',
			category: 'AUTHENTICATION',
			components: [{ type: 'BODY', text: '{{1}} is your verification code. Do not share it.' }],
		},
		{
			id: '1005',
			name: 'hello_world',
			language: 'en',
			status: 'approved',
			category: 'UTILITY',
			components: [{ type: 'BODY', text: 'Hello World! Thanks for contacting us.' }],
		},
		{
			id: '1006',
			name: 'black_friday',
			language: 'en',
			status: 'pending',
			category: 'MARKETING',
			components: [{ type: 'BODY', text: 'Black Friday: {{1}} off everything!' }],
		},
	];
}

export function seedState(): StateData {
	return {
		next: { agent: 3, contact: 102, tag: 3, message: 1, webhook: 1 },
		agents: [
			seedAgent(1, 'Sara Admin', 'sara@example.com', 'admin'),
			seedAgent(2, 'Omar Agent', 'omar@example.com', 'agent'),
		],
		contacts: [
			{
				id: 101,
				platform_id: '966511111111',
				platform: 'whatsapp',
				profile_name: 'Ahmed',
				profile_display_name: 'Ahmed Ali',
				profile_email: 'ahmed@example.com',
				image_url: null,
				country_code: 'SA',
				tag_ids: [1],
				assigned_agent_id: null,
				last_inbound_at: null,
				created_at: SEED_TIME,
			},
		],
		tags: [seedTag(1, 'VIP', '#e74266', 'VIP client'), seedTag(2, 'Lead', '#1ca08a', 'New lead')],
		templates: seedTemplates(),
		customFields: [
			{
				type: 'text',
				fields: [
					{ id: 1, display_name: 'Company', type: 'text' },
					{ id: 2, display_name: 'City', type: 'text' },
				],
			},
			{ type: 'number', fields: [{ id: 3, display_name: 'Orders count', type: 'number' }] },
			{ type: 'date', fields: [{ id: 4, display_name: 'Birthday', type: 'date' }] },
			{ type: 'dropdown', fields: [{ id: 5, display_name: 'Plan', type: 'dropdown' }] },
		],
		messages: [],
		webhooks: [],
	};
}

export function loadStateFile(file: string): StateData | undefined {
	if (!existsSync(file)) return undefined;
	return JSON.parse(readFileSync(file, 'utf8')) as StateData;
}

export function saveStateFile(file: string, data: StateData): void {
	writeFileSync(file, JSON.stringify(data, null, '\t'));
}
