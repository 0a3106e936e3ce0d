/**
 * The Azeer node as an AI Agent's tool ("Azeer Tool"): what the model reads about each operation
 * (computed with n8n-workflow's own getToolDescriptionForNode, as n8n does when it hands the tool to
 * the agent), that every parameter is described, and the tool's guards, run through n8n's engine.
 */
import { NodeHelpers } from 'n8n-workflow';
import type {
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeTypeDescription,
} from 'n8n-workflow';

import { Azeer } from '../../../../nodes/Azeer/Azeer.node';
import { TOOL_DESCRIPTIONS } from '../../../../nodes/Azeer/shared/agentTool';
import { nodeOperations } from '../../../../scripts/lib/operations.cjs';
import { runNode } from '../../../harness/engine.cjs';
// n8n-core builds the tool's argument schema from the node's $fromAI() calls with this function.
const { getSchema } =
	require('n8n-core/dist/execution-engine/node-execution-context/utils/create-node-as-tool') as {
		getSchema(node: INode): { shape: Record<string, unknown> };
	};
import { nodeTypes, openSession, useSandbox } from '../fixtures.cjs';

const TOOL_TYPE = 'n8n-nodes-azeer.azeerTool';

/** The tool variant n8n derives from the node (its name ends with "Tool"; the `@tool` display option keys on that). */
function toolVariant(): Azeer {
	const tool = new Azeer();
	tool.description = { ...tool.description, name: TOOL_TYPE, displayName: 'Azeer Tool' };
	return tool;
}

const plain = new Azeer().description;
const tool = toolVariant().description;
nodeTypes.register(TOOL_TYPE, toolVariant());

function nodeWith(description: INodeTypeDescription, parameters: INodeParameters): INode {
	const node: INode = {
		id: 'n',
		name: 'Azeer',
		type: description.name,
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
	node.parameters =
		NodeHelpers.getNodeParameters(
			description.properties,
			parameters,
			true,
			false,
			node,
			description,
		) ?? {};
	return node;
}

/** The parameters (and the options of collections) shown for the node's current values. */
function shownParameters(
	description: INodeTypeDescription,
	node: INode,
): Array<{ path: string; property: INodeProperties }> {
	const shown = (property: INodeProperties) =>
		NodeHelpers.displayParameter(node.parameters, property, node, description, node.parameters);
	return description.properties.filter(shown).flatMap((property) => [
		{ path: property.name, property },
		...(
			(property.options ?? []) as Array<INodeProperties & { values?: INodeProperties[] }>
		).flatMap((option) =>
			option.values
				? option.values.map((value) => ({
						path: `${property.name}.${option.name}.${value.name}`,
						property: value,
					}))
				: 'type' in option
					? [{ path: `${property.name}.${option.name}`, property: option }]
					: [],
		),
	]);
}

const operations = nodeOperations().map(({ resource, option }) => ({
	resource,
	operation: String(option.value),
	action: String(option.action),
}));

describe('tool-facing description of every operation (what the model reads)', () => {
	const listing = operations.map(({ resource, operation, action }) => {
		const node = nodeWith(tool, { resource, operation });
		return {
			resource,
			operation,
			action,
			node,
			description: NodeHelpers.getToolDescriptionForNode(node, toolVariant()),
		};
	});

	it.each(listing.map((row) => [`${row.resource}.${row.operation}`, row]))(
		'%s',
		(_name, { action, node, description }) => {
			expect(description.trim()).not.toBe('');
			// What n8n would show without ours: the action ("Add tags to contact in Azeer") or the node's description.
			expect(description).not.toBe(`${action} in Azeer`);
			expect(description).not.toBe(plain.description);
			expect(description.length).toBeGreaterThanOrEqual(120);
			expect(description).toMatch(/\bUse it\b/); // when to use it
			expect(description).toMatch(/\bValues: /); // the format of its values
			const asksForPhone = shownParameters(tool, node).some(({ property }) =>
				['to', 'phone'].includes(property.name),
			);
			if (asksForPhone)
				expect(description).toMatch(/with country code, digits only, e\.g\. 966501234567/);
		},
	);

	it('has one description per operation of the node, and none for operations that do not exist', () => {
		const described = Object.entries(TOOL_DESCRIPTIONS).flatMap(([resource, ops]) =>
			Object.keys(ops).map((op) => `${resource}.${op}`),
		);
		expect(described.sort()).toEqual(
			operations.map(({ resource, operation }) => `${resource}.${operation}`).sort(),
		);
	});

	it('gives every operation its own description', () => {
		expect(new Set(listing.map((row) => row.description)).size).toBe(listing.length);
	});
});

describe('parameter descriptions', () => {
	it.each(operations.map((op) => [`${op.resource}.${op.operation}`, op]))(
		'%s: every parameter it shows is described',
		(_name, { resource, operation }) => {
			const node = nodeWith(plain, { resource, operation });
			const undescribed = shownParameters(plain, node)
				.filter(
					({ property }) =>
						!['notice', 'hidden'].includes(property.type) &&
						!['resource', 'operation'].includes(property.name),
				)
				.filter(({ property }) => !property.description?.trim())
				.map(({ path }) => path);
			expect(undescribed).toEqual([]);
		},
	);
});

describe('the plain Azeer node', () => {
	it('shows none of the tool-only parameters', () => {
		for (const { resource, operation } of operations) {
			const names = shownParameters(plain, nodeWith(plain, { resource, operation })).map(
				({ path }) => path,
			);
			expect(names.filter((name) => name.startsWith('tool'))).toEqual([]);
		}
	});
});

describe("Azeer Tool guards (through n8n's engine)", () => {
	const env = useSandbox();
	const runTool = (
		parameters: INodeParameters,
		input: INodeExecutionData[] = [{ json: { contactPhone: '966511111111' } }],
		continueOnFail = false,
	) =>
		runNode({
			nodeTypes,
			type: TOOL_TYPE,
			parameters,
			input,
			continueOnFail,
			credentials: { azeerApi: { apiKey: env.sandbox.apiKey, baseUrl: env.sandbox.baseUrl } },
		});

	const addTags = (phone: string, tagIds: unknown) => ({
		resource: 'contact',
		operation: 'addTags',
		phone,
		tagIds: tagIds as string,
		toolOnlyPhone: '={{ $json.contactPhone }}',
	});

	it.each([
		['a list of numbers', [1, 2]],
		['one number', 2],
		['text with commas', '1, 2'],
	])('takes tag IDs as %s, the shapes a model sends', async (_shape, tagIds) => {
		const result = await runTool(addTags('+966 51 111 1111', tagIds));
		expect(result.error).toBeUndefined();
		expect(env.requests().map((request) => request.body)).toEqual([
			{
				platform_id: '966511111111',
				tag_ids: Array.isArray(tagIds) || typeof tagIds === 'string' ? [1, 2] : [2],
			},
		]);
	});

	it("refuses a phone number that is not the conversation's, before any request, with advice in the message", async () => {
		const result = await runTool(addTags('966500000999', [1]));
		expect(result.error?.message).toBe(
			'Refused: this tool may only contact 966511111111, the number of the current conversation, not "966500000999" [item 0]. ' +
				"Use the customer's own number (966511111111); to reach anyone else, ask a human agent.",
		);
		expect(env.requests()).toEqual([]);
	});

	it('guards Contact → Create, which runs item by item, the same way', async () => {
		const create = (phone: string) => ({
			resource: 'contact',
			operation: 'create',
			phone,
			contactName: 'Sara',
			countryCode: 'SA',
			toolOnlyPhone: '={{ $json.contactPhone }}',
		});
		const refused = await runTool(create('966500000999'));
		expect(refused.error?.message).toMatch(
			/^Refused: this tool may only contact 966511111111, the number of the current conversation, not "966500000999" \[item 0\]/,
		);
		expect(env.requests()).toEqual([]);
		const allowed = await runTool(create('+966 51 111 1111'));
		expect(allowed.error).toBeUndefined();
		expect(env.requests().map((request) => request.path)).toEqual(['/v1/contact/create']);
	});

	it("guards Contact → Get, a read: another contact's record is not the model's to read", async () => {
		const get = (phone: string) => ({
			resource: 'contact',
			operation: 'get',
			phone,
			toolOnlyPhone: '={{ $json.contactPhone }}',
		});
		const refused = await runTool(get('966500000999'));
		expect(refused.error?.message).toMatch(
			/^Refused: this tool may only contact 966511111111, the number of the current conversation, not "966500000999" \[item 0\]/,
		);
		expect(env.requests()).toEqual([]);
		const allowed = await runTool(get('+966 51 111 1111'));
		expect(allowed.error).toBeUndefined();
		expect(env.requests().map((request) => request.path)).toEqual(['/v1/contact/966511111111']);
	});

	it('refuses when "Only This Phone Number" is set but gives no number (fails closed)', async () => {
		const result = await runTool(addTags('966511111111', [1]), [
			{ json: { text: 'no contactPhone here' } },
		]);
		expect(result.error?.message).toMatch(
			/^Refused: the conversation's number is not known \("Only This Phone Number" gave ""\)/,
		);
		expect(env.requests()).toEqual([]);
	});

	it('allows any number when "Only This Phone Number" is empty', async () => {
		const result = await runTool({ ...addTags('966511111111', [1]), toolOnlyPhone: '' });
		expect(result.error).toBeUndefined();
		expect(env.requests()).toHaveLength(1);
	});

	const sendOffer = {
		resource: 'message',
		operation: 'sendTemplate',
		to: '={{ $json.to }}',
		template: { __rl: true, mode: 'name', value: 'hello_world|en' },
		templateVariables: { mappingMode: 'defineBelow', value: {}, matchingColumns: [], schema: [] },
		sendOptions: { createContact: true },
	};

	it('sends a template to a number once per run and refuses the repeat', async () => {
		const result = await runTool(
			sendOffer,
			[
				{ json: { to: '966520000001' } },
				{ json: { to: '966520000001' } },
				{ json: { to: '966520000002' } },
			],
			true,
		);
		const sends = env.requests().filter((request) => request.path === '/v1/message/send');
		expect(sends.map((request) => (request.body as { to: string }).to).sort()).toEqual([
			'966520000001',
			'966520000002',
		]);
		const refused = result.items.filter((item) => item.json.error);
		expect(refused).toHaveLength(1);
		expect(String(refused[0].json.error)).toMatch(
			/^Refused: template hello_world was already sent to 966520000001 in this agent run/,
		);
	});

	it('sends the template again when "Send Each Template Once per Run" is off', async () => {
		await runTool({ ...sendOffer, toolTemplateOnce: false }, [
			{ json: { to: '966520000003' } },
			{ json: { to: '966520000003' } },
		]);
		expect(env.requests().filter((request) => request.path === '/v1/message/send')).toHaveLength(2);
	});

	it("puts the API's advice into the error message, since the model reads only the message", async () => {
		const result = await runTool(addTags('966511111111', [99]));
		expect(result.error?.message).toMatch(/99/);
		expect(result.error?.message).toMatch(/Check the ID, or pick the record from the list\.$/);
	});
});

describe('Azeer Tool parameters a model fills through $fromAI (resource locators, resource mapper, fixed collections)', () => {
	const env = useSandbox();
	const fromAi = (key: string, type = 'string') =>
		`={{ $fromAI('${key}', 'the ${key.replace(/_/g, ' ')}', '${type}') }}`;

	/**
	 * Runs the tool with the model's arguments. Outside an agent, n8n's $fromAI reads them from the
	 * input item, which is where the engine also puts them (merged with the agent's input).
	 */
	async function callTool(parameters: INodeParameters, args: Record<string, unknown>) {
		const node: INode = {
			id: 't',
			name: 'Tool',
			type: TOOL_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters,
		};
		const schemaKeys = Object.keys(getSchema(node).shape).sort();
		const result = await runNode({
			nodeTypes,
			type: TOOL_TYPE,
			parameters,
			input: [{ json: args as never }],
			credentials: { azeerApi: { apiKey: env.sandbox.apiKey, baseUrl: env.sandbox.baseUrl } },
		});
		expect(result.error).toBeUndefined();
		return { schemaKeys, requests: env.requests() };
	}

	it('Send Template: the template (resource locator, by name) and its values (resource mapper)', async () => {
		const { schemaKeys, requests } = await callTool(
			{
				resource: 'message',
				operation: 'sendTemplate',
				to: fromAi('phone'),
				template: { __rl: true, mode: 'name', value: fromAi('template') },
				templateVariables: {
					mappingMode: 'defineBelow',
					value: {
						header_1: fromAi('header_1'),
						body_1: fromAi('body_1'),
						body_2: fromAi('body_2'),
						button_1: fromAi('button_1'),
					},
					matchingColumns: [],
					schema: [],
				},
				sendOptions: { createContact: true },
			},
			{
				phone: '966511111111',
				template: 'order_update|en',
				header_1: 'A-7',
				body_1: 'Sara',
				body_2: 'shipped',
				button_1: 'A-7',
			},
		);
		expect(schemaKeys).toEqual(['body_1', 'body_2', 'button_1', 'header_1', 'phone', 'template']);
		const send = requests.find((request) => request.path === '/v1/message/send');
		expect(send?.body).toEqual({
			to: '966511111111',
			recipient_type: 'individual',
			type: 'template',
			template: {
				template_id: 'order_update',
				language: 'en',
				argument: { HEADER: ['A-7'], BODY: ['Sara', 'shipped'], BUTTONS: ['A-7'] },
			},
		});
	});

	it('Assign to Agent: the agent (resource locator, by email)', async () => {
		const { schemaKeys, requests } = await callTool(
			{
				resource: 'contact',
				operation: 'assign',
				phone: fromAi('phone'),
				agentEmail: { __rl: true, mode: 'email', value: fromAi('agent_email') },
			},
			{ phone: '966511111111', agent_email: 'omar@example.com' },
		);
		expect(schemaKeys).toEqual(['agent_email', 'phone']);
		expect(requests.map((request) => request.body)).toEqual([
			{ platform_id: '966511111111', assigned_platform_id: 'omar@example.com' },
		]);
	});

	it('Send Interactive: button IDs and titles (fixed collection) and the header (collection)', async () => {
		openSession(env, '966511111111');
		const { schemaKeys, requests } = await callTool(
			{
				resource: 'message',
				operation: 'sendInteractive',
				to: fromAi('phone'),
				interactiveType: 'button',
				body: fromAi('question'),
				replyButtons: {
					button: [
						{ id: 'yes', title: fromAi('yes_title') },
						{ id: 'no', title: fromAi('no_title') },
					],
				},
				interactiveOptions: { header: fromAi('header') },
			},
			{
				phone: '966511111111',
				question: 'Confirm your order?',
				yes_title: 'Yes please',
				no_title: 'No thanks',
				header: 'Order A-7',
			},
		);
		expect(schemaKeys).toEqual(['header', 'no_title', 'phone', 'question', 'yes_title']);
		expect((requests[0].body as { interactive: unknown }).interactive).toEqual({
			type: 'button',
			header: { type: 'text', text: 'Order A-7' },
			body: { text: 'Confirm your order?' },
			action: {
				buttons: [
					{ type: 'reply', reply: { id: 'yes', title: 'Yes please' } },
					{ type: 'reply', reply: { id: 'no', title: 'No thanks' } },
				],
			},
		});
	});

	it('Add Tags: tag IDs (multi-options) as a JSON list', async () => {
		const { schemaKeys, requests } = await callTool(
			{
				resource: 'contact',
				operation: 'addTags',
				phone: fromAi('phone'),
				tagIds: fromAi('tag_ids', 'json'),
			},
			{ phone: '966511111111', tag_ids: [2] },
		);
		expect(schemaKeys).toEqual(['phone', 'tag_ids']);
		expect(requests.map((request) => request.body)).toEqual([
			{ platform_id: '966511111111', tag_ids: [2] },
		]);
	});
});
