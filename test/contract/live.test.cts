/**
 * The contract check. By default it runs against a freshly started sandbox; with AZEER_API_KEY
 * (and optionally AZEER_BASE_URL) it runs against that live Azeer account instead. Live mode only
 * reads, unless AZEER_ALLOW_WRITES=1, and then it only creates and deletes one webhook.
 * Optional AZEER_CONTACT=<phone> lets live mode read one contact.
 *
 *   npm run contract:check                                   # sandbox
 *   AZEER_API_KEY=eyJ... npm run contract:check              # live, read-only
 *
 * Report: printed and written to .artifacts/contract-check.md, per operation documented/inferred
 * and confirmed/failed/skipped, so we learn which guesses hold.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { startSandbox } from '../../sandbox/index.cjs';
import type { Sandbox } from '../../sandbox/index.cjs';
import { loadContract } from '../../sandbox/contract.cjs';

const contract = loadContract();
const LIVE_KEY = process.env.AZEER_API_KEY;
const LIVE = Boolean(LIVE_KEY);
const ALLOW_WRITES = !LIVE || process.env.AZEER_ALLOW_WRITES === '1';
const REPORT_DIR = join(__dirname, '../../.artifacts');

type Outcome = 'confirmed' | 'failed' | 'skipped';

interface Row {
	check: string;
	operationId: string;
	documented: boolean;
	outcome: Outcome;
	note: string;
}

interface Target {
	baseUrl: string;
	key: string;
}

interface Answer {
	status: number;
	body: any;
}

async function request(
	target: Target,
	method: string,
	path: string,
	body?: unknown,
	key = target.key,
): Promise<Answer> {
	const response = await fetch(target.baseUrl + path, {
		method,
		headers: {
			authorization: `Bearer ${key}`,
			accept: 'application/json',
			...(body === undefined ? {} : { 'content-type': 'application/json' }),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
		signal: AbortSignal.timeout(20_000),
	});
	const text = await response.text();
	let parsed: unknown = text;
	try {
		parsed = text ? JSON.parse(text) : undefined;
	} catch {
		// kept as text; the schema check will report it
	}
	return { status: response.status, body: parsed };
}

interface Probe {
	check: string;
	operationId: string;
	write?: boolean;
	/** Returns the path and body to send, or a reason to skip. */
	prepare: (ctx: Record<string, any>) => { path: string; body?: unknown; key?: string } | string;
	expectStatus?: number;
	after?: (answer: Answer, ctx: Record<string, any>) => void;
}

const WEBHOOK_BODY = {
	name: 'n8n-nodes-azeer contract check',
	description: 'created and deleted by the contract check',
	url: 'https://example.com/n8n-nodes-azeer-contract-check',
	event: 'billing_alert',
	securetoken: 'contract-check-token',
	policy: 'none',
	enabled: false,
};

const PROBES: Probe[] = [
	{
		check: 'list templates',
		operationId: 'listTemplates',
		prepare: () => ({ path: '/partner/templates' }),
		after: (a, ctx) =>
			(ctx.template = a.body?.data?.find?.((t: { status: string }) => t.status === 'approved')),
	},
	{
		check: 'list agents',
		operationId: 'listAgents',
		prepare: () => ({ path: '/agent' }),
		after: (a, ctx) => (ctx.agentId = a.body?.data?.[0]?.id),
	},
	{
		check: 'get agent',
		operationId: 'getAgent',
		prepare: (ctx) => (ctx.agentId ? { path: `/agent/${ctx.agentId}` } : 'no agent to read'),
	},
	{ check: 'list tags', operationId: 'listTags', prepare: () => ({ path: '/tags' }) },
	{
		check: 'list custom fields',
		operationId: 'listCustomFields',
		prepare: () => ({ path: '/customfield/group' }),
	},
	{ check: 'list webhooks', operationId: 'listWebhooks', prepare: () => ({ path: '/webhook' }) },
	{
		check: 'get contact',
		operationId: 'getContact',
		prepare: (ctx) =>
			ctx.contact
				? { path: `/contact/${ctx.contact}` }
				: 'set AZEER_CONTACT=<phone> to read one contact',
	},
	{
		check: 'create webhook',
		operationId: 'createWebhook',
		write: true,
		prepare: () => ({ path: '/webhook', body: WEBHOOK_BODY }),
		after: (a, ctx) => (ctx.webhookId = a.body?.data?.id),
	},
	{
		check: 'get webhook',
		operationId: 'getWebhook',
		prepare: (ctx) =>
			ctx.webhookId
				? { path: `/webhook/${ctx.webhookId}` }
				: 'no webhook id (read-only run or create failed)',
	},
	{
		check: 'delete webhook',
		operationId: 'deleteWebhook',
		write: true,
		prepare: (ctx) =>
			ctx.webhookId ? { path: `/webhook/${ctx.webhookId}` } : 'no webhook id to delete',
	},
	{
		check: 'error body of a bad key (401)',
		operationId: 'listTags',
		expectStatus: 401,
		prepare: () => ({ path: '/tags', key: 'n8n-nodes-azeer-contract-check-invalid-key' }),
	},
];

/** Operations that change a live account in ways we will not undo there: exercised on the sandbox only. */
const SANDBOX_ONLY: Probe[] = [
	{
		check: 'send template',
		operationId: 'sendMessage',
		write: true,
		prepare: () => ({
			path: '/message/send?create=true',
			body: {
				to: '966511111111',
				type: 'template',
				template: { template_id: 'hello_world', language: 'en' },
			},
		}),
		after: (a, ctx) => (ctx.messageId = a.body?.data?.message_id),
	},
	{
		check: 'delete message',
		operationId: 'deleteMessage',
		write: true,
		prepare: (ctx) => ({ path: `/message/${ctx.messageId}` }),
	},
	{
		check: 'delete messages',
		operationId: 'deleteMessages',
		write: true,
		prepare: () => ({ path: '/message/bulk', body: { message_ids: [1] } }),
	},
	{
		check: 'create agent',
		operationId: 'createAgent',
		write: true,
		prepare: () => ({
			path: '/agent',
			body: {
				role: 'agent',
				email: 'check@example.com',
				name: 'Check',
				display_name: 'Check',
				status: 'inactive',
			},
		}),
	},
	{
		check: 'update agent',
		operationId: 'updateAgent',
		write: true,
		prepare: (ctx) => ({ path: `/agent/${ctx.agentId}`, body: { display_name: 'Checked' } }),
	},
	{
		check: 'create contacts',
		operationId: 'createContacts',
		write: true,
		prepare: () => ({
			path: '/contact/create',
			body: {
				mode: 'sync',
				contacts: [
					{
						platform_id: '966500000999',
						platform: 'whatsapp',
						profile_name: 'C',
						profile_display_name: 'C',
						country_code: 'SA',
					},
				],
			},
		}),
	},
	{
		check: 'create bulk contacts',
		operationId: 'createBulkContacts',
		write: true,
		prepare: () => ({
			path: '/contact/bulk',
			body: {
				contacts: [
					{
						platform_id: '966500000998',
						platform: 'whatsapp',
						profile_name: 'B',
						profile_display_name: 'B',
						country_code: 'SA',
					},
				],
			},
		}),
	},
	{
		check: 'assign contact',
		operationId: 'assignContact',
		write: true,
		prepare: () => ({
			path: '/contact/assign',
			body: { platform_id: '966500000999', assigned_platform_id: 'sara@example.com' },
		}),
	},
	{
		check: 'add contact tags',
		operationId: 'addContactTags',
		write: true,
		prepare: () => ({ path: '/contact/tags', body: { platform_id: '966500000999', tag_ids: [1] } }),
	},
	{
		check: 'create tag',
		operationId: 'createTag',
		write: true,
		prepare: () => ({ path: '/tags', body: { tag: 'Contract check', colour: '#000000' } }),
	},
	{
		check: 'create user session',
		operationId: 'createUserSession',
		write: true,
		prepare: () => ({
			path: '/app/user.new.session?host_id=xyz',
			body: {
				business_id: '550e8400-e29b-41d4-a716-446655440000',
				platform_type: 'avocado',
				platform_id: '1',
				role: 'admin',
				profile_name: 'p',
				display_name: 'P',
				profile_image_url: 'https://example.com/p.jpg',
			},
		}),
	},
];

async function runCheck(target: Target, probes: Probe[], ctx: Record<string, any>): Promise<Row[]> {
	const rows: Row[] = [];
	for (const probe of probes) {
		const operation = contract.operation(probe.operationId);
		const row: Row = {
			check: probe.check,
			operationId: probe.operationId,
			documented: !operation.inferred,
			outcome: 'skipped',
			note: '',
		};
		rows.push(row);
		if (probe.write && !ALLOW_WRITES) {
			row.note = 'write: set AZEER_ALLOW_WRITES=1';
			continue;
		}
		const prepared = probe.prepare(ctx);
		if (typeof prepared === 'string') {
			row.note = prepared;
			continue;
		}
		try {
			const answer = await request(
				target,
				operation.method,
				prepared.path,
				prepared.body,
				prepared.key,
			);
			const wanted = probe.expectStatus;
			const statusOk = wanted
				? answer.status === wanted
				: answer.status >= 200 && answer.status < 300;
			const problems = contract.validateResponse(operation, answer.status, answer.body);
			row.outcome = statusOk && problems.length === 0 ? 'confirmed' : 'failed';
			row.note = `${operation.method} ${prepared.path.split('?')[0]} → ${answer.status}${problems.length ? `; ${problems.slice(0, 3).join('; ')}` : ''}`;
			probe.after?.(answer, ctx);
		} catch (error) {
			row.outcome = 'failed';
			row.note = (error as Error).message;
		}
	}
	return rows;
}

function report(rows: Row[], where: string): string {
	const lines = [
		`# Azeer contract check — ${where}`,
		'',
		'| Check | Operation | Contract | Result | Note |',
		'|---|---|---|---|---|',
		...rows.map(
			(r) =>
				`| ${r.check} | ${r.operationId} | ${r.documented ? 'documented' : 'inferred'} | ${r.outcome} | ${r.note.replace(/\|/g, '\\|')} |`,
		),
		'',
		`confirmed ${rows.filter((r) => r.outcome === 'confirmed').length}, failed ${rows.filter((r) => r.outcome === 'failed').length}, skipped ${rows.filter((r) => r.outcome === 'skipped').length}`,
		'',
	];
	return lines.join('\n');
}

describe(`contract check against ${LIVE ? 'the live Azeer API' : 'a fresh sandbox'}`, () => {
	let sandbox: Sandbox | undefined;
	let rows: Row[] = [];

	beforeAll(async () => {
		let target: Target;
		const ctx: Record<string, any> = { contact: process.env.AZEER_CONTACT };
		if (LIVE) {
			target = {
				baseUrl: (process.env.AZEER_BASE_URL ?? 'https://api.mottasl.ai/v1').replace(/\/+$/, ''),
				key: LIVE_KEY!,
			};
		} else {
			sandbox = await startSandbox({ statusDelayMs: -1 });
			target = { baseUrl: sandbox.baseUrl, key: sandbox.apiKey };
			ctx.contact = '966511111111';
		}
		rows = await runCheck(target, [...PROBES, ...(LIVE ? [] : SANDBOX_ONLY)], ctx);
		const text = report(rows, LIVE ? target.baseUrl : 'local sandbox');
		mkdirSync(REPORT_DIR, { recursive: true });
		writeFileSync(join(REPORT_DIR, 'contract-check.md'), text);
		if (LIVE || process.env.AZEER_CONTRACT_REPORT === '1') process.stdout.write(`\n${text}\n`);
	}, 120_000);

	afterAll(async () => await sandbox?.stop());

	if (LIVE) {
		it('confirms every documented operation it could run (inferred ones are reported, not asserted)', () => {
			expect(rows.filter((r) => r.documented && r.outcome === 'failed')).toEqual([]);
		});
	} else {
		it('confirms every contract operation on the sandbox', () => {
			expect(rows.filter((r) => r.outcome !== 'confirmed')).toEqual([]);
			const checked = new Set(rows.map((r) => r.operationId));
			expect(
				contract.operations
					.filter((op) => !checked.has(op.operationId))
					.map((op) => op.operationId),
			).toEqual([]);
		});
	}
});
