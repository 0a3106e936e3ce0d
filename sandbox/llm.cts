/**
 * A scripted, deterministic stand-in for an OpenAI-compatible chat model, served by the sandbox
 * under /__llm/v1 so that n8n's AI Agent can run offline. It is a test double for the LLM only:
 * n8n's AI Agent, its tool wrapping and the Azeer node stay the real ones.
 *
 * Endpoints: `POST /__llm/v1/chat/completions` (streaming and not; n8n's OpenAI Chat Model calls it
 * with "Use Responses API" off), `POST /__llm/v1/responses` (not streamed; the node's default),
 * `GET /__llm/v1/models`, and `GET|DELETE /__llm/requests` (what the model received, as chat
 * requests, for tests).
 *
 * What it reads from the conversation:
 * - the system message's lines `Customer phone: <digits>`, `Customer name: <name>`,
 *   `VIP tag ID: <n>` and `Human agent: <email>` (the example workflow's system prompt has them);
 * - the customer's latest message (the last `user` message);
 * - the tool calls it already made after that message, and their results.
 *
 * The rule table: the first rule whose pattern matches the latest message decides. A rule calls
 * its tools one after another (each after the previous result came back), then answers with its
 * reply, or with the first tool error it got back. A tool is found by its name, compared without
 * case and punctuation (`Add_Tags` matches `addtags`); its arguments are the rule's values for the
 * keys the tool's schema declares.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { parseJsonBody, readBody, sendJson } from './http.cjs';

export const LLM_MODEL = 'azeer-scripted';
export const LLM_PATH = '/__llm';

interface ToolCall {
	id: string;
	type: 'function';
	function: { name: string; arguments: string };
}

export interface ChatMessage {
	role: 'system' | 'user' | 'assistant' | 'tool' | 'developer';
	content?: string | Array<{ type: string; text?: string }> | null;
	tool_calls?: ToolCall[];
	tool_call_id?: string;
}

interface ToolSpec {
	type: 'function';
	function: {
		name: string;
		description?: string;
		parameters?: { properties?: Record<string, unknown> };
	};
}

export interface ChatRequest {
	model?: string;
	messages: ChatMessage[];
	tools?: ToolSpec[];
	stream?: boolean;
	/** Which API it came through (set by the sandbox for its log). */
	api?: 'chat.completions' | 'responses';
}

/** What the rules know about the conversation. */
export interface Conversation {
	phone: string;
	name: string;
	vipTagId: number | undefined;
	humanAgent: string;
	/** The customer's latest message. */
	text: string;
	/** The customer's earlier messages, oldest first (from the agent's memory). */
	earlierTexts: string[];
}

/** One tool call of a rule: the tool (by name) and the argument values by key. */
interface ToolStep {
	tool: string;
	args: (conversation: Conversation, match: RegExpMatchArray) => Record<string, unknown>;
}

interface Rule {
	name: string;
	when: RegExp;
	steps: ToolStep[];
	reply: (conversation: Conversation, results: unknown[], match: RegExpMatchArray) => string;
}

const OFFER_TEMPLATE = 'welcome_offer';

/** The rule table (documented in the README, "AI WhatsApp assistant"). */
export const RULES: Rule[] = [
	{
		name: 'add me to vip',
		when: /\badd me to (the )?vip\b/i,
		steps: [{ tool: 'Add Tags', args: (c) => ({ phone: c.phone, tag_ids: [c.vipTagId] }) }],
		reply: () => 'Done! You are on our VIP list now.',
	},
	{
		name: 'talk to a human',
		when: /\b(talk|speak) to (a )?(human|person|agent)\b/i,
		steps: [
			{ tool: 'Assign to Agent', args: (c) => ({ phone: c.phone, agent_email: c.humanAgent }) },
		],
		reply: () => 'I have passed you to a member of our team. They will answer you here shortly.',
	},
	{
		name: 'send me the offer twice (misbehaves: sends the same template again)',
		when: /\bsend me the offer twice\b/i,
		steps: [0, 1].map(() => ({
			tool: 'Send Template',
			args: (c: Conversation) => ({ phone: c.phone, customer_name: c.name }),
		})),
		reply: () => 'I have sent you our welcome offer twice.',
	},
	{
		name: "send the offer to another number (misbehaves: not the conversation's number)",
		when: /\bsend the offer to \+?([0-9][0-9 ]{7,18}[0-9])\b/i,
		steps: [
			{
				tool: 'Send Template',
				args: (c, m) => ({ phone: m[1].replace(/\D/g, ''), customer_name: c.name }),
			},
		],
		reply: (_c, _r, m) => `I have sent the offer to ${m[1]}.`,
	},
	{
		name: 'send me the offer',
		when: /\bsend me the offer\b/i,
		steps: [{ tool: 'Send Template', args: (c) => ({ phone: c.phone, customer_name: c.name }) }],
		reply: () => `I have sent you our welcome offer (${OFFER_TEMPLATE}). Enjoy!`,
	},
	{
		name: 'tag me as <word> (misbehaves: a tag name where IDs belong)',
		when: /\btag me as ([a-z]+)\b/i,
		steps: [{ tool: 'Add Tags', args: (c, m) => ({ phone: c.phone, tag_ids: [m[1]] }) }],
		reply: (_c, _r, m) => `You are tagged as ${m[1]} now.`,
	},
	{
		name: 'add me to tag <n> (misbehaves: a tag ID that does not exist)',
		when: /\badd me to tag (\d+)\b/i,
		steps: [{ tool: 'Add Tags', args: (c, m) => ({ phone: c.phone, tag_ids: [Number(m[1])] }) }],
		reply: (_c, _r, m) => `You have tag ${m[1]} now.`,
	},
	{
		name: 'who am i',
		when: /\bwho am i\b/i,
		steps: [{ tool: 'Get Contact', args: (c) => ({ phone: c.phone }) }],
		reply: (c, [contact]) => {
			const record = (Array.isArray(contact) ? contact[0] : contact) as
				{ profile_name?: string; tags?: string[] } | undefined;
			const tags = record?.tags?.length ? record.tags.join(', ') : 'none';
			return `You are ${record?.profile_name ?? c.name}, +${c.phone}. Your tags: ${tags}.`;
		},
	},
	{
		name: 'what did I say',
		when: /\bwhat did i (just )?say\b/i,
		steps: [],
		reply: (c) =>
			c.earlierTexts.length
				? `Before this you said: "${c.earlierTexts[c.earlierTexts.length - 1]}"`
				: 'This is the first thing you told me.',
	},
];

export const FALLBACK_REPLY =
	'Hello! I can add you to our VIP list, send you our welcome offer, tell you what we know about you, or connect you with a human.';

function text(content: ChatMessage['content']): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) return content.map((part) => part.text ?? '').join('');
	return '';
}

function line(system: string, label: string): string | undefined {
	return new RegExp(`^\\s*${label}:\\s*(.+?)\\s*$`, 'im').exec(system)?.[1];
}

export function readConversation(messages: ChatMessage[]): Conversation {
	const system = messages
		.filter((m) => m.role === 'system' || m.role === 'developer')
		.map((m) => text(m.content))
		.join('\n');
	const userTexts = messages.filter((m) => m.role === 'user').map((m) => text(m.content));
	const vip = line(system, 'VIP tag ID');
	return {
		phone: (line(system, 'Customer phone') ?? '').replace(/\D/g, ''),
		name: line(system, 'Customer name') ?? 'there',
		vipTagId: vip && /^\d+$/.test(vip) ? Number(vip) : undefined,
		humanAgent: line(system, 'Human agent') ?? '',
		text: userTexts[userTexts.length - 1] ?? '',
		earlierTexts: userTexts.slice(0, -1),
	};
}

const normalized = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The tool results that came back after the customer's latest message, in call order. */
function resultsThisTurn(messages: ChatMessage[]): unknown[] {
	const lastUser = messages.map((m) => m.role).lastIndexOf('user');
	return messages
		.slice(lastUser + 1)
		.filter((m) => m.role === 'tool')
		.map((m) => {
			const content = text(m.content);
			try {
				return JSON.parse(content) as unknown;
			} catch {
				return content;
			}
		});
}

/** The error text inside a tool result, however the agent wrapped it (`[{"error": "..."}]`, `{"error": ...}`, text). */
export function toolError(result: unknown): string | undefined {
	if (typeof result === 'string') return /error/i.test(result) ? result : undefined;
	if (Array.isArray(result)) return result.map(toolError).find(Boolean);
	if (result && typeof result === 'object') {
		const record = result as Record<string, unknown>;
		if (typeof record.error === 'string') return record.error;
		if (record.error && typeof record.error === 'object') return JSON.stringify(record.error);
		return toolError(record.response);
	}
	return undefined;
}

/** The next assistant turn: a tool call, or the final text. */
export type Turn = { kind: 'text'; content: string } | { kind: 'tool'; call: ToolCall };

let callCounter = 0;

export function nextTurn(request: ChatRequest): Turn {
	const conversation = readConversation(request.messages);
	const rule = RULES.find((candidate) => candidate.when.test(conversation.text));
	if (!rule) return { kind: 'text', content: FALLBACK_REPLY };
	const match = conversation.text.match(rule.when) as RegExpMatchArray;
	const results = resultsThisTurn(request.messages);
	const failed = results.map(toolError).find(Boolean);
	if (failed) return { kind: 'text', content: `Sorry, that did not work: ${failed}` };
	const step = rule.steps[results.length];
	if (!step) return { kind: 'text', content: rule.reply(conversation, results, match) };
	const tool = (request.tools ?? []).find((candidate) =>
		normalized(candidate.function.name).includes(normalized(step.tool)),
	);
	if (!tool)
		return { kind: 'text', content: `I cannot do that here: I have no "${step.tool}" tool.` };
	const values = step.args(conversation, match);
	const declared = tool.function.parameters?.properties;
	const args = declared
		? Object.fromEntries(Object.entries(values).filter(([key]) => key in declared))
		: values;
	callCounter++;
	return {
		kind: 'tool',
		call: {
			id: `call_${callCounter}`,
			type: 'function',
			function: { name: tool.function.name, arguments: JSON.stringify(args) },
		},
	};
}

function completion(turn: Turn, model: string) {
	const message =
		turn.kind === 'text'
			? { role: 'assistant', content: turn.content }
			: { role: 'assistant', content: null, tool_calls: [turn.call] };
	return {
		id: `chatcmpl-${callCounter}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model,
		choices: [
			{
				index: 0,
				message,
				logprobs: null,
				finish_reason: turn.kind === 'text' ? 'stop' : 'tool_calls',
			},
		],
		usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
	};
}

/** The same turn as OpenAI's server-sent chunks: role, content or tool call, finish reason, usage, [DONE]. */
function streamChunks(turn: Turn, model: string): unknown[] {
	const base = {
		id: `chatcmpl-${callCounter}`,
		object: 'chat.completion.chunk',
		created: Math.floor(Date.now() / 1000),
		model,
	};
	const chunk = (delta: unknown, finish: string | null) => ({
		...base,
		choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
	});
	const body =
		turn.kind === 'text'
			? [
					chunk({ role: 'assistant', content: '' }, null),
					chunk({ content: turn.content }, null),
					chunk({}, 'stop'),
				]
			: [
					chunk(
						{ role: 'assistant', content: null, tool_calls: [{ index: 0, ...turn.call }] },
						null,
					),
					chunk({}, 'tool_calls'),
				];
	return [
		...body,
		{ ...base, choices: [], usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 } },
	];
}

/** One item of a Responses API `input` (only the kinds n8n's agent sends). */
interface ResponsesInputItem {
	type?: string;
	role?: ChatMessage['role'];
	content?: string | Array<{ type: string; text?: string }>;
	call_id?: string;
	name?: string;
	arguments?: string;
	output?: unknown;
}

export interface ResponsesRequest {
	model?: string;
	instructions?: string;
	input: string | ResponsesInputItem[];
	tools?: Array<{
		type: string;
		name?: string;
		description?: string;
		parameters?: ToolSpec['function']['parameters'];
	}>;
	stream?: boolean;
}

/** The same conversation as a chat-completions request, so that one rule table serves both APIs. */
export function chatRequestFromResponses(request: ResponsesRequest): ChatRequest {
	const messages: ChatMessage[] = request.instructions
		? [{ role: 'system', content: request.instructions }]
		: [];
	const items =
		typeof request.input === 'string'
			? [{ role: 'user' as const, content: request.input }]
			: request.input;
	for (const item of items) {
		if (item.type === 'function_call') {
			const call: ToolCall = {
				id: item.call_id ?? '',
				type: 'function',
				function: { name: item.name ?? '', arguments: item.arguments ?? '{}' },
			};
			messages.push({ role: 'assistant', content: null, tool_calls: [call] });
		} else if (item.type === 'function_call_output') {
			messages.push({
				role: 'tool',
				tool_call_id: item.call_id,
				content: typeof item.output === 'string' ? item.output : JSON.stringify(item.output),
			});
		} else if (item.role) {
			messages.push({ role: item.role, content: item.content });
		}
	}
	const tools = (request.tools ?? [])
		.filter((tool) => tool.type === 'function' && tool.name)
		.map((tool): ToolSpec => ({
			type: 'function',
			function: {
				name: String(tool.name),
				description: tool.description,
				parameters: tool.parameters,
			},
		}));
	return { model: request.model, messages, tools, stream: request.stream, api: 'responses' };
}

function responsesAnswer(turn: Turn, model: string) {
	const output =
		turn.kind === 'text'
			? [
					{
						type: 'message',
						id: `msg_${callCounter}`,
						status: 'completed',
						role: 'assistant',
						content: [{ type: 'output_text', text: turn.content, annotations: [] }],
					},
				]
			: [
					{
						type: 'function_call',
						id: `fc_${callCounter}`,
						call_id: turn.call.id,
						name: turn.call.function.name,
						arguments: turn.call.function.arguments,
						status: 'completed',
					},
				];
	return {
		id: `resp_${callCounter}`,
		object: 'response',
		created_at: Math.floor(Date.now() / 1000),
		status: 'completed',
		model,
		output,
		error: null,
		incomplete_details: null,
		metadata: {},
		usage: {
			input_tokens: 0,
			input_tokens_details: { cached_tokens: 0 },
			output_tokens: 0,
			output_tokens_details: { reasoning_tokens: 0 },
			total_tokens: 0,
		},
	};
}

function openAiError(res: ServerResponse, status: number, message: string): void {
	sendJson(res, status, {
		error: { message, type: 'invalid_request_error', param: null, code: null },
	});
}

/** Serves /__llm/...; keeps the request bodies it received in `log`. */
export async function handleLlm(
	log: ChatRequest[],
	req: IncomingMessage,
	res: ServerResponse,
	path: string,
): Promise<void> {
	const method = (req.method ?? 'GET').toUpperCase();
	const route = path.slice(LLM_PATH.length);
	if (route === '/requests') {
		if (method === 'DELETE') log.length = 0;
		return sendJson(res, 200, log);
	}
	if (!/^Bearer\s+\S+/i.test(req.headers.authorization ?? ''))
		return openAiError(res, 401, 'Missing API key: any key works for the scripted model');
	if (method === 'GET' && route === '/v1/models') {
		return sendJson(res, 200, {
			object: 'list',
			data: [{ id: LLM_MODEL, object: 'model', created: 0, owned_by: 'azeer-sandbox' }],
		});
	}
	const parsed = method === 'POST' ? parseJsonBody(await readBody(req)) : undefined;
	const body = parsed?.present && parsed.ok ? (parsed.value as Record<string, unknown>) : undefined;
	if (method === 'POST' && route === '/v1/responses') {
		if (!body || !(typeof body.input === 'string' || Array.isArray(body.input)))
			return openAiError(res, 400, 'The body must be JSON with an "input"');
		if (body.stream)
			return openAiError(
				res,
				400,
				'The scripted model does not stream the Responses API; turn off "Use Responses API" for streaming',
			);
		const request = chatRequestFromResponses(body as unknown as ResponsesRequest);
		log.push(request);
		return sendJson(res, 200, responsesAnswer(nextTurn(request), request.model ?? LLM_MODEL));
	}
	if (method !== 'POST' || route !== '/v1/chat/completions') {
		return openAiError(
			res,
			404,
			`The scripted model serves POST ${LLM_PATH}/v1/chat/completions and /v1/responses, not ${method} ${path}`,
		);
	}
	const request = body as ChatRequest | undefined;
	if (!request || !Array.isArray(request.messages))
		return openAiError(res, 400, 'The body must be JSON with a "messages" array');
	log.push({ ...request, api: 'chat.completions' });
	const turn = nextTurn(request);
	const model = request.model ?? LLM_MODEL;
	if (!request.stream) return sendJson(res, 200, completion(turn, model));
	res.writeHead(200, {
		'content-type': 'text/event-stream; charset=utf-8',
		'cache-control': 'no-cache',
		connection: 'keep-alive',
	});
	for (const chunk of streamChunks(turn, model)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
	res.end('data: [DONE]\n\n');
}
