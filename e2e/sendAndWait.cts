/**
 * End-to-end checks of the Azeer node's Send and Wait for Response in the real n8n: 50 contacts asked at once, each taps
 * its own answer on the sandbox, a forged reply resumes nothing, an n8n restart half-way loses
 * nothing, late taps start nothing, 10 Free Text questions each resume with their contact's
 * written answer, and the example's question is answered from the chat page.
 */
import assert from 'node:assert/strict';

import { parse } from 'flatted';

import type { StoredMessage } from '../sandbox/index.cjs';
import type { IDataObject, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';

import { type Execution, type N8nApi, type Workflow } from '../scripts/lib/n8n.cjs';
import { waitFor } from '../scripts/lib/process.cjs';
import { loadExample, type Provisioned, type Stack } from '../scripts/lib/stack.cjs';
import type { BrowserCheck } from './browser.cjs';

const CONTACTS = Array.from({ length: 50 }, (_, index) => ({
	phone: `9665077${String(index).padStart(5, '0')}`,
	name: `Guest ${index + 1}`,
	/** Even contacts confirm, odd ones ask to reschedule. */
	confirms: index % 2 === 0,
}));
const AZEER_TYPE = 'n8n-nodes-azeer.azeer';
/** The example's Send and Wait question (an Azeer node), asked as Free Text by the Free Text check. */
const QUESTION_NODE = 'Confirm or reschedule?';
const FREE_TEXT_CONTACTS = Array.from({ length: 10 }, (_, index) => ({
	phone: `9665088${String(index).padStart(5, '0')}`,
	name: `Typist ${index + 1}`,
	confirms: false,
	answer: `Contact ${index + 1} prefers ${8 + index}:30`,
}));

export interface SendAndWaitContext {
	stack: Stack;
	provisioned: Provisioned;
	browser: BrowserCheck;
	check(name: string, body: () => Promise<void>): Promise<boolean>;
}

type Button = { reply: { id: string; title: string } };

/** The buttons of the last question (interactive message) the sandbox sent to `phone`. */
function questionButtons(messages: StoredMessage[]): Button['reply'][] | undefined {
	const question = messages
		.filter((message) => message.direction === 'out' && message.type === 'interactive')
		.at(-1);
	const content = question?.content as { action?: { buttons?: Button[] } } | null | undefined;
	return content?.action?.buttons?.map((button) => button.reply);
}

async function executionsOf(api: N8nApi, workflowId: string): Promise<Execution[]> {
	return await api.listExecutions(workflowId);
}

/** Executions of the workflow that reached the Send and Wait node (the per-contact ones). */
async function countByStatus(api: N8nApi, workflowId: string, parentIds: Set<string>) {
	const counts: Record<string, number> = {};
	for (const execution of await executionsOf(api, workflowId)) {
		if (parentIds.has(String(execution.id))) continue;
		counts[execution.status] = (counts[execution.status] ?? 0) + 1;
	}
	return counts;
}

/** Waits until the per-contact executions of the workflow have exactly these statuses. */
async function waitForCounts(
	api: N8nApi,
	workflowId: string,
	parentIds: Set<string>,
	what: string,
	expected: Record<string, number>,
) {
	return await waitFor(
		`${what}: ${JSON.stringify(expected)}`,
		async () => {
			const counts = await countByStatus(api, workflowId, parentIds);
			const statuses = Object.keys({ ...counts, ...expected });
			if (statuses.every((status) => counts[status] === expected[status])) return counts;
			throw new Error(`found ${JSON.stringify(counts)}`);
		},
		{ timeoutMs: 120000, intervalMs: 1000 },
	);
}

function importable(
	provisioned: Provisioned,
	name: string,
	contacts: Array<{ phone: string; name: string }>,
): Workflow {
	const workflow = loadExample('appointmentConfirmation', provisioned.exampleTarget);
	workflow.name = name;
	const list = contacts.map(({ phone, name: guest }) => ({
		phone,
		name: guest,
		time: 'tomorrow at 10:00',
	}));
	const code = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.code');
	assert.ok(code, 'the example has no Code node');
	code.parameters.jsCode = `return ${JSON.stringify(list)}.map((json) => ({ json }));`;
	return workflow;
}

/** The Send and Wait node's output in one finished execution. */
async function questionOutput(api: N8nApi, executionId: string) {
	const execution = await api.request<Execution>('GET', `/executions/${executionId}`);
	const data = parse(String(execution.data)) as {
		resultData: {
			runData: Record<string, Array<{ data?: { main: Array<Array<{ json: IDataObject }>> } }>>;
		};
	};
	return data.resultData.runData[QUESTION_NODE]?.at(-1)?.data?.main[0]?.[0]?.json;
}

/**
 * 10 contacts are asked a Free Text question; each types a different answer on the sandbox.
 * The echo bot is active too (and the AI assistant, after its suite), so every reply reaches
 * several Azeer Triggers of the credential: it is forwarded once, and starts none of their
 * workflows.
 */
async function freeTextCheck(context: SendAndWaitContext): Promise<void> {
	const { stack, provisioned, check } = context;
	const { sandbox } = stack;
	const api = () => stack.n8n.api;
	await check(
		'Send and Wait, Free Text: 10 contacts type their own answer, exactly the 10 executions resume with their own text, and no workflow starts for the replies',
		async () => {
			for (const contact of FREE_TEXT_CONTACTS)
				sandbox.inbound({ from: contact.phone, name: contact.name, text: 'hello' });
			await sandbox.settle();
			const workflow = importable(
				provisioned,
				'Appointment confirmation (e2e, Free Text)',
				FREE_TEXT_CONTACTS,
			);
			const question = workflow.nodes.find((node) => node.name === QUESTION_NODE);
			assert.ok(question, `the example has no "${QUESTION_NODE}" node`);
			question.parameters = {
				...question.parameters,
				responseType: 'freeText',
				question: '=Hello {{ $json.name }}, what time suits you {{ $json.time }}?',
				approvalOptions: {},
				waitOptions: {},
			};
			const workflowId = String((await api().createWorkflow(workflow)).id);
			const echoBotId = provisioned.workflows.echoBot.id;
			await api().activate(workflowId);
			await api().activate(echoBotId);
			try {
				const parent = await api().runManually(workflowId, 'Send reminders');
				assert.equal((await api().waitForExecution(parent)).status, 'success');
				const parents = new Set([parent]);
				const counts = async (expected: Record<string, number>) =>
					await waitForCounts(api(), workflowId, parents, 'Free Text executions', expected);
				await counts({ waiting: 10 });
				// The questions (other active workflows may have answered the contacts' "hello").
				const questions = sandbox
					.requests()
					.filter((request) => request.path === '/v1/message/send')
					.map((request) => request.body as { to: string; text?: { body?: string } })
					.filter((body) => body.text?.body?.startsWith('Hello Typist'));
				assert.deepEqual(
					questions.sort((a, b) => a.to.localeCompare(b.to)),
					FREE_TEXT_CONTACTS.map((contact) => ({
						recipient_type: 'individual',
						to: contact.phone,
						type: 'text',
						text: { body: `Hello ${contact.name}, what time suits you tomorrow at 10:00?` },
					})),
				);
				// Every execution the contacts' "hello" started exists by now (n8n answered them).
				const executionCounts = async () =>
					await Promise.all(
						Object.values(provisioned.workflows).map(
							async (example) => (await executionsOf(api(), example.id)).length,
						),
					);
				const before = await executionCounts();
				sandbox.clearRequests();
				// In groups of 5, as the taps: n8n's SQLite stalls under many simultaneous resumes here.
				for (const [start, end] of [
					[0, 5],
					[5, 10],
				]) {
					for (const contact of FREE_TEXT_CONTACTS.slice(start, end))
						sandbox.inbound({ from: contact.phone, name: contact.name, text: contact.answer });
					await counts({ success: end, ...(end < 10 ? { waiting: 10 - end } : {}) });
				}
				const answers: Record<string, unknown> = {};
				for (const execution of await executionsOf(api(), workflowId)) {
					if (parents.has(String(execution.id))) continue;
					const output = await questionOutput(api(), String(execution.id));
					answers[String(output?.contactPhone)] = output?.answer;
				}
				assert.deepEqual(
					answers,
					Object.fromEntries(
						FREE_TEXT_CONTACTS.map((contact) => [contact.phone, { text: contact.answer }]),
					),
				);
				await sandbox.settle();
				assert.deepEqual(await countByStatus(api(), workflowId, parents), { success: 10 });
				assert.deepEqual(await executionCounts(), before, 'a written answer started a workflow');
				const echoes = sandbox
					.requests()
					.filter((request) => JSON.stringify(request.body).includes('You said: Contact'));
				assert.deepEqual(echoes, [], 'the echo bot answered a written answer');
			} finally {
				await api().deactivate(echoBotId);
				await api().deactivate(workflowId);
			}
		},
	);
}

/**
 * Where n8n offers the operation: its node panel's Human in the loop group lists nodes whose codex
 * has the HITL category; n8n derives a "HitlTool" variant, the AI Agent's human review, from every
 * node with a webhook and a sendAndWait operation.
 */
async function editorPlacesCheck(context: SendAndWaitContext): Promise<void> {
	const { stack, provisioned, browser, check } = context;
	await check(
		"Send and Wait in the editor: the node panel's Human in the loop group lists Azeer, and the AI Agent offers it as human review (browser)",
		async () => {
			const types = await stack.n8n.api.types<INodeTypeDescription>('nodes');
			assert.ok(
				types.some((node) => node.name === `${AZEER_TYPE}HitlTool`),
				'n8n derived no human review tool from the Azeer node',
			);
			const places = await browser.humanInTheLoop(
				stack.n8n.url,
				provisioned.workflows.aiAssistant.id,
			);
			assert.deepEqual(places, { nodePanelGroup: true, agentHumanReview: true });
		},
	);
}

export async function sendAndWaitSuite(context: SendAndWaitContext): Promise<void> {
	await editorPlacesCheck(context);
	await freeTextCheck(context);
	const { stack, provisioned, browser, check } = context;
	const { sandbox } = stack;
	const api = () => stack.n8n.api;
	const parents = new Set<string>();
	let workflowId = '';
	const countsReach = async (what: string, expected: Record<string, number>) =>
		await waitForCounts(api(), workflowId, parents, what, expected);
	const tap = (index: number, reply: { id: string; title: string }) =>
		sandbox.inbound({
			from: CONTACTS[index].phone,
			name: CONTACTS[index].name,
			interactive: { reply_id: reply.id, title: reply.title },
		});
	// Taps come in groups of 5: on this shared 2-core machine n8n's SQLite database stops answering
	// under 25 simultaneous resumes (n8n answers 503 "Database is not ready!", Azeer retries).
	const tapInBatches = async (from: number, to: number) => {
		for (let start = from; start < to; start += 5) {
			const end = Math.min(start + 5, to);
			for (let index = start; index < end; index++) tap(index, answerOf(index));
			await countsReach(`answers ${start + 1}-${end} to resume their executions`, {
				success: end,
				...(end < 50 ? { waiting: 50 - end } : {}),
			});
		}
	};
	const buttonsOf = (index: number) =>
		questionButtons(sandbox.messages(CONTACTS[index].phone)) ?? [];
	const answerOf = (index: number) => buttonsOf(index)[CONTACTS[index].confirms ? 0 : 1];

	const asked = await check(
		'Send and Wait: 50 contacts are asked at once, each in its own waiting execution',
		async () => {
			const azeer = (await api().types<INodeTypeDescription>('nodes')).find(
				(node) => node.name === AZEER_TYPE,
			);
			assert.ok(azeer, 'Azeer node missing');
			assert.deepEqual(
				azeer.webhooks?.map((webhook) => webhook.restartWebhook),
				[true],
				'the Azeer node has no waiting webhook',
			);
			const messageOperations = azeer.properties.find(
				(property) =>
					property.name === 'operation' &&
					(property.displayOptions?.show?.resource as string[] | undefined)?.includes('message'),
			);
			assert.ok(
				(messageOperations?.options as INodePropertyOptions[] | undefined)?.some(
					(option) => option.value === 'sendAndWait',
				),
				'Message → Send and Wait for Response missing',
			);
			// Each contact has written first, so the 24-hour window is open for the question.
			for (const contact of CONTACTS)
				sandbox.inbound({ from: contact.phone, name: contact.name, text: 'hello' });
			await sandbox.settle();
			const created = await api().createWorkflow(
				importable(provisioned, 'Appointment confirmation (e2e, 50 contacts)', CONTACTS),
			);
			workflowId = String(created.id);
			await api().activate(workflowId);
			sandbox.clearRequests();
			const parent = await api().runManually(workflowId, 'Send reminders');
			parents.add(parent);
			const finished = await api().waitForExecution(parent);
			assert.equal(
				finished.status,
				'success',
				`the run that sends the reminders ended ${finished.status}`,
			);
			await countsReach('50 executions waiting for their answer', { waiting: 50 });
			const questions = sandbox.requests().filter((request) => request.path === '/v1/message/send');
			assert.equal(questions.length, 50, `expected 50 questions, got ${questions.length}`);
			assert.deepEqual(
				questions.map((request) => (request.body as { to: string }).to).sort(),
				CONTACTS.map((contact) => contact.phone).sort(),
			);
			for (const [index, contact] of CONTACTS.entries()) {
				assert.deepEqual(
					buttonsOf(index).map((button) => button.title),
					['Confirm', 'Reschedule'],
					`question to ${contact.phone}`,
				);
			}
		},
	);
	if (!asked) return;

	await check(
		'Send and Wait: a forged reply and a reply copied from another contact resume nothing (answered 200)',
		async () => {
			const deliveriesBefore = sandbox.deliveries().length;
			const real = answerOf(0);
			tap(0, {
				id: `${real.id.slice(0, real.id.lastIndexOf('.') - 22)}${'A'.repeat(22)}${real.id.slice(real.id.lastIndexOf('.'))}`,
				title: real.title,
			});
			tap(1, answerOf(0));
			await sandbox.settle();
			const deliveries = sandbox.deliveries().slice(deliveriesBefore);
			assert.ok(deliveries.length >= 2, 'the replies were not delivered to n8n');
			assert.deepEqual([...new Set(deliveries.map((delivery) => delivery.status))], [200]);
			assert.deepEqual(await countByStatus(api(), workflowId, parents), { waiting: 50 });
			assert.equal(
				sandbox.requests().filter((request) => request.path.startsWith('/v1/contact/')).length,
				0,
			);
		},
	);

	await check(
		'Send and Wait: 25 taps, an n8n restart, 25 more taps: exactly the 50 executions resume, each with its own answer',
		async () => {
			await tapInBatches(0, 25);

			await stack.restartN8n(stack.n8n.port);
			assert.deepEqual(
				await countByStatus(api(), workflowId, parents),
				{ success: 25, waiting: 25 },
				'after the restart',
			);

			await tapInBatches(25, 50);
			const byPhone = (apiPath: string) =>
				sandbox
					.requests()
					.filter((request) => request.path === `/v1${apiPath}`)
					.map((request) => String((request.body as { platform_id: string }).platform_id))
					.sort();
			assert.deepEqual(
				byPhone('/contact/tags'),
				CONTACTS.filter((contact) => contact.confirms)
					.map((contact) => contact.phone)
					.sort(),
			);
			assert.deepEqual(
				byPhone('/contact/assign'),
				CONTACTS.filter((contact) => !contact.confirms)
					.map((contact) => contact.phone)
					.sort(),
			);
		},
	);

	await check(
		'Send and Wait: a tap after the execution finished starts nothing and is answered 200',
		async () => {
			const deliveriesBefore = sandbox.deliveries().length;
			const requestsBefore = sandbox.requests().length;
			tap(0, answerOf(0));
			tap(1, answerOf(1));
			await sandbox.settle();
			const deliveries = sandbox.deliveries().slice(deliveriesBefore);
			assert.ok(deliveries.length >= 2, 'the late taps were not delivered to n8n');
			assert.deepEqual([...new Set(deliveries.map((delivery) => delivery.status))], [200]);
			assert.deepEqual(sandbox.requests().slice(requestsBefore), []);
			assert.deepEqual(await countByStatus(api(), workflowId, parents), { success: 50 });
			await api().deactivate(workflowId);
		},
	);

	await check(
		'example "Appointment confirmation": the question shows on the chat page and a tap on Confirm tags the contact (browser)',
		async () => {
			const example = provisioned.workflows.appointmentConfirmation;
			const code = example.nodes.find((node) => node.type === 'n8n-nodes-base.code');
			const phones = [...String(code?.parameters.jsCode).matchAll(/phone: '([^']+)'/g)].map(
				(match) => match[1].replace(/[^0-9]/g, ''),
			);
			assert.equal(phones.length, 3, 'the example lists three appointments');
			for (const phone of phones) sandbox.inbound({ from: phone, text: 'hi' });
			await sandbox.settle();
			await api().activate(String(example.id));
			sandbox.clearRequests();
			await api().waitForExecution(await api().runManually(String(example.id), 'Send reminders'));
			const question = await waitFor('the question to Huda', async () =>
				questionButtons(sandbox.messages(phones[0])),
			);
			assert.deepEqual(
				question.map((button) => button.title),
				['Confirm', 'Reschedule'],
			);
			const deliveriesBefore = sandbox.deliveries().length;
			await browser.chatQuestionTap(
				stack.chatUrl,
				phones[0],
				'your appointment is tomorrow at 10:00',
				['Confirm', 'Reschedule'],
				'Confirm',
			);
			const tagged = await waitFor('Huda to be tagged as confirmed', async () =>
				sandbox.requests().find((request) => request.path === '/v1/contact/tags'),
			).catch(async (error: Error) => {
				// What became of the tap: its deliveries to n8n and the example's executions.
				const deliveries = sandbox
					.deliveries()
					.slice(deliveriesBefore)
					.map(
						(delivery) =>
							`${delivery.at} ${delivery.event} → ${delivery.url} attempt ${delivery.attempt}: ${delivery.status ?? delivery.error}`,
					);
				const executions = await api()
					.listExecutions(String(example.id))
					.then((runs) => runs.map((run) => `${run.id} ${String(run.mode)} ${run.status}`))
					.catch((listError: Error) => [`(executions not listed: ${listError.message})`]);
				error.message += `\ndeliveries since the tap:\n  ${deliveries.join('\n  ') || 'none'}\nexecutions of the example:\n  ${executions.join('\n  ')}`;
				throw error;
			});
			assert.deepEqual(tagged.body, { platform_id: phones[0], tag_ids: [1] });
			const tapped = sandbox
				.messages(phones[0])
				.filter((message) => message.direction === 'in')
				.at(-1);
			assert.equal(tapped?.type, 'interactive');
			assert.equal(tapped?.text, 'Confirm');
			await api().deactivate(String(example.id));
		},
	);
}
