/**
 * The sandbox's scripted model under /__llm/v1, over real HTTP: OpenAI's chat-completions format
 * (tool calls with JSON arguments, then the final message), streaming and not, and its rule table.
 */
import { startSandbox } from '../../sandbox/index.cjs';
import type { Sandbox } from '../../sandbox/index.cjs';
import { FALLBACK_REPLY } from '../../sandbox/llm.cjs';
import type { ChatMessage } from '../../sandbox/llm.cjs';

let sandbox: Sandbox;
beforeAll(async () => (sandbox = await startSandbox({ statusDelayMs: -1 })));
afterAll(async () => await sandbox.stop());
beforeEach(() => sandbox.reset());

const SYSTEM: ChatMessage = {
	role: 'system',
	content:
		'You are a shop assistant.\nCustomer phone: 966507770001\nCustomer name: Layla\nVIP tag ID: 1\nHuman agent: omar@example.com',
};

const schema = (...keys: string[]) => ({
	type: 'object',
	properties: Object.fromEntries(keys.map((key) => [key, { type: 'string' }])),
});
const TOOLS = [
	{
		type: 'function',
		function: { name: 'Add_Tags', description: 'Add tags', parameters: schema('phone', 'tag_ids') },
	},
	{
		type: 'function',
		function: {
			name: 'Assign_to_Agent',
			description: 'Assign',
			parameters: schema('phone', 'agent_email'),
		},
	},
	{
		type: 'function',
		function: {
			name: 'Send_Template',
			description: 'Send a template',
			parameters: schema('phone', 'customer_name'),
		},
	},
];

async function complete(
	messages: ChatMessage[],
	extra: Record<string, unknown> = {},
	key: string | null = 'any-key',
) {
	const response = await fetch(`${sandbox.origin}/__llm/v1/chat/completions`, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			...(key ? { authorization: `Bearer ${key}` } : {}),
		},
		body: JSON.stringify({ model: 'azeer-scripted', messages, tools: TOOLS, ...extra }),
	});
	return {
		status: response.status,
		type: response.headers.get('content-type'),
		text: await response.text(),
	};
}

const user = (content: string): ChatMessage => ({ role: 'user', content });

/** The conversation after the customer's `text` made the model call `tool`, which answered `result`. */
function afterToolResult(text: string, tool: string, result: string): ChatMessage[] {
	const call = {
		id: 'call_1',
		type: 'function' as const,
		function: { name: tool, arguments: '{}' },
	};
	return [
		SYSTEM,
		user(text),
		{ role: 'assistant', content: null, tool_calls: [call] },
		{ role: 'tool', tool_call_id: 'call_1', content: result },
	];
}

describe('scripted model: OpenAI chat completions', () => {
	it('answers "add me to vip" with a call of the Add Tags tool and its JSON arguments', async () => {
		const { status, text } = await complete([SYSTEM, user('Hi, add me to VIP please')]);
		expect(status).toBe(200);
		const body = JSON.parse(text);
		expect(body.object).toBe('chat.completion');
		expect(body.choices[0].finish_reason).toBe('tool_calls');
		const [call] = body.choices[0].message.tool_calls;
		expect(call.type).toBe('function');
		expect(call.function.name).toBe('Add_Tags');
		expect(JSON.parse(call.function.arguments)).toEqual({ phone: '966507770001', tag_ids: [1] });
		expect(sandbox.llmRequests).toHaveLength(1);
	});

	it('gives the final message once the tool result came back', async () => {
		const { text } = await complete(
			afterToolResult(
				'add me to vip',
				'Add_Tags',
				'[{"platform_id":"966507770001","tag_ids":[1]}]',
			),
		);
		const body = JSON.parse(text);
		expect(body.choices[0]).toMatchObject({
			finish_reason: 'stop',
			message: { role: 'assistant', content: 'Done! You are on our VIP list now.' },
		});
	});

	it('relays a tool error to the customer instead of going on', async () => {
		const { text } = await complete(
			afterToolResult(
				'send me the offer twice',
				'Send_Template',
				'[{"error":"Refused: template welcome_offer was already sent"}]',
			),
		);
		expect(JSON.parse(text).choices[0].message.content).toBe(
			'Sorry, that did not work: Refused: template welcome_offer was already sent',
		);
	});

	it('calls the tool again for the misbehaving "twice" rule until it has two results', async () => {
		const { text } = await complete(
			afterToolResult('send me the offer twice', 'Send_Template', '[{"message_id":1}]'),
		);
		const [again] = JSON.parse(text).choices[0].message.tool_calls;
		expect(again.function.name).toBe('Send_Template');
		expect(JSON.parse(again.function.arguments)).toEqual({
			phone: '966507770001',
			customer_name: 'Layla',
		});
	});

	it('answers anything else with text', async () => {
		const { text } = await complete([SYSTEM, user('when do you open?')]);
		expect(JSON.parse(text).choices[0]).toMatchObject({
			finish_reason: 'stop',
			message: { content: FALLBACK_REPLY },
		});
	});

	it('streams the same answer as server-sent chunks when asked to', async () => {
		const { status, type, text } = await complete([SYSTEM, user('I want to talk to a human')], {
			stream: true,
			stream_options: { include_usage: true },
		});
		expect(status).toBe(200);
		expect(type).toMatch(/^text\/event-stream/);
		const events = text
			.split('\n\n')
			.filter(Boolean)
			.map((event) => event.replace(/^data: /, ''));
		expect(events[events.length - 1]).toBe('[DONE]');
		const chunks = events.slice(0, -1).map((event) => JSON.parse(event));
		expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
		const call = chunks[0].choices[0].delta.tool_calls[0];
		expect(call).toMatchObject({
			index: 0,
			type: 'function',
			function: { name: 'Assign_to_Agent' },
		});
		expect(JSON.parse(call.function.arguments)).toEqual({
			phone: '966507770001',
			agent_email: 'omar@example.com',
		});
		expect(chunks[1].choices[0].finish_reason).toBe('tool_calls');
		expect(chunks[2]).toMatchObject({ choices: [], usage: { total_tokens: 0 } });
	});

	it('refuses a request without an API key, as OpenAI does', async () => {
		const { status, text } = await complete([SYSTEM, user('hi')], {}, null);
		expect(status).toBe(401);
		expect(JSON.parse(text).error.message).toMatch(/Missing API key/);
		expect(sandbox.llmRequests).toHaveLength(0);
	});

	it("answers the Responses API (the OpenAI Chat Model's default) with the same rules: a function call, then the message", async () => {
		const responses = async (input: unknown[]) => {
			const response = await fetch(`${sandbox.origin}/__llm/v1/responses`, {
				method: 'POST',
				headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
				body: JSON.stringify({
					model: 'azeer-scripted',
					input,
					tools: TOOLS.map(({ function: fn }) => ({ type: 'function', ...fn, strict: false })),
				}),
			});
			expect(response.status).toBe(200);
			return (await response.json()) as { object: string; output: Array<Record<string, unknown>> };
		};
		const system = { type: 'message', role: 'system', content: SYSTEM.content };
		const question = {
			type: 'message',
			role: 'user',
			content: [{ type: 'input_text', text: 'please add me to vip' }],
		};
		const first = await responses([system, question]);
		expect(first.object).toBe('response');
		expect(first.output).toEqual([
			expect.objectContaining({ type: 'function_call', name: 'Add_Tags', status: 'completed' }),
		]);
		const [call] = first.output;
		expect(JSON.parse(String(call.arguments))).toEqual({ phone: '966507770001', tag_ids: [1] });
		const second = await responses([
			system,
			question,
			call,
			{ type: 'function_call_output', call_id: call.call_id, output: '[{"tag_ids":[1]}]' },
		]);
		expect(second.output).toEqual([
			expect.objectContaining({
				type: 'message',
				role: 'assistant',
				content: [
					{ type: 'output_text', text: 'Done! You are on our VIP list now.', annotations: [] },
				],
			}),
		]);
		expect(
			sandbox.llmRequests.map((request) => request.messages.map((message) => message.role)),
		).toEqual([
			['system', 'user'],
			['system', 'user', 'assistant', 'tool'],
		]);
	});
});
