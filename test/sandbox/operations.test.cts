/**
 * Every operation of the contract: one success case and at least one bad-input case, each
 * answered by the sandbox over HTTP and checked against the contract's response schema.
 */
import { startSandbox } from '../../sandbox/index.cjs';
import type { Sandbox } from '../../sandbox/index.cjs';
import { callOk, contract, TEMPLATE_ORDER_UPDATE, useSandbox } from './helpers.cjs';

interface Case {
	method: string;
	path: string;
	body?: unknown;
	query?: Record<string, string>;
	/** API key; default read-write; null = none. */
	key?: string | null;
	/** Runs first, e.g. to open a session or create what the call needs. */
	setup?: (sandbox: Sandbox) => Promise<unknown> | unknown;
	status: number;
	/** Subset of the answer body. */
	answer?: Record<string, unknown>;
	/** The field an error must name. */
	field?: string;
}

const CONTACT = {
	platform_id: '966544444444',
	platform: 'whatsapp',
	profile_name: 'Ahmed',
	profile_display_name: 'Ahmed Ali',
	country_code: 'SA',
};
const WEBHOOK = {
	name: 'n8n',
	description: 'test',
	url: 'http://127.0.0.1:9/hook',
	event: 'incoming_msg',
	securetoken: 's3cret',
	policy: 'retry',
	enabled: true,
};
const AGENT = {
	role: 'agent',
	email: 'lina@example.com',
	name: 'Lina Agent',
	display_name: 'Lina',
	status: 'active',
};
const SESSION = {
	business_id: '550e8400-e29b-41d4-a716-446655440000',
	platform_type: 'avocado',
	platform_id: '1234567890',
	role: 'admin',
	profile_name: 'johndoe',
	display_name: 'John Doe',
	profile_image_url: 'https://example.com/profile.jpg',
};

async function sendTemplate(sandbox: Sandbox): Promise<number> {
	const sent = await callOk(sandbox, 'POST', '/message/send', {
		body: { to: '966511111111', type: 'template', template: TEMPLATE_ORDER_UPDATE },
	});
	return sent.body.data.message_id;
}

async function createWebhook(sandbox: Sandbox): Promise<number> {
	return (await callOk(sandbox, 'POST', '/webhook', { body: WEBHOOK })).body.data.id;
}

const CASES: Record<string, { success: Case; bad: Case[] }> = {
	sendMessage: {
		success: {
			method: 'POST',
			path: '/message/send',
			body: { to: '966511111111', type: 'template', template: TEMPLATE_ORDER_UPDATE },
			status: 200,
			answer: { success: true },
		},
		bad: [
			{
				method: 'POST',
				path: '/message/send',
				body: { to: '966511111111', type: 'video' },
				status: 400,
				field: 'video',
			},
			{
				method: 'POST',
				path: '/message/send',
				query: { create: 'maybe' },
				body: { to: '966511111111', type: 'template', template: TEMPLATE_ORDER_UPDATE },
				status: 400,
				field: 'create',
			},
			{
				method: 'POST',
				path: '/message/send',
				body: { to: '966599999999', type: 'template', template: TEMPLATE_ORDER_UPDATE },
				status: 404,
				answer: { code: 'contact_not_found' },
				field: 'to',
			},
		],
	},
	deleteMessage: {
		success: {
			method: 'DELETE',
			path: '/message/1',
			setup: sendTemplate,
			status: 200,
			answer: { data: { id: 1, deleted: true } },
		},
		bad: [
			{ method: 'DELETE', path: '/message/abc', status: 400, field: 'id' },
			{ method: 'DELETE', path: '/message/77', status: 404, field: 'id' },
		],
	},
	deleteMessages: {
		success: {
			method: 'DELETE',
			path: '/message/bulk',
			setup: sendTemplate,
			body: { message_ids: [1, 2] },
			status: 200,
			answer: { data: { deleted: [1], not_found: [2] } },
		},
		bad: [
			{
				method: 'DELETE',
				path: '/message/bulk',
				body: { message_ids: [] },
				status: 400,
				field: 'message_ids',
			},
			{
				method: 'DELETE',
				path: '/message/bulk',
				body: { message_ids: Array.from({ length: 101 }, (_, i) => i + 1) },
				status: 400,
				field: 'message_ids',
			},
		],
	},
	listTemplates: {
		success: { method: 'GET', path: '/partner/templates', status: 200 },
		bad: [
			{
				method: 'GET',
				path: '/partner/templates',
				key: null,
				status: 401,
				answer: { code: 'unauthorized' },
			},
		],
	},
	createAgent: {
		success: {
			method: 'POST',
			path: '/agent',
			body: AGENT,
			status: 200,
			answer: { message: 'agent created', data: [{ agent_id: '3' }] },
		},
		bad: [
			{
				method: 'POST',
				path: '/agent',
				body: { ...AGENT, email: 'not-an-email' },
				status: 400,
				field: 'email',
			},
			{
				method: 'POST',
				path: '/agent',
				body: { ...AGENT, email: 'sara@example.com' },
				status: 400,
				field: 'email',
			},
		],
	},
	updateAgent: {
		success: {
			method: 'PATCH',
			path: '/agent/2',
			body: { status: 'inactive' },
			status: 200,
			answer: { data: { id: 2, status: 'inactive' } },
		},
		bad: [
			{ method: 'PATCH', path: '/agent/2', body: {}, status: 400, field: 'body' },
			{ method: 'PATCH', path: '/agent/99', body: { name: 'X' }, status: 404, field: 'id' },
		],
	},
	getAgent: {
		success: {
			method: 'GET',
			path: '/agent/1',
			status: 200,
			answer: { data: { id: 1, platform_id: 'sara@example.com', is_agent: true } },
		},
		bad: [
			{ method: 'GET', path: '/agent/0', status: 400, field: 'id' },
			{ method: 'GET', path: '/agent/99', status: 404, answer: { code: 'not_found' } },
		],
	},
	listAgents: {
		success: { method: 'GET', path: '/agent', status: 200 },
		bad: [
			{
				method: 'GET',
				path: '/agent',
				key: 'revoked-key',
				status: 401,
				answer: { code: 'unauthorized' },
			},
		],
	},
	createContacts: {
		success: {
			method: 'POST',
			path: '/contact/create',
			body: { mode: 'sync', contacts: [CONTACT] },
			status: 200,
		},
		bad: [
			{
				method: 'POST',
				path: '/contact/create',
				body: { mode: 'later', contacts: [CONTACT] },
				status: 400,
				field: 'mode',
			},
			{
				method: 'POST',
				path: '/contact/create',
				body: { mode: 'sync', contacts: [{ ...CONTACT, tags: [999] }] },
				status: 404,
				field: 'contacts[0].tags[0]',
			},
		],
	},
	createBulkContacts: {
		success: {
			method: 'POST',
			path: '/contact/bulk',
			body: { contacts: [CONTACT] },
			status: 202,
			answer: { data: { accepted: 1 } },
		},
		bad: [
			{
				method: 'POST',
				path: '/contact/bulk',
				body: { contacts: [{ ...CONTACT, platform: 'telegram' }] },
				status: 400,
				field: 'contacts[0].platform',
			},
		],
	},
	getContact: {
		success: {
			method: 'GET',
			path: '/contact/966511111111',
			status: 200,
			answer: { data: { id: 101, tags: [{ id: 1, tag: 'VIP' }], assigned_agent: null } },
		},
		bad: [
			{ method: 'GET', path: '/contact/+966511111111', status: 400, field: 'platform_id' },
			{
				method: 'GET',
				path: '/contact/966599999999',
				status: 404,
				answer: { code: 'contact_not_found' },
			},
		],
	},
	assignContact: {
		success: {
			method: 'POST',
			path: '/contact/assign',
			body: { platform_id: '966511111111', assigned_platform_id: 'omar@example.com' },
			status: 200,
		},
		bad: [
			{
				method: 'POST',
				path: '/contact/assign',
				body: { platform_id: '966511111111' },
				status: 400,
				field: 'assigned_platform_id',
			},
			{
				method: 'POST',
				path: '/contact/assign',
				body: { platform_id: '966511111111', assigned_platform_id: 'ghost@example.com' },
				status: 404,
				field: 'assigned_platform_id',
			},
		],
	},
	addContactTags: {
		success: {
			method: 'POST',
			path: '/contact/tags',
			body: { platform_id: '966511111111', tag_ids: [2] },
			status: 201,
			answer: { data: { platform_id: '966511111111', tag_ids: [1, 2] } },
		},
		bad: [
			{
				method: 'POST',
				path: '/contact/tags',
				body: { platform_id: '966511111111', tag_ids: ['VIP'] },
				status: 400,
				field: 'tag_ids[0]',
			},
			{
				method: 'POST',
				path: '/contact/tags',
				body: { platform_id: '966511111111', tag_ids: [2, 999] },
				status: 404,
				field: 'tag_ids[1]',
			},
		],
	},
	createTag: {
		success: {
			method: 'POST',
			path: '/tags',
			body: { tag: 'Wholesale', description: 'B2B', colour: '#123abc' },
			status: 200,
			answer: {
				message: 'Tag created successfully',
				data: { id: 3, tag: 'Wholesale', colour: '#123abc' },
			},
		},
		bad: [
			{
				method: 'POST',
				path: '/tags',
				body: { tag: 'X', colour: 'red' },
				status: 400,
				field: 'colour',
			},
			{ method: 'POST', path: '/tags', body: { tag: 'vip' }, status: 400, field: 'tag' },
		],
	},
	listTags: {
		success: { method: 'GET', path: '/tags', status: 200 },
		bad: [
			{
				method: 'GET',
				path: '/tags',
				setup: (s) => s.fault({ kind: '500' }),
				status: 500,
				answer: { code: 'internal_error' },
			},
		],
	},
	listCustomFields: {
		success: { method: 'GET', path: '/customfield/group', status: 200 },
		bad: [
			{
				method: 'GET',
				path: '/customfield/group',
				setup: (s) => s.fault({ kind: '429', retryAfter: 3 }),
				status: 429,
				answer: { code: 'rate_limited' },
			},
		],
	},
	createWebhook: {
		success: {
			method: 'POST',
			path: '/webhook',
			body: WEBHOOK,
			status: 200,
			answer: { data: { id: 1, event: 'incoming_msg', policy: 'retry', enabled: true } },
		},
		bad: [
			{
				method: 'POST',
				path: '/webhook',
				body: { ...WEBHOOK, event: 'all' },
				status: 400,
				field: 'event',
			},
			{
				method: 'POST',
				path: '/webhook',
				body: { ...WEBHOOK, url: 'ftp://example.com' },
				status: 400,
				field: 'url',
			},
			{
				method: 'POST',
				path: '/webhook',
				body: { ...WEBHOOK, securetoken: undefined },
				status: 400,
				field: 'securetoken',
			},
		],
	},
	listWebhooks: {
		success: {
			method: 'GET',
			path: '/webhook',
			setup: createWebhook,
			status: 200,
			answer: { data: [{ id: 1, url: WEBHOOK.url }] },
		},
		bad: [{ method: 'GET', path: '/webhook', setup: (s) => s.fault({ kind: '503' }), status: 503 }],
	},
	getWebhook: {
		success: {
			method: 'GET',
			path: '/webhook/1',
			setup: createWebhook,
			status: 200,
			answer: { data: { id: 1, name: 'n8n' } },
		},
		bad: [{ method: 'GET', path: '/webhook/5', status: 404, field: 'id' }],
	},
	deleteWebhook: {
		success: {
			method: 'DELETE',
			path: '/webhook/1',
			setup: createWebhook,
			status: 200,
			answer: { data: { id: 1, deleted: true } },
		},
		bad: [
			{ method: 'DELETE', path: '/webhook/1', status: 404, field: 'id' },
			{ method: 'DELETE', path: '/webhook/x', status: 400, field: 'id' },
		],
	},
	createUserSession: {
		success: {
			method: 'POST',
			path: '/app/user.new.session',
			query: { host_id: 'xyz' },
			body: SESSION,
			status: 200,
			answer: { data: { user_id: '1234567890' } },
		},
		bad: [
			{
				method: 'POST',
				path: '/app/user.new.session',
				body: { ...SESSION, business_id: 'acme' },
				status: 400,
				field: 'business_id',
			},
			{ method: 'POST', path: '/app/user.new.session', status: 400, field: 'body' },
		],
	},
};

describe('every contract operation on the sandbox', () => {
	let sandbox: Sandbox;

	useSandbox({ statusDelayMs: -1 }, (s) => (sandbox = s));

	it('has a success case and a bad-input case for each of the contract operations', () => {
		expect(Object.keys(CASES).sort()).toEqual(
			contract.operations.map((op) => op.operationId).sort(),
		);
		for (const cases of Object.values(CASES)) expect(cases.bad.length).toBeGreaterThan(0);
	});

	const all = Object.entries(CASES).flatMap(([operationId, { success, bad }]) => [
		[`${operationId} succeeds`, success] as const,
		...bad.map(
			(c, i) =>
				[
					`${operationId} rejects bad input #${i + 1} (${c.status}${c.field ? ` ${c.field}` : ''})`,
					c,
				] as const,
		),
	]);

	it.each(all)('%s', async (_name, c) => {
		await c.setup?.(sandbox);
		const result = await callOk(sandbox, c.method, c.path, {
			body: c.body,
			query: c.query,
			key: c.key,
		});
		expect(result.status).toBe(c.status);
		if (c.answer) expect(result.body).toMatchObject(c.answer);
		if (c.status >= 400)
			expect(result.body).toMatchObject({
				success: false,
				code: expect.any(String),
				message: expect.any(String),
			});
		if (c.field)
			expect(result.body.errors.map((e: { field: string }) => e.field)).toContain(c.field);
		const logged = sandbox.requests().at(-1);
		expect(logged).toMatchObject({ method: c.method, path: `/v1${c.path}`, status: c.status });
	});

	it('answers a read of each list with the seeded data', async () => {
		const templates = (await callOk(sandbox, 'GET', '/partner/templates')).body.data;
		expect(
			templates.map(
				(t: { name: string; language: string; status: string }) =>
					`${t.name}:${t.language}:${t.status}`,
			),
		).toEqual([
			'order_update:en:approved',
			'welcome_offer:ar:approved',
			'welcome_offer:en:approved',
			'otp_code:en:approved',
			'hello_world:en:approved',
			'black_friday:en:pending',
		]);
		expect(
			(await callOk(sandbox, 'GET', '/agent')).body.data.map((a: { email: string }) => a.email),
		).toEqual(['sara@example.com', 'omar@example.com']);
		expect(
			(await callOk(sandbox, 'GET', '/customfield/group')).body.data.map(
				(g: { type: string }) => g.type,
			),
		).toEqual(['text', 'number', 'date', 'dropdown']);
	});

	it('keeps what it is told: created contacts, agents, tags and webhooks are read back', async () => {
		await callOk(sandbox, 'POST', '/contact/create', {
			body: { mode: 'async', contacts: [{ ...CONTACT, tags: [2] }] },
		});
		await callOk(sandbox, 'POST', '/contact/create', {
			body: { mode: 'sync', contacts: [{ ...CONTACT, profile_name: 'Ahmed 2' }] },
		});
		expect(
			(await callOk(sandbox, 'GET', `/contact/${CONTACT.platform_id}`)).body.data,
		).toMatchObject({ profile_name: 'Ahmed 2', tags: [{ id: 2, tag: 'Lead' }] });
		await callOk(sandbox, 'POST', '/contact/assign', {
			body: { platform_id: CONTACT.platform_id, assigned_platform_id: 'sara@example.com' },
		});
		expect(
			(await callOk(sandbox, 'GET', `/contact/${CONTACT.platform_id}`)).body.data.assigned_agent,
		).toEqual({ id: 1, platform_id: 'sara@example.com' });
		await callOk(sandbox, 'PATCH', '/agent/1', { body: { display_name: 'Sara A.' } });
		expect((await callOk(sandbox, 'GET', '/agent/1')).body.data.display_name).toBe('Sara A.');
		const webhook = (await callOk(sandbox, 'POST', '/webhook', { body: WEBHOOK })).body.data;
		expect(webhook).not.toHaveProperty('securetoken');
		await callOk(sandbox, 'DELETE', `/webhook/${webhook.id}`);
		expect((await callOk(sandbox, 'GET', '/webhook')).body.data).toEqual([]);
	});

	it('answers 402 when the agent seats are used up', async () => {
		const small = await startSandbox({ agentSeats: 2 });
		try {
			const result = await callOk(small, 'POST', '/agent', { body: AGENT });
			expect(result.status).toBe(402);
			expect(result.body.code).toBe('payment_required');
			expect(
				(await callOk(small, 'POST', '/agent', { body: { ...AGENT, status: 'inactive' } })).status,
			).toBe(200);
		} finally {
			await small.stop();
		}
	});
});
