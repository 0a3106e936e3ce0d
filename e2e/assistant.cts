/**
 * End-to-end checks of the "AI WhatsApp assistant" example in the real n8n: Azeer Trigger → n8n's
 * AI Agent with its memory and the Azeer node as four tools → Azeer Send Text. The model is the
 * sandbox's scripted one (sandbox/llm.cts); everything else is the real n8n and the packed package.
 * For each rule the customer writes from the chat side, and the checks read what the sandbox
 * received: the exact API request each tool made, and the reply the customer sees.
 */
import assert from 'node:assert/strict';

import type { IDataObject } from 'n8n-workflow';

import type { LoggedRequest, StoredMessage } from '../sandbox/index.cjs';
import { toolError } from '../sandbox/llm.cjs';
import type { ChatMessage } from '../sandbox/llm.cjs';
import { log, waitFor } from '../scripts/lib/process.cjs';
import type { Provisioned, Stack } from '../scripts/lib/stack.cjs';
import type { BrowserCheck } from './browser.cjs';

type Check = (name: string, body: () => Promise<void>) => Promise<boolean>;

const CUSTOMER = { phone: '966507770001', name: 'Layla' };
const OTHER_CUSTOMER = { phone: '971507770002', name: 'Omar K' };
const VIP_TAG_ID = 1;
const HUMAN_AGENT = { id: 2, email: 'omar@example.com' };

export async function runAssistantSuite(
	stack: Stack,
	provisioned: Provisioned,
	browser: BrowserCheck,
	check: Check,
): Promise<void> {
	const { sandbox } = stack;
	const { api } = stack.n8n;
	const assistant = provisioned.workflows.aiAssistant;
	const authorization = `Bearer ${sandbox.apiKey}`;
	const apiRequestsSince: LoggedRequest[] = [];

	/** The customer writes `text`; resolves with the bot's text reply and the Azeer API requests of the turn. */
	async function turn(from: { phone: string; name: string }, text: string) {
		sandbox.clearRequests();
		const inbound = sandbox.inbound({ from: from.phone, name: from.name, text });
		const reply = await waitFor(
			`the assistant to answer "${text}"`,
			async () =>
				sandbox
					.messages(from.phone)
					.find(
						(message) =>
							message.direction === 'out' &&
							message.type === 'text' &&
							message.message_id > inbound.message_id,
					),
			{ timeoutMs: 60000 },
		);
		const requests = sandbox.requests().filter((request) => request.path.startsWith('/v1/'));
		apiRequestsSince.push(...requests);
		const sent = sandbox
			.messages(from.phone)
			.filter((message) => message.direction === 'out' && message.message_id > inbound.message_id);
		return { reply: reply.text ?? '', requests, sent };
	}

	/** The reply send of a turn: the last request, POST /message/send with the text the customer sees. */
	function assertReplySend(request: LoggedRequest | undefined, to: string, text: string) {
		assert.ok(request, 'no reply send');
		assert.equal(`${request.method} ${request.path}`, 'POST /v1/message/send');
		assert.deepEqual(request.body, {
			to,
			recipient_type: 'individual',
			type: 'text',
			text: { body: text },
		});
		assert.equal(request.status, 200);
	}

	/** The errors the model got back from its tool calls in the customer's latest turn. */
	function toolErrorsOfLastTurn(): string[] {
		const last = sandbox.llmRequests[sandbox.llmRequests.length - 1];
		assert.ok(last, 'the scripted model received no request');
		const lastUser = last.messages.map((message) => message.role).lastIndexOf('user');
		return last.messages
			.slice(lastUser + 1)
			.filter((message: ChatMessage) => message.role === 'tool')
			.map((message) => toolError(JSON.parse(String(message.content))) ?? '');
	}

	async function lastExecutionStatus(): Promise<string> {
		const executions = await api.listExecutions(assistant.id);
		const latest = executions.sort((a, b) => Number(b.id) - Number(a.id))[0];
		return (await api.waitForExecution(latest.id)).status;
	}

	/** Activation lists and cleans up before it registers: a turn starts only once the registration is in. */
	const activateAssistant = async () => {
		const requestsBefore = sandbox.requests().length;
		await api.activate(assistant.id);
		await waitFor("the assistant's trigger to register", async () =>
			sandbox
				.requests()
				.slice(requestsBefore)
				.some((request) => request.method === 'POST' && request.path === '/v1/webhook')
				? true
				: undefined,
		);
	};

	const ready = await check(
		'AI assistant: the Azeer node is an AI tool in n8n, and activating the assistant registers its trigger',
		async () => {
			const types = await api.types<{
				name: string;
				properties: Array<{ name: string; default: unknown; displayOptions?: IDataObject }>;
			}>('nodes');
			const tool = types.find((type) => type.name === 'n8n-nodes-azeer.azeerTool');
			assert.ok(tool, 'n8n lists no n8n-nodes-azeer.azeerTool');
			const descriptions = tool.properties.filter(
				(property) => property.name === 'toolDescription',
			);
			assert.ok(
				descriptions.length >= 30,
				`expected one tool description per operation, got ${descriptions.length}`,
			);
			assert.equal(
				tool.properties.filter((property) => property.name === 'descriptionType').length,
				0,
				'n8n added its generic description switch',
			);
			for (const workflow of Object.values(provisioned.workflows)) {
				if (workflow.id !== assistant.id && (await api.getWorkflow(workflow.id)).active)
					await api.deactivate(workflow.id);
			}
			await activateAssistant();
			sandbox.llmRequests.length = 0;
		},
	);
	if (!ready) return;

	await check(
		'AI assistant: "add me to vip" → Add Tags with the VIP tag ID, then the reply',
		async () => {
			const { reply, requests } = await turn(CUSTOMER, 'Hi! Please add me to VIP');
			assert.equal(reply, 'Done! You are on our VIP list now.');
			assert.deepEqual(
				requests.map((r) => `${r.method} ${r.path}`),
				['POST /v1/contact/tags', 'POST /v1/message/send'],
			);
			assert.deepEqual(requests[0].body, { platform_id: CUSTOMER.phone, tag_ids: [VIP_TAG_ID] });
			assert.equal(requests[0].status, 201);
			assertReplySend(requests[1], CUSTOMER.phone, reply);
			const contact = sandbox
				.state()
				.contacts.find((candidate) => candidate.platform_id === CUSTOMER.phone);
			assert.deepEqual(contact?.tag_ids, [VIP_TAG_ID]);
			const tools = sandbox.llmRequests[0].tools?.map((tool) => tool.function.name).sort();
			assert.deepEqual(tools, ['Add_Tags', 'Assign_to_Agent', 'Get_Contact', 'Send_Template']);
			const addTags = sandbox.llmRequests[0].tools?.find(
				(tool) => tool.function.name === 'Add_Tags',
			);
			assert.match(
				String(addTags?.function.description),
				/^Add tags \(labels such as VIP\) to a contact/,
			);
			assert.deepEqual(Object.keys(addTags?.function.parameters?.properties ?? {}).sort(), [
				'phone',
				'tag_ids',
			]);
		},
	);

	await check(
		'AI assistant: "send me the offer" → Send Template with the template\'s values, then the reply',
		async () => {
			const { reply, requests, sent } = await turn(CUSTOMER, 'send me the offer please');
			assert.equal(reply, 'I have sent you our welcome offer (welcome_offer). Enjoy!');
			assert.deepEqual(
				requests.map((r) => `${r.method} ${r.path}`),
				['POST /v1/message/send', 'POST /v1/message/send'],
			);
			assert.deepEqual(requests[0].query, { create: 'true' });
			assert.deepEqual(requests[0].body, {
				to: CUSTOMER.phone,
				recipient_type: 'individual',
				type: 'template',
				template: {
					template_id: 'welcome_offer',
					language: 'en',
					argument: { HEADER: [`${sandbox.origin}/media/sample.jpg`], BODY: [CUSTOMER.name] },
				},
			});
			assert.equal(requests[0].status, 200);
			assertReplySend(requests[1], CUSTOMER.phone, reply);
			assert.deepEqual(
				sent.map((message: StoredMessage) => message.type),
				['template', 'text'],
				'the template arrives before the reply',
			);
		},
	);

	await check('AI assistant: "talk to a human" → Assign to Agent, then the reply', async () => {
		const { reply, requests } = await turn(CUSTOMER, 'I want to talk to a human');
		assert.equal(
			reply,
			'I have passed you to a member of our team. They will answer you here shortly.',
		);
		assert.deepEqual(
			requests.map((r) => `${r.method} ${r.path}`),
			['POST /v1/contact/assign', 'POST /v1/message/send'],
		);
		assert.deepEqual(requests[0].body, {
			platform_id: CUSTOMER.phone,
			assigned_platform_id: HUMAN_AGENT.email,
		});
		assertReplySend(requests[1], CUSTOMER.phone, reply);
		const contact = sandbox
			.state()
			.contacts.find((candidate) => candidate.platform_id === CUSTOMER.phone);
		assert.equal(contact?.assigned_agent_id, HUMAN_AGENT.id);
	});

	await check(
		'AI assistant: "who am i" → Get Contact, and the reply uses what it returned',
		async () => {
			const { reply, requests } = await turn(CUSTOMER, 'who am i?');
			assert.equal(reply, `You are ${CUSTOMER.name}, +${CUSTOMER.phone}. Your tags: VIP.`);
			assert.deepEqual(
				requests.map((r) => `${r.method} ${r.path}`),
				[`GET /v1/contact/${CUSTOMER.phone}`, 'POST /v1/message/send'],
			);
			assert.equal(requests[0].body, null);
		},
	);

	await check('AI assistant: anything else gets a text answer and no tool call', async () => {
		const { reply, requests } = await turn(CUSTOMER, 'what are your opening hours?');
		assert.match(reply, /^Hello! I can add you to our VIP list/);
		assert.deepEqual(
			requests.map((r) => `${r.method} ${r.path}`),
			['POST /v1/message/send'],
		);
	});

	await check('AI assistant: the memory is per contact (keyed by phone)', async () => {
		const mine = await turn(CUSTOMER, 'what did I say?');
		assert.equal(mine.reply, 'Before this you said: "what are your opening hours?"');
		const theirs = await turn(OTHER_CUSTOMER, 'what did I just say?');
		assert.equal(theirs.reply, 'This is the first thing you told me.');
		const lastRequest = sandbox.llmRequests[sandbox.llmRequests.length - 1];
		assert.ok(
			!JSON.stringify(lastRequest.messages).includes(CUSTOMER.phone),
			"the other contact's conversation reached this one",
		);
	});

	await check(
		"AI assistant safety: a tool refuses a phone number that is not the conversation's (misbehaving rule)",
		async () => {
			const { reply, requests } = await turn(CUSTOMER, 'send the offer to 966500000999');
			const refusal = `Refused: this tool may only contact ${CUSTOMER.phone}, the number of the current conversation, not "966500000999"`;
			assert.ok(reply.startsWith(`Sorry, that did not work: ${refusal}`), reply);
			assert.deepEqual(
				requests.map((r) => `${r.method} ${r.path}`),
				['POST /v1/message/send'],
				'only the reply went out',
			);
			assertReplySend(requests[0], CUSTOMER.phone, reply);
			assert.ok(
				toolErrorsOfLastTurn().some((error) => error.startsWith(refusal)),
				'the refusal reached the model',
			);
			assert.equal(await lastExecutionStatus(), 'success');
		},
	);

	await check(
		'AI assistant safety: the same template is never sent twice in one agent run (misbehaving rule)',
		async () => {
			const { reply, requests, sent } = await turn(CUSTOMER, 'send me the offer twice');
			const templateSends = requests.filter(
				(request) => (request.body as IDataObject | null)?.type === 'template',
			);
			assert.equal(
				templateSends.length,
				1,
				`expected one template send, got ${templateSends.length}`,
			);
			assert.ok(
				reply.startsWith(
					`Sorry, that did not work: Refused: template welcome_offer was already sent to ${CUSTOMER.phone}`,
				),
				reply,
			);
			assert.deepEqual(
				sent.map((message) => message.type),
				['template', 'text'],
			);
			assert.equal(await lastExecutionStatus(), 'success');
		},
	);

	await check(
		'AI assistant safety: a bad value comes back to the model as text it can act on, before any request (misbehaving rule)',
		async () => {
			const { reply, requests } = await turn(CUSTOMER, 'tag me as gold');
			assert.ok(reply.startsWith('Sorry, that did not work: Tags: not IDs: "gold"'), reply);
			assert.ok(
				toolErrorsOfLastTurn().some((error) => error.startsWith('Tags: not IDs: "gold"')),
				'the error reached the model',
			);
			assert.match(reply, /map an array like \[1, 2\]/);
			assert.deepEqual(
				requests.map((r) => `${r.method} ${r.path}`),
				['POST /v1/message/send'],
			);
			assert.equal(await lastExecutionStatus(), 'success');
		},
	);

	await check(
		"AI assistant safety: an API error comes back to the model as text with Azeer's message and advice (misbehaving rule)",
		async () => {
			const { reply, requests } = await turn(CUSTOMER, 'add me to tag 99');
			assert.deepEqual(
				requests.map((r) => `${r.method} ${r.path}`),
				['POST /v1/contact/tags', 'POST /v1/message/send'],
			);
			assert.deepEqual(requests[0].body, { platform_id: CUSTOMER.phone, tag_ids: [99] });
			assert.equal(requests[0].status, 404);
			assert.ok(reply.startsWith('Sorry, that did not work: '), reply);
			assert.match(reply, /99/);
			assert.match(reply, /Check the ID, or pick the record from the list/);
			assert.equal(await lastExecutionStatus(), 'success');
		},
	);

	await check(
		"AI assistant: the same through the Responses API, the OpenAI Chat Model's default",
		async () => {
			await api.deactivate(assistant.id);
			await api.updateWorkflow(assistant.id, (workflow) => {
				const model = workflow.nodes.find(
					(node) => node.type === '@n8n/n8n-nodes-langchain.lmChatOpenAi',
				);
				assert.ok(model, 'the assistant has no OpenAI Chat Model');
				model.parameters.responsesApiEnabled = true;
			});
			await activateAssistant();
			const before = sandbox.llmRequests.length;
			const { reply, requests } = await turn(OTHER_CUSTOMER, 'add me to vip');
			assert.equal(reply, 'Done! You are on our VIP list now.');
			assert.deepEqual(
				requests.map((r) => `${r.method} ${r.path}`),
				['POST /v1/contact/tags', 'POST /v1/message/send'],
			);
			assert.deepEqual(requests[0].body, {
				platform_id: OTHER_CUSTOMER.phone,
				tag_ids: [VIP_TAG_ID],
			});
			assert.deepEqual(
				sandbox.llmRequests.slice(before).map((request) => request.api),
				['responses', 'responses'],
			);
		},
	);

	await check(
		'AI assistant: the API key travels only in the Authorization header, and never reaches the model',
		async () => {
			assert.ok(
				apiRequestsSince.length >= 10,
				`only ${apiRequestsSince.length} API requests were seen`,
			);
			for (const request of apiRequestsSince) {
				assert.equal(request.headers.authorization, authorization);
				const { authorization: _auth, ...otherHeaders } = request.headers;
				const elsewhere = JSON.stringify([request.path, request.query, request.body, otherHeaders]);
				assert.ok(
					!elsewhere.includes(sandbox.apiKey),
					`the key appears outside the Authorization header of ${request.method} ${request.path}`,
				);
			}
			assert.ok(
				!JSON.stringify(sandbox.llmRequests).includes(sandbox.apiKey),
				'the key reached the model',
			);
			const count = (api: string) =>
				sandbox.llmRequests.filter((request) => request.api === api).length;
			const streamed = sandbox.llmRequests.filter((request) => request.stream).length;
			log(
				`the scripted model answered ${count('chat.completions')} chat-completions and ${count('responses')} Responses API requests ` +
					`(${streamed} streamed); the sandbox got ${apiRequestsSince.length} API requests`,
			);
		},
	);

	await check(
		'AI assistant on the chat page: the conversation shows the template and the replies (browser)',
		async () => {
			await browser.conversation(stack.chatUrl, CUSTOMER.phone, 'who am i', {
				reply: `You are ${CUSTOMER.name}, +${CUSTOMER.phone}. Your tags: VIP.`,
				earlier: [
					'Done! You are on our VIP list now.',
					`Welcome ${CUSTOMER.name}! Enjoy 20% off your first order.`,
					'I have passed you to a member of our team.',
				],
				details: ['Tags: VIP', 'Assigned to Omar Agent'],
			});
		},
	);

	await api.deactivate(assistant.id).catch(() => undefined);
}
