/**
 * One handler per contract operation (keyed by operationId). Requests reach these only after
 * auth and contract validation, so a handler checks what a schema cannot: that referenced
 * things exist, the 24-hour window, template placeholders, seats, interactive row totals.
 */
import { randomUUID } from 'node:crypto';

import { ApiError, MEDIA_SAMPLES } from './world.cjs';
import type { World } from './world.cjs';
import { BUSINESS_ID } from './state.cjs';
import type { Agent, Contact, Template } from './state.cjs';

export interface ApiRequest {
	params: Record<string, any>;
	query: Record<string, any>;
	body: any;
}

export interface ApiResult {
	status: number;
	body: unknown;
}

export type ApiHandler = (world: World, request: ApiRequest) => ApiResult;

const FREE_FORM_NEEDS_SESSION = 'send an approved template instead';

function ok(data: unknown, message = 'success', status = 200): ApiResult {
	return { status, body: { success: true, message, data } };
}

function notFound(what: string, field?: string): ApiError {
	return new ApiError(
		404,
		'not_found',
		`${what} not found`,
		field ? [{ field, message: 'not found' }] : [],
	);
}

function placeholderCount(text: string | undefined): number {
	const numbers = [...(text ?? '').matchAll(/\{\{(\d+)\}\}/g)].map((m) => Number(m[1]));
	return numbers.length ? Math.max(...numbers) : 0;
}

/** How many values each `argument` component needs for a template. */
export function expectedArguments(
	template: Template,
): Record<'HEADER' | 'BODY' | 'FOOTER' | 'BUTTONS', number> {
	const expected = { HEADER: 0, BODY: 0, FOOTER: 0, BUTTONS: 0 };
	for (const component of template.components) {
		if (component.type === 'HEADER')
			expected.HEADER =
				component.format && component.format !== 'TEXT' ? 1 : placeholderCount(component.text);
		if (component.type === 'BODY') expected.BODY = placeholderCount(component.text);
		if (component.type === 'BUTTONS')
			expected.BUTTONS = (component.buttons ?? []).reduce((n, b) => n + placeholderCount(b.url), 0);
	}
	return expected;
}

function render(text: string | undefined, values: string[]): string {
	return (text ?? '').replace(/\{\{(\d+)\}\}/g, (_, n: string) => values[Number(n) - 1] ?? '');
}

function checkTemplate(
	world: World,
	payload: { template_id: string; language: string; argument?: Record<string, string[]> },
): { template: Template; text: string } {
	const named = world.templatesNamed(payload.template_id);
	if (!named.length)
		throw new ApiError(404, 'template_not_found', `No template named ${payload.template_id}`, [
			{ field: 'template.template_id', message: 'unknown template' },
		]);
	const template = named.find((t) => t.language === payload.language);
	if (!template)
		throw new ApiError(
			404,
			'template_not_found',
			`Template ${payload.template_id} has no ${payload.language} version (available: ${named.map((t) => t.language).join(', ')})`,
			[{ field: 'template.language', message: 'language not available for this template' }],
		);
	if (template.status !== 'approved')
		throw new ApiError(
			400,
			'template_not_approved',
			`Template ${template.name} (${template.language}) is ${template.status}; only approved templates can be sent`,
			[{ field: 'template.template_id', message: `template is ${template.status}` }],
		);
	const argument = payload.argument ?? {};
	const expected = expectedArguments(template);
	for (const component of ['HEADER', 'BODY', 'FOOTER', 'BUTTONS'] as const) {
		const actual = argument[component]?.length ?? 0;
		if (actual !== expected[component])
			throw new ApiError(
				400,
				'template_mismatch',
				`Template ${template.name} ${component} expects ${expected[component]} value(s) but got ${actual}`,
				[
					{
						field: `template.argument.${component}`,
						message: `expected ${expected[component]} value(s), got ${actual}`,
					},
				],
			);
	}
	const header = template.components.find((c) => c.type === 'HEADER');
	if (header?.format && header.format !== 'TEXT' && !/^https?:\/\//.test(argument.HEADER[0]))
		throw new ApiError(
			400,
			'template_mismatch',
			`Template ${template.name} has a ${header.format} header: HEADER must be [<public URL>]`,
			[{ field: 'template.argument.HEADER[0]', message: 'must be a public http(s) URL' }],
		);
	const body = template.components.find((c) => c.type === 'BODY');
	return { template, text: render(body?.text, argument.BODY ?? []) };
}

function checkInteractive(interactive: any): void {
	if (interactive.type === 'list') {
		const rows = (interactive.action.sections as Array<{ rows: Array<{ id: string }> }>).flatMap(
			(s) => s.rows,
		);
		if (rows.length > 10)
			throw new ApiError(
				400,
				'validation_error',
				`A list may have at most 10 rows in total (got ${rows.length})`,
				[{ field: 'interactive.action.sections', message: 'more than 10 rows in total' }],
			);
		const ids = rows.map((r) => r.id);
		if (new Set(ids).size !== ids.length)
			throw new ApiError(400, 'validation_error', 'List row ids must be unique', [
				{ field: 'interactive.action.sections', message: 'duplicate row id' },
			]);
		if (
			interactive.action.sections.length > 1 &&
			interactive.action.sections.some((s: { title?: string }) => !s.title)
		)
			throw new ApiError(
				400,
				'validation_error',
				'Every section needs a title when there is more than one',
				[{ field: 'interactive.action.sections', message: 'section title required' }],
			);
	} else {
		const ids = (interactive.action.buttons as Array<{ reply: { id: string } }>).map(
			(b) => b.reply.id,
		);
		if (new Set(ids).size !== ids.length)
			throw new ApiError(400, 'validation_error', 'Button ids must be unique', [
				{ field: 'interactive.action.buttons', message: 'duplicate button id' },
			]);
	}
}

function textOf(body: any): string | null {
	switch (body.type) {
		case 'text':
			return body.text.body;
		case 'image':
		case 'video':
		case 'document':
			return body[body.type].caption ?? null;
		case 'interactive':
			return body.interactive.body.text;
		case 'location':
			return body.location.name ?? `${body.location.latitude},${body.location.longitude}`;
		default:
			return null;
	}
}

function sendMessage(world: World, { query, body }: ApiRequest): ApiResult {
	const create = query.create === true;
	const existing = world.findContact(body.to);
	if (!existing && !create)
		throw new ApiError(
			404,
			'contact_not_found',
			`No contact with number ${body.to}; pass create=true to create it`,
			[{ field: 'to', message: 'unknown contact' }],
		);
	let agentId: number | null = null;
	if (body.agent_id !== undefined) {
		if (!world.data.agents.some((a) => a.id === body.agent_id))
			throw notFound(`Agent ${body.agent_id}`, 'agent_id');
		agentId = body.agent_id;
	}
	let text = textOf(body);
	const extra: Record<string, unknown> = {};
	if (body.type === 'template') {
		const checked = checkTemplate(world, body.template);
		text = checked.text;
		extra.template_name = checked.template.name;
	} else {
		if (!existing || !world.sessionOpen(existing))
			throw new ApiError(
				400,
				'session_window_closed',
				`No message from ${body.to} in the last 24 hours: free-form messages need an open session; ${FREE_FORM_NEEDS_SESSION}`,
				[{ field: 'type', message: FREE_FORM_NEEDS_SESSION }],
			);
		if (body.type === 'interactive') checkInteractive(body.interactive);
		const media = body[body.type];
		if (MEDIA_SAMPLES[body.type] && media?.link) extra.filename_url = media.link;
	}
	const contact: Contact =
		existing ??
		world.upsertContact(
			{ platform_id: body.to, profile_name: body.to, profile_display_name: body.to },
			'send',
		);
	const message = world.send(contact, body.type, body[body.type] ?? null, text, agentId, extra);
	return ok(
		{
			message_id: message.message_id,
			id: message.id,
			to: message.to,
			type: message.type,
			status: message.status,
			contact_id: contact.id,
			created_at: message.created_at,
		},
		'message sent',
	);
}

function agentByPath(world: World, id: number): Agent {
	const agent = world.data.agents.find((a) => a.id === id);
	if (!agent) throw notFound(`Agent ${id}`, 'id');
	return agent;
}

function requireUniqueAgentEmail(world: World, email: string | undefined, except?: number): void {
	if (email && world.data.agents.some((a) => a.email === email && a.id !== except))
		throw new ApiError(400, 'validation_error', `An agent with email ${email} already exists`, [
			{ field: 'email', message: 'already in use' },
		]);
}

function contactFields(input: any): Partial<Contact> & { platform_id: string } {
	const { tags, ...rest } = input;
	return { ...rest, ...(tags ? { tag_ids: [...new Set<number>(tags)] } : {}) };
}

function createContacts(world: World, contacts: any[]): number {
	contacts.forEach((c, i) => c.tags && world.requireTags(c.tags, `contacts[${i}].tags`));
	for (const contact of contacts) world.upsertContact(contactFields(contact), 'api');
	return contacts.length;
}

export function createHandlers(agentSeats: number): Record<string, ApiHandler> {
	return {
		sendMessage,

		deleteMessage(world, { params }) {
			if (!world.deleteMessage(params.id)) throw notFound(`Message ${params.id}`, 'id');
			return ok({ id: params.id, deleted: true }, 'message deleted');
		},

		deleteMessages(world, { body }) {
			const ids = [...new Set<number>(body.message_ids)];
			const deleted = ids.filter((id) => world.deleteMessage(id));
			return ok(
				{ deleted, not_found: ids.filter((id) => !deleted.includes(id)) },
				'messages deleted',
			);
		},

		listTemplates: (world) => ok(world.data.templates),

		createAgent(world, { body }) {
			requireUniqueAgentEmail(world, body.email);
			if (
				world.data.agents.filter((a) => a.status === 'active').length >= agentSeats &&
				body.status === 'active'
			)
				throw new ApiError(
					402,
					'payment_required',
					`All ${agentSeats} agent seats are in use; upgrade the plan or deactivate an agent`,
				);
			const agent: Agent = {
				id: world.nextId('agent'),
				platform_id: body.email,
				platform: 'WhatsApp',
				is_agent: true,
				business_id: BUSINESS_ID,
				created_at: world.now(),
				...body,
			};
			world.data.agents.push(agent);
			return ok([{ agent_id: String(agent.id) }], 'agent created');
		},

		updateAgent(world, { params, body }) {
			const agent = agentByPath(world, params.id);
			requireUniqueAgentEmail(world, body.email, agent.id);
			Object.assign(agent, body, body.email ? { platform_id: body.email } : {});
			return ok(agent, 'agent updated');
		},

		getAgent: (world, { params }) => ok(agentByPath(world, params.id)),

		listAgents: (world) => ok(world.data.agents),

		createContacts(world, { body }) {
			createContacts(world, body.contacts);
			return { status: 200, body: {} };
		},

		createBulkContacts(world, { body }) {
			return ok({ accepted: createContacts(world, body.contacts) }, 'contacts accepted', 202);
		},

		getContact: (world, { params }) =>
			ok(world.contactView(world.requireContact(params.platform_id))),

		assignContact(world, { body }) {
			const contact = world.requireContact(body.platform_id);
			const agent = world.data.agents.find(
				(a) =>
					a.platform_id === body.assigned_platform_id ||
					a.email === body.assigned_platform_id ||
					String(a.id) === body.assigned_platform_id,
			);
			if (!agent) throw notFound(`Agent ${body.assigned_platform_id}`, 'assigned_platform_id');
			contact.assigned_agent_id = agent.id;
			world.emit('chat_assigned', {
				contact_id: contact.id,
				platform_id: contact.platform_id,
				assigned_platform_id: body.assigned_platform_id,
				agent_id: agent.id,
			});
			return ok(
				{ platform_id: contact.platform_id, assigned_platform_id: body.assigned_platform_id },
				'contact assigned',
			);
		},

		addContactTags(world, { body }) {
			const contact = world.requireContact(body.platform_id);
			world.requireTags(body.tag_ids, 'tag_ids');
			contact.tag_ids = [...new Set([...contact.tag_ids, ...body.tag_ids])];
			return ok({ platform_id: contact.platform_id, tag_ids: contact.tag_ids }, 'tags added', 201);
		},

		createTag(world, { body }) {
			if (world.data.tags.some((t) => t.tag.toLowerCase() === body.tag.toLowerCase()))
				throw new ApiError(400, 'validation_error', `A tag named ${body.tag} already exists`, [
					{ field: 'tag', message: 'already exists' },
				]);
			const at = world.now();
			const tag = {
				id: world.nextId('tag'),
				business_id: BUSINESS_ID,
				tag: body.tag,
				colour: body.colour ?? '#1ca08a',
				description: body.description ?? '',
				created_by: 1,
				display_name: '',
				updated_at: at,
				created_at: at,
			};
			world.data.tags.push(tag);
			return ok(tag, 'Tag created successfully');
		},

		listTags: (world) => ok(world.data.tags),

		listCustomFields: (world) => ok(world.data.customFields),

		createWebhook(world, { body }) {
			const webhook = { id: world.nextId('webhook'), created_at: world.now(), ...body };
			world.data.webhooks.push(webhook);
			return ok(world.webhookView(webhook), 'webhook created');
		},

		listWebhooks: (world) => ok(world.data.webhooks.map((w) => world.webhookView(w))),

		getWebhook(world, { params }) {
			const webhook = world.data.webhooks.find((w) => w.id === params.id);
			if (!webhook) throw notFound(`Webhook ${params.id}`, 'id');
			return ok(world.webhookView(webhook));
		},

		deleteWebhook(world, { params }) {
			const index = world.data.webhooks.findIndex((w) => w.id === params.id);
			if (index < 0) throw notFound(`Webhook ${params.id}`, 'id');
			world.data.webhooks.splice(index, 1);
			return ok({ id: params.id, deleted: true }, 'webhook deleted');
		},

		createUserSession(_world, { query, body }) {
			const sessionId = randomUUID();
			return ok(
				{
					session_id: sessionId,
					user_id: body.platform_id,
					expires_at: new Date(Date.now() + 3600_000).toISOString(),
					url: `https://app.mottasl.ai/session/${sessionId}${query.host_id ? `?host_id=${encodeURIComponent(query.host_id)}` : ''}`,
				},
				'session created',
			);
		},
	};
}
