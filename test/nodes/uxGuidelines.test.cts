/**
 * n8n's UX guidelines for community nodes, checked by machine on every node and credential that
 * package.json declares (docs/ux-guidelines.md lists every guideline and where we meet it). Delete
 * and Simplify are checked on what the operations really output, run by the engine against the
 * sandbox.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type {
	ICredentialType,
	IDataObject,
	INodeParameters,
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
	INodeType,
} from 'n8n-workflow';

import { nodeOperations } from '../../scripts/lib/operations.cjs';
import type { AzeerTestEnv } from './Azeer/fixtures.cjs';
import { byId, MESSAGE_PHONE, openSession, SEED, useMessageSandbox } from './Azeer/fixtures.cjs';

const root = path.join(__dirname, '../..');
const n8nBlock = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).n8n as {
	nodes: string[];
	credentials: string[];
};

/** `dist/nodes/Azeer/Azeer.node.js` → the class exported by `nodes/Azeer/Azeer.node.ts`. */
function declared<T>(distPath: string, suffix: string): { file: string; instance: T } {
	const file = distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts');
	const className = path.basename(file, `${suffix}.ts`);
	const exported = require(path.join(root, file))[className] as new () => T;
	return { file, instance: new exported() };
}
const nodes = n8nBlock.nodes.map((entry) => declared<INodeType>(entry, '.node'));
const credentials = n8nBlock.credentials.map((entry) =>
	declared<ICredentialType>(entry, '.credentials'),
);

/** What n8n accepts for an icon that follows the light or dark theme. */
interface ThemedIcon {
	light: string;
	dark: string;
}

interface Text {
	where: string;
	text: string;
}

/** Every parameter, with the ones inside collections and fixed collections. */
function allParameters(
	properties: INodeProperties[],
	trail: string,
): Array<Text & { property: INodeProperties }> {
	return properties.flatMap((property) => {
		const where = `${trail} › ${property.displayName}`;
		const own = [{ where, text: property.displayName, property }];
		if (property.type === 'collection')
			return [...own, ...allParameters((property.options ?? []) as INodeProperties[], where)];
		if (property.type === 'fixedCollection')
			return [
				...own,
				...((property.options ?? []) as INodePropertyCollection[]).flatMap((group) =>
					allParameters(group.values, `${where} › ${group.displayName}`),
				),
			];
		return own;
	});
}

const dropdownOptions = (property: INodeProperties) =>
	property.type === 'options' || property.type === 'multiOptions'
		? ((property.options ?? []) as INodePropertyOptions[])
		: [];

const SMALL_WORDS = new Set(
	'a an and as at by for from in into of on or per the to via with'.split(' '),
);

/** Title Case: every word but the small ones starts with a capital (or is not a word). */
function titleCaseBreach(text: string): string | undefined {
	const words = text.split(/\s+/);
	const lower = words.find(
		(word, index) => /^[a-z]/.test(word) && (index === 0 || !SMALL_WORDS.has(word)),
	);
	return lower && `"${lower}" is lower case`;
}

/**
 * Sentence case: a capital first letter, and no run of capitalised ordinary words after it.
 * Proper nouns (and quoted names of fields and options) may be capitalised.
 */
const PROPER_NOUNS = new Set(
	'Azeer Mottasl WhatsApp n8n Send Wait Free Text Answer Accept Simplify Base URL API ID IDs JSON E.164 Arabic English AI Agent HTTP Retry-After Get Many Create Message Contact Webhook Template Trigger Meta Facebook Instagram Messenger Google'.split(
		' ',
	),
);
function sentenceCaseBreach(text: string): string | undefined {
	if (/^[a-z]/.test(text) && !/^(e\.g\.|n8n)/.test(text)) return 'starts in lower case';
	const capitalised = text
		// Quoted names of fields and options, and examples after "e.g.", keep their own case.
		.replace(/(['"`“‘]).*?(['"`”’])/g, '')
		.replace(/e\.g\.[^.;)]*/g, '')
		.split(/[.:!?]\s+/)
		.flatMap((sentence) => sentence.split(/\s+/).slice(1))
		.filter((word) => /^[A-Z][a-z]/.test(word) && !PROPER_NOUNS.has(word.replace(/[^\w.-]/g, '')));
	return capitalised.length >= 2 ? `Title Case words ${capitalised.join(', ')}` : undefined;
}

const breaches = (texts: Text[], check: (text: string) => string | undefined) =>
	texts.flatMap(({ where, text }) => {
		const breach = check(text);
		return breach ? [`${where}: "${text}" (${breach})`] : [];
	});

describe.each(nodes.map(({ file, instance }) => [file, instance] as const))(
	'UX guidelines: %s',
	(_file, node) => {
		const { description } = node;
		const all = allParameters(description.properties, description.displayName);
		// A notice's display name is a sentence shown as a hint, not a label.
		const parameters = all.filter(({ property }) => property.type !== 'notice');
		const notices = all.filter(({ property }) => property.type === 'notice');

		it('uses Title Case for the node name, parameter labels and dropdown titles', () => {
			const titles: Text[] = [
				{ where: 'node', text: description.displayName },
				{ where: 'node defaults', text: String(description.defaults.name) },
				...parameters,
				...parameters.flatMap(({ where, property }) =>
					dropdownOptions(property).map((option) => ({ where, text: option.name })),
				),
			];
			expect(breaches(titles, titleCaseBreach)).toEqual([]);
		});

		it('uses sentence case for descriptions, hints, actions and dropdown descriptions', () => {
			const sentences: Text[] = [
				{ where: 'node', text: description.description },
				...notices.map(({ text }) => ({ where: 'notice', text })),
				...parameters.flatMap(({ where, property }) => [
					...(property.description ? [{ where, text: property.description }] : []),
					...(property.hint ? [{ where: `${where} (hint)`, text: property.hint }] : []),
					...dropdownOptions(property).flatMap((option) => [
						...(option.description
							? [{ where: `${where} › ${option.name}`, text: option.description }]
							: []),
						...(option.action
							? [{ where: `${where} › ${option.name} (action)`, text: option.action }]
							: []),
					]),
				]),
			];
			expect(breaches(sentences, sentenceCaseBreach)).toEqual([]);
		});

		it('starts example placeholders with "e.g."', () => {
			// A collection's placeholder labels its add button; n8n's own lint asks email fields for
			// the placeholder name@email.com.
			const examples = parameters.filter(
				({ property }) =>
					property.placeholder &&
					!['collection', 'fixedCollection'].includes(property.type) &&
					property.placeholder !== 'name@email.com',
			);
			expect(
				examples
					.filter(({ property }) => !String(property.placeholder).startsWith('e.g. '))
					.map(({ where, property }) => `${where}: ${String(property.placeholder)}`),
			).toEqual([]);
		});

		it('makes secret parameters password fields', () => {
			const secrets = parameters.filter(({ property }) =>
				/secret|token|password|api ?key/i.test(`${property.name} ${property.displayName}`),
			);
			expect(
				secrets
					.filter(({ property }) => property.typeOptions?.password !== true)
					.map(({ where }) => where),
			).toEqual([]);
		});

		it('defaults every resource locator to From list when it has a list', () => {
			const locators = parameters.filter(({ property }) => property.type === 'resourceLocator');
			expect(
				locators
					.filter(({ property }) => property.modes?.some((mode) => mode.name === 'list'))
					.filter(({ property }) => (property.default as { mode?: string }).mode !== 'list')
					.map(({ where }) => where),
			).toEqual([]);
		});

		it('has a light and a dark icon, both files present and different', () => {
			const icon = description.icon as ThemedIcon;
			expect(icon).toEqual({ light: expect.any(String), dark: expect.any(String) });
			expect(icon.light).not.toEqual(icon.dark);
			const folder = path.join(root, path.dirname(_file));
			for (const file of [icon.light, icon.dark])
				expect(existsSync(path.join(folder, file.replace(/^file:/, '')))).toBe(true);
		});
	},
);

describe.each(credentials.map(({ file, instance }) => [file, instance] as const))(
	'UX guidelines: %s',
	(file, credential) => {
		it('makes the API key and every other secret a password field', () => {
			const secrets = credential.properties.filter((property) =>
				/secret|token|password|key/i.test(`${property.name} ${property.displayName}`),
			);
			expect(secrets.length).toBeGreaterThan(0);
			expect(
				secrets.filter((property) => property.typeOptions?.password !== true).map((p) => p.name),
			).toEqual([]);
		});

		it('has a light and a dark icon, both files present and different', () => {
			const icon = credential.icon as ThemedIcon;
			expect(icon).toEqual({ light: expect.any(String), dark: expect.any(String) });
			expect(icon.light).not.toEqual(icon.dark);
			for (const iconFile of [icon.light, icon.dark])
				expect(
					existsSync(path.join(root, path.dirname(file), iconFile.replace(/^file:/, ''))),
				).toBe(true);
		});
	},
);

/** How to run each operation of the Azeer node on the seeded sandbox (Delete, Get, Get Many). */
const RUNS: Record<string, (env: AzeerTestEnv) => Promise<INodeParameters>> = {
	'message.delete': async (env) => ({ messageId: String(await sentMessageId(env)) }),
	'message.deleteMany': async (env) => ({
		messageIds: `${await sentMessageId(env)}, ${await sentMessageId(env)}`,
	}),
	'webhook.delete': async (env) => ({ webhookId: byId(await createdWebhookId(env)) }),
	'webhook.get': async (env) => ({ webhookId: byId(await createdWebhookId(env)) }),
	'webhook.getAll': async (env) => (await createdWebhookId(env), {}),
	'template.get': async () => ({
		template: { __rl: true, mode: 'list', value: 'welcome_offer|ar' },
	}),
	'template.getAll': async () => ({}),
	'contact.get': async () => ({ phone: SEED.contactPhone }),
	'agent.get': async () => ({ agentId: byId(SEED.agent.id) }),
	'agent.getAll': async () => ({}),
	'tag.getAll': async () => ({}),
	'customField.getAll': async () => ({}),
};

async function sentMessageId(env: AzeerTestEnv) {
	openSession(env, MESSAGE_PHONE);
	const sent = await env.run({
		resource: 'message',
		operation: 'sendText',
		to: MESSAGE_PHONE,
		text: 'to be deleted',
	});
	return sent.items[0].json.message_id as number;
}

async function createdWebhookId(env: AzeerTestEnv) {
	const created = await env.run({
		resource: 'webhook',
		operation: 'create',
		name: 'UX check',
		url: 'http://127.0.0.1:9/hook',
		event: 'incoming_msg',
		securetoken: 'token-1234567890',
	});
	return created.items[0].json.id as number;
}

const operations = nodeOperations().map((operation) => ({
	...operation,
	key: `${operation.resource}.${String(operation.option.value)}`,
}));
const deletes = operations.filter(({ option }) => /^delete/i.test(String(option.value)));
const reads = operations.filter(({ option }) => /^get/i.test(String(option.value)));

describe('UX guidelines: what the Azeer node outputs', () => {
	const { env } = useMessageSandbox();
	const azeerProperties = nodes.find(({ instance }) => instance.description.name === 'azeer')!
		.instance.description.properties;
	const hasSimplify = (resource: string, operation: string) =>
		azeerProperties.some(
			(property) =>
				property.name === 'simplify' &&
				(property.displayOptions?.show?.resource as string[] | undefined)?.includes(resource) &&
				(property.displayOptions?.show?.operation as string[] | undefined)?.includes(operation),
		);
	const run = async (resource: string, operation: string, extra: IDataObject = {}) => {
		const parameters = await RUNS[`${resource}.${operation}`](env);
		env.sandbox.clearRequests();
		const result = await env.run({ resource, operation, ...parameters, ...extra });
		expect(result.error).toBeUndefined();
		return result.items.map((item) => item.json);
	};

	it('names the resource in every action', () => {
		expect(
			operations
				.filter(({ resourceName, option }) => {
					const resource = resourceName.toLowerCase();
					return !String(option.action).toLowerCase().includes(resource);
				})
				.map(({ key, option }) => `${key}: ${String(option.action)}`),
		).toEqual([]);
	});

	it('knows how to run every Delete, Get and Get Many operation', () => {
		expect([...deletes, ...reads].map(({ key }) => key).filter((key) => !RUNS[key])).toEqual([]);
		expect(deletes.length).toBeGreaterThan(0);
	});

	it.each(deletes.map(({ key, resource, option }) => [key, resource, String(option.value)]))(
		'%s outputs { "deleted": true } for each item',
		async (_key, resource, operation) => {
			const output = await run(resource, operation);
			expect(output).toHaveLength(1);
			expect(output[0].deleted).toBe(true);
			expect(env.requests().map((request) => request.method)).toEqual(['DELETE']);
		},
	);

	it.each(reads.map(({ key, resource, option }) => [key, resource, String(option.value)]))(
		'%s has Simplify if its raw records have more than 10 fields',
		async (_key, resource, operation) => {
			const simplify = hasSimplify(resource, operation);
			const raw = await run(resource, operation, simplify ? { simplify: false } : {});
			expect(raw.length).toBeGreaterThan(0);
			const widest = Math.max(...raw.map((record) => Object.keys(record).length));
			expect({ widest, simplify }).toEqual({ widest, simplify: widest > 10 ? true : simplify });
			if (simplify) {
				const simplified = await run(resource, operation, { simplify: true });
				expect(
					Math.max(...simplified.map((record) => Object.keys(record).length)),
				).toBeLessThanOrEqual(10);
			}
		},
	);
});
