/**
 * Every documented (and WhatsApp-inherited) limit is enforced: the value at the limit passes,
 * one past it answers 400 naming the field.
 */
import type { Sandbox } from '../../sandbox/index.cjs';
import { callOk, useSandbox } from './helpers.cjs';

const PHONE = '966511111111';
const contact = (i: number) => ({
	platform_id: String(966500000100 + i),
	platform: 'whatsapp',
	profile_name: `C${i}`,
	profile_display_name: `C ${i}`,
	country_code: 'SA',
});
const contacts = (n: number) => Array.from({ length: n }, (_, i) => contact(i));
const button = (i: number, title = `Option ${i}`) => ({
	type: 'reply',
	reply: { id: `b${i}`, title },
});
const row = (i: number, extra: Record<string, unknown> = {}) => ({
	id: `r${i}`,
	title: `Row ${i}`,
	...extra,
});
const buttons = (action: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
	type: 'interactive',
	interactive: { type: 'button', body: { text: 'Pick one' }, action, ...extra },
});
const list = (sections: unknown[], extra: Record<string, unknown> = {}) => ({
	type: 'interactive',
	interactive: {
		type: 'list',
		body: { text: 'Pick one' },
		action: { button: 'Choose', sections },
		...extra,
	},
});

interface Limit {
	name: string;
	path: string;
	/** Body at the limit (accepted) and one past it (rejected). */
	ok: Record<string, unknown>;
	over: Record<string, unknown>;
	field: string;
	/** Status of the accepted call; default 200. */
	status?: number;
}

const LIMITS: Limit[] = [
	{
		name: 'image caption ≤ 1024',
		path: '/message/send',
		ok: { type: 'image', image: { link: 'https://x.example/a.jpg', caption: 'c'.repeat(1024) } },
		over: { type: 'image', image: { link: 'https://x.example/a.jpg', caption: 'c'.repeat(1025) } },
		field: 'image.caption',
	},
	{
		name: 'document caption ≤ 1024',
		path: '/message/send',
		ok: {
			type: 'document',
			document: { link: 'https://x.example/a.pdf', caption: 'c'.repeat(1024), filename: 'a.pdf' },
		},
		over: {
			type: 'document',
			document: { link: 'https://x.example/a.pdf', caption: 'c'.repeat(1025) },
		},
		field: 'document.caption',
	},
	{
		name: 'video caption ≤ 1024',
		path: '/message/send',
		ok: { type: 'video', video: { link: 'https://x.example/a.mp4', caption: 'c'.repeat(1024) } },
		over: { type: 'video', video: { link: 'https://x.example/a.mp4', caption: 'c'.repeat(1025) } },
		field: 'video.caption',
	},
	{
		name: 'audio has no caption',
		path: '/message/send',
		ok: { type: 'audio', audio: { link: 'https://x.example/a.ogg' } },
		over: { type: 'audio', audio: { link: 'https://x.example/a.ogg', caption: 'no' } },
		field: 'audio.caption',
	},
	{
		name: 'text body ≤ 4096',
		path: '/message/send',
		ok: { type: 'text', text: { body: 't'.repeat(4096) } },
		over: { type: 'text', text: { body: 't'.repeat(4097) } },
		field: 'text.body',
	},
	{
		name: 'latitude within ±90',
		path: '/message/send',
		ok: { type: 'location', location: { latitude: 90, longitude: -180 } },
		over: { type: 'location', location: { latitude: 90.5, longitude: 0 } },
		field: 'location.latitude',
	},
	{
		name: 'media link is an http(s) URL',
		path: '/message/send',
		ok: { type: 'image', image: { link: 'http://x.example/a.png' } },
		over: { type: 'image', image: { link: 'file:///etc/passwd' } },
		field: 'image.link',
	},
	{
		name: 'contacts need formatted_name',
		path: '/message/send',
		ok: {
			type: 'contacts',
			contacts: [{ name: { formatted_name: 'Ali' }, phones: [{ phone: '+966 5' }] }],
		},
		over: { type: 'contacts', contacts: [{ name: { first_name: 'Ali' } }] },
		field: 'contacts[0].name.formatted_name',
	},
	{
		name: 'up to 3 reply buttons',
		path: '/message/send',
		ok: buttons({ buttons: [button(1), button(2), button(3)] }),
		over: buttons({ buttons: [button(1), button(2), button(3), button(4)] }),
		field: 'interactive.action.buttons',
	},
	{
		name: 'button title ≤ 20',
		path: '/message/send',
		ok: buttons({ buttons: [button(1, 'x'.repeat(20))] }),
		over: buttons({ buttons: [button(1, 'x'.repeat(21))] }),
		field: 'interactive.action.buttons[0].reply.title',
	},
	{
		name: 'button ids are unique',
		path: '/message/send',
		ok: buttons({ buttons: [button(1), button(2)] }),
		over: buttons({ buttons: [button(1), button(1, 'Other')] }),
		field: 'interactive.action.buttons',
	},
	{
		name: 'a button message needs buttons',
		path: '/message/send',
		ok: buttons({ buttons: [button(1)] }),
		over: buttons({ button: 'Choose' }),
		field: 'interactive.action.buttons',
	},
	{
		name: 'interactive body ≤ 1024',
		path: '/message/send',
		ok: buttons({ buttons: [button(1)] }, { body: { text: 'b'.repeat(1024) } }),
		over: buttons({ buttons: [button(1)] }, { body: { text: 'b'.repeat(1025) } }),
		field: 'interactive.body.text',
	},
	{
		name: 'interactive footer ≤ 60',
		path: '/message/send',
		ok: buttons({ buttons: [button(1)] }, { footer: { text: 'f'.repeat(60) } }),
		over: buttons({ buttons: [button(1)] }, { footer: { text: 'f'.repeat(61) } }),
		field: 'interactive.footer.text',
	},
	{
		name: 'interactive header text ≤ 60',
		path: '/message/send',
		ok: buttons({ buttons: [button(1)] }, { header: { type: 'text', text: 'h'.repeat(60) } }),
		over: buttons({ buttons: [button(1)] }, { header: { type: 'text', text: 'h'.repeat(61) } }),
		field: 'interactive.header.text',
	},
	{
		name: 'list button label ≤ 20',
		path: '/message/send',
		ok: list([{ rows: [row(1)] }]),
		over: {
			type: 'interactive',
			interactive: {
				type: 'list',
				body: { text: 'Pick' },
				action: { button: 'x'.repeat(21), sections: [{ rows: [row(1)] }] },
			},
		},
		field: 'interactive.action.button',
	},
	{
		name: 'at most 10 rows in total',
		path: '/message/send',
		ok: list([
			{ title: 'A', rows: [1, 2, 3, 4, 5].map((i) => row(i)) },
			{ title: 'B', rows: [6, 7, 8, 9, 10].map((i) => row(i)) },
		]),
		over: list([
			{ title: 'A', rows: [1, 2, 3, 4, 5, 6].map((i) => row(i)) },
			{ title: 'B', rows: [7, 8, 9, 10, 11].map((i) => row(i)) },
		]),
		field: 'interactive.action.sections',
	},
	{
		name: 'at most 10 sections',
		path: '/message/send',
		ok: list(Array.from({ length: 10 }, (_, i) => ({ title: `S${i}`, rows: [row(i)] }))),
		over: list(Array.from({ length: 11 }, (_, i) => ({ title: `S${i}`, rows: [row(i)] }))),
		field: 'interactive.action.sections',
	},
	{
		name: 'row title ≤ 24',
		path: '/message/send',
		ok: list([{ rows: [{ id: 'r', title: 't'.repeat(24) }] }]),
		over: list([{ rows: [{ id: 'r', title: 't'.repeat(25) }] }]),
		field: 'interactive.action.sections[0].rows[0].title',
	},
	{
		name: 'row description ≤ 72',
		path: '/message/send',
		ok: list([{ rows: [row(1, { description: 'd'.repeat(72) })] }]),
		over: list([{ rows: [row(1, { description: 'd'.repeat(73) })] }]),
		field: 'interactive.action.sections[0].rows[0].description',
	},
	{
		name: 'section title ≤ 24',
		path: '/message/send',
		ok: list([{ title: 's'.repeat(24), rows: [row(1)] }]),
		over: list([{ title: 's'.repeat(25), rows: [row(1)] }]),
		field: 'interactive.action.sections[0].title',
	},
	{
		name: 'sync create ≤ 15 contacts',
		path: '/contact/create',
		ok: { mode: 'sync', contacts: contacts(15) },
		over: { mode: 'sync', contacts: contacts(16) },
		field: 'contacts',
	},
	{
		name: 'async create ≤ 1000 contacts',
		path: '/contact/create',
		ok: { mode: 'async', contacts: contacts(1000) },
		over: { mode: 'async', contacts: contacts(1001) },
		field: 'contacts',
	},
	{
		name: 'bulk create ≤ 1000 contacts',
		path: '/contact/bulk',
		ok: { contacts: contacts(1000) },
		over: { contacts: contacts(1001) },
		field: 'contacts',
		status: 202,
	},
	{
		name: 'contact phone is digits with country code',
		path: '/contact/create',
		ok: { mode: 'sync', contacts: [{ ...contact(0), platform_id: '96650000' }] },
		over: { mode: 'sync', contacts: [{ ...contact(0), platform_id: '+966500000001' }] },
		field: 'contacts[0].platform_id',
	},
	{
		name: 'contact phone has at most 15 digits',
		path: '/contact/create',
		ok: { mode: 'sync', contacts: [{ ...contact(0), platform_id: '1'.repeat(15) }] },
		over: { mode: 'sync', contacts: [{ ...contact(0), platform_id: '1'.repeat(16) }] },
		field: 'contacts[0].platform_id',
	},
	{
		name: 'webhook event is one of the 11',
		path: '/webhook',
		ok: {
			name: 'w',
			description: '',
			url: 'http://127.0.0.1:9/h',
			event: 'for_rules',
			securetoken: 't',
			policy: 'none',
			enabled: false,
		},
		over: {
			name: 'w',
			description: '',
			url: 'http://127.0.0.1:9/h',
			event: ['incoming_msg', 'outgoing_msg'],
			securetoken: 't',
			policy: 'none',
			enabled: false,
		},
		field: 'event',
	},
	{
		name: 'webhook policy is retry or none',
		path: '/webhook',
		ok: {
			name: 'w',
			description: '',
			url: 'http://127.0.0.1:9/h',
			event: 'billing_alert',
			securetoken: 't',
			policy: 'retry',
			enabled: true,
		},
		over: {
			name: 'w',
			description: '',
			url: 'http://127.0.0.1:9/h',
			event: 'billing_alert',
			securetoken: 't',
			policy: 'always',
			enabled: true,
		},
		field: 'policy',
	},
];

describe('documented limits', () => {
	let sandbox: Sandbox;

	useSandbox({ statusDelayMs: -1 }, (s) => (sandbox = s));
	beforeEach(() => {
		sandbox.inbound({ from: PHONE, text: 'open the session' });
	});

	const withRecipient = (limit: Limit, body: Record<string, unknown>) =>
		limit.path === '/message/send' ? { to: PHONE, ...body } : body;

	it.each(LIMITS.map((l) => [l.name, l] as const))('%s', async (_name, limit) => {
		const accepted = await callOk(sandbox, 'POST', limit.path, {
			body: withRecipient(limit, limit.ok),
		});
		expect({ status: accepted.status, body: accepted.body }).toMatchObject({
			status: limit.status ?? 200,
		});
		const rejected = await callOk(sandbox, 'POST', limit.path, {
			body: withRecipient(limit, limit.over),
		});
		expect(rejected.status).toBe(400);
		expect(rejected.body.errors.map((e: { field: string }) => e.field)).toContain(limit.field);
	});

	it('rejects a recipient that is not digits-only with country code', async () => {
		for (const to of ['+966511111111', '0551111111'.slice(0, 7), '9665-1111111', '966 511111111']) {
			const result = await callOk(sandbox, 'POST', '/message/send', {
				body: { to, type: 'template', template: { template_id: 'hello_world', language: 'en' } },
			});
			expect({
				to,
				status: result.status,
				fields: result.body.errors?.map((e: { field: string }) => e.field),
			}).toEqual({ to, status: 400, fields: ['to'] });
		}
	});
});
