/**
 * Message → Send and Wait for Response through n8n's real engine, with the whole loop in-process:
 * the node sends its question to the sandbox and waits; the sandbox delivers the contact's tap to
 * a real Azeer Trigger (TriggerHost), which forwards it to the waiting webhook; that webhook is
 * served here the way n8n's WaitingWebhooks does (one resume per execution, 409 afterwards).
 * Each test has its own API keys, so the in-memory registry of typed-reply questions
 * (pendingQuestions.ts) keeps nothing from one test that matches in another.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { ExecutionLifecycleHooks, WebhookContext, WorkflowExecute } from 'n8n-core';
import { Workflow } from 'n8n-workflow';
import type {
	IDataObject,
	INode,
	IRun,
	IWebhookData,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { Azeer } from '../../../../nodes/Azeer/Azeer.node';
import {
	answerId,
	answerKey,
	parseAnswerId,
	verifyAnswerReference,
} from '../../../../nodes/shared/sendAndWait/answerReference';
import {
	FORWARD_SIGNATURE_HEADER,
	FORWARD_TIMESTAMP_HEADER,
	forwardSignature,
	waitingBaseUrl,
} from '../../../../nodes/shared/sendAndWait/forward';
import { startSandbox } from '../../../../sandbox/index.cjs';
import {
	additionalData,
	AZEER_NODE_TYPE,
	runNode,
	TestNodeTypes,
} from '../../../harness/engine.cjs';
import type { CredentialMap, NodeRunResult } from '../../../harness/engine.cjs';
import { expectLogged, lineText, loggedLines } from '../../../harness/logs.cjs';
import { expressResponse, TriggerHost } from '../../AzeerTrigger/host.cjs';

const CONTACT = '966544351828';
const OTHER_CONTACT = '966500000002';
const EXECUTION_ID = 'test-execution';
const NODE_ID = 'node-under-test';
const NODE_TYPE = AZEER_NODE_TYPE;
const nodeTypes = new TestNodeTypes().register(NODE_TYPE, new Azeer());

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

interface Resume {
	status: number;
	/** The `signature` query parameter the resume URL carried. */
	signature: string | null;
	output?: IDataObject;
}

/** n8n's waiting executions, as far as the waiting webhook sees them. */
class WaitingExecutions {
	readonly resumes: Resume[] = [];
	/** Answer this many next requests with 503, as n8n does while its database is unavailable. */
	unavailable = 0;
	/** Answer this many next requests with n8n's 409 for an execution not yet saved as waiting. */
	stillRunning = 0;
	private readonly waiting = new Map<string, IRun>();

	constructor(private readonly credentials: CredentialMap) {}

	add(executionId: string, run: IRun) {
		this.waiting.set(executionId, run);
	}

	get resumed(): IDataObject[] {
		return this.resumes.flatMap((resume) => (resume.output ? [resume.output] : []));
	}

	serve = async (req: IncomingMessage, res: ServerResponse, url: URL, rawBody: Buffer) => {
		const [, , executionId, nodeId] = url.pathname.split('/');
		const run = this.waiting.get(executionId);
		const response = expressResponse(res);
		const signature = url.searchParams.get('signature');
		if (this.unavailable > 0) {
			this.unavailable--;
			this.resumes.push({ status: 503, signature });
			response.status(503).json({ message: 'Database is not ready!' });
			return;
		}
		if (this.stillRunning > 0) {
			this.stillRunning--;
			this.resumes.push({ status: 409, signature });
			response.status(409).json({ message: `The execution "${executionId}" is running already.` });
			return;
		}
		if (!run) {
			this.resumes.push({ status: 409, signature });
			response.status(409).json({ message: `The execution "${executionId}" is not waiting.` });
			return;
		}
		const node = run.data.executionData!.nodeExecutionStack[0].node as INode;
		const workflow = new Workflow({
			id: 'wf',
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes,
		});
		const request = Object.assign(req, {
			body: JSON.parse(rawBody.toString('utf8') || '{}') as IDataObject,
			rawBody,
			query: {},
			params: {},
			originalUrl: url.pathname,
		});
		const hooks = new ExecutionLifecycleHooks('webhook', executionId, {} as never);
		const data = {
			...additionalData(this.credentials, hooks),
			httpRequest: request,
			httpResponse: response,
		} as unknown as IWorkflowExecuteAdditionalData;
		const webhookData: IWebhookData = {
			httpMethod: 'POST',
			node: node.name,
			path: nodeId,
			webhookDescription: new Azeer().description.webhooks![0],
			workflowId: 'wf',
			workflowExecuteAdditionalData: data,
		};
		const context = new WebhookContext(workflow, node, data, 'webhook', webhookData, [], run.data);
		const result = await new Azeer().webhook.call(context);
		if (result.noWebhookResponse) {
			this.resumes.push({ status: res.statusCode, signature });
			return;
		}
		this.waiting.delete(executionId);
		const output = result.workflowData?.[0]?.[0]?.json;
		this.resumes.push({ status: 200, signature, output });
		response.status(200).json(result.webhookResponse);
	};
}

describe('Message → Send and Wait for Response', () => {
	let sandbox: Sandbox;
	let host: TriggerHost;
	let waiting: WaitingExecutions;
	let credentials: CredentialMap;

	beforeEach(async () => {
		sandbox = await startSandbox({
			retryDelaysMs: [50, 100],
			statusDelayMs: -1,
			keys: { readWrite: [`rw-${randomUUID()}`, `rw-${randomUUID()}`], readOnly: [] },
		});
		credentials = { azeerApi: { apiKey: sandbox.keys.readWrite[0], baseUrl: sandbox.baseUrl } };
		waiting = new WaitingExecutions(credentials);
		host = await TriggerHost.start({
			parameters: { events: ['incoming_msg'] },
			credentials,
			waiting: waiting.serve,
		});
		await host.activate();
		sandbox.inbound({ from: CONTACT, name: 'Sara', text: 'hi' });
		sandbox.inbound({ from: OTHER_CONTACT, name: 'Omar', text: 'hi' });
		await settle();
		host.executions.length = 0;
		sandbox.clearRequests();
	});

	afterEach(async () => {
		await sandbox.stop();
		await host.stop();
	});

	async function settle() {
		await sandbox.settle();
		await host.idle();
	}

	/** The incoming_msg deliveries of one inbound message. */
	const deliveriesOf = (message: { message_id: number }) =>
		sandbox.deliveries().filter((delivery) => delivery.body.message_id === message.message_id);

	/** Runs `body` with a second active trigger of the same credential (e.g. an echo bot's). */
	async function withSecondTrigger(body: (second: TriggerHost) => Promise<void>) {
		const second = await TriggerHost.start({
			parameters: { events: ['incoming_msg'] },
			credentials,
			waiting: waiting.serve,
		});
		try {
			await second.activate();
			await body(second);
		} finally {
			await second.deactivate();
			await second.stop();
		}
	}

	/** The message reached both triggers' webhooks, and each one's last attempt was answered 200. */
	function expectBothWebhooksAnswered(message: { message_id: number }) {
		const delivered = deliveriesOf(message);
		const webhooks = [...new Set(delivered.map((delivery) => delivery.webhook_id))];
		expect(webhooks).toHaveLength(2);
		for (const webhook of webhooks) {
			const attempts = delivered.filter((delivery) => delivery.webhook_id === webhook);
			expect(attempts.at(-1)?.status).toBe(200);
		}
	}

	async function ask(parameters: IDataObject, input = [{ json: {} }]): Promise<NodeRunResult> {
		const result = await runNode({
			nodeTypes,
			type: NODE_TYPE,
			parameters: {
				resource: 'message',
				operation: 'sendAndWait',
				to: '+966 54 435 1828',
				question: 'Confirm your appointment tomorrow at 10:00?',
				...parameters,
			},
			input,
			credentials,
		});
		if (!result.error) waiting.add(EXECUTION_ID, result.run);
		return result;
	}

	function questionRequest() {
		const sends = sandbox.requests().filter((request) => request.path === '/v1/message/send');
		expect(sends).toHaveLength(1);
		return sends[0];
	}

	const key = () => answerKey(sandbox.keys.readWrite[0]);
	const waitingUrl = () => `${host.origin}/webhook-waiting/${EXECUTION_ID}/${NODE_ID}`;

	/** POSTs a forward straight to the waiting webhook, signed with `key()` unless `headers` are given. */
	async function postToWaiting(forward: IDataObject, headers?: Record<string, string>) {
		const body = JSON.stringify(forward);
		const now = String(Math.floor(Date.now() / 1000));
		const response = await fetch(waitingUrl(), {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				...(headers ?? {
					[FORWARD_SIGNATURE_HEADER]: forwardSignature(key(), now, body),
					[FORWARD_TIMESTAMP_HEADER]: now,
				}),
			},
			body,
		});
		return response.status;
	}

	/** The reasons of the answers the waiting webhook refused (its 401 warnings), none with the API key. */
	function refusalsLogged(): string[] {
		const prefix = 'Azeer Send and Wait: refused an answer (401): ';
		return expectLogged('warn', prefix).map((line) => {
			expect(lineText(line)).not.toContain(sandbox.apiKey);
			return line.message.slice(prefix.length);
		});
	}

	function buttonIds(): string[] {
		const body = questionRequest().body as never as {
			interactive: { action: { buttons: Array<{ reply: { id: string } }> } };
		};
		return body.interactive.action.buttons.map((button) => button.reply.id);
	}

	it('sends an Approval question whose button IDs are signed references, and waits', async () => {
		const before = Date.now();
		const result = await ask({
			approvalOptions: { approveLabel: 'Confirm', declineLabel: 'Reschedule' },
			waitOptions: {
				limitWaitTime: {
					values: { limitType: 'afterTimeInterval', resumeAmount: 2, resumeUnit: 'hours' },
				},
			},
		});
		expect(result.error).toBeUndefined();

		const request = questionRequest();
		expect(request.method).toBe('POST');
		expect(request.query).toEqual({ create: 'false' });
		const body = request.body as IDataObject & {
			interactive: { action: { buttons: Array<{ reply: { id: string; title: string } }> } };
		};
		expect(body).toMatchObject({
			recipient_type: 'individual',
			to: CONTACT,
			type: 'interactive',
			interactive: {
				type: 'button',
				body: { text: 'Confirm your appointment tomorrow at 10:00?' },
			},
		});
		const buttons = body.interactive.action.buttons.map((button) => button.reply);
		expect(buttons.map((button) => button.title)).toEqual(['Confirm', 'Reschedule']);
		const references = buttons.map((button) => parseAnswerId(button.id, CONTACT)!);
		expect(
			references.map((reference) => [reference.executionId, reference.nodeId, reference.choice]),
		).toEqual([
			[EXECUTION_ID, NODE_ID, 'approve'],
			[EXECUTION_ID, NODE_ID, 'decline'],
		]);
		expect(references.every((reference) => verifyAnswerReference(key(), reference))).toBe(true);
		// n8n's signature of this execution's resume URL, which n8n 2.x requires to resume it.
		expect(references[0].resumeSignature).toMatch(/^[0-9a-f]{64}$/);
		expect(verifyAnswerReference(key(), { ...references[0], contact: OTHER_CONTACT })).toBe(false);
		expect(buttons.every((button) => button.id.length <= 256)).toBe(true);

		const waitTill = result.run.waitTill!.getTime();
		expect(waitTill).toBeGreaterThanOrEqual(before + 2 * 3600_000);
		expect(waitTill).toBeLessThanOrEqual(Date.now() + 2 * 3600_000);
		expect(result.run.status).toBe('waiting');
		// What n8n passes on if the wait times out.
		const stackInput = result.run.data.executionData!.nodeExecutionStack[0].data.main[0]!;
		expect(stackInput.map((item) => item.json)).toEqual([
			expect.objectContaining({
				answered: false,
				timedOut: true,
				contactPhone: CONTACT,
				questionMessageId: expect.any(Number),
			}),
		]);
	});

	it('resumes with timedOut: true when n8n ends the wait (Limit Wait Time)', async () => {
		const asked = await ask({
			waitOptions: {
				limitWaitTime: {
					values: { limitType: 'afterTimeInterval', resumeAmount: 1, resumeUnit: 'seconds' },
				},
			},
		});
		// What n8n's WaitTracker does once waitTill has passed: run the saved execution on.
		const node = asked.run.data.executionData!.nodeExecutionStack[0].node as INode;
		const workflow = new Workflow({
			id: 'wf',
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes,
		});
		let finished: IRun | undefined;
		const hooks = new ExecutionLifecycleHooks('manual', EXECUTION_ID, {} as never);
		hooks.addHandler('workflowExecuteAfter', (run) => {
			finished = run;
		});
		await new WorkflowExecute(
			additionalData(credentials, hooks),
			'manual',
			asked.run.data,
		).processRunExecutionData(workflow);
		const output = finished!.data.resultData.runData[node.name].at(-1)!.data!.main[0]!;
		expect(output.map((item) => item.json)).toEqual([
			{
				answered: false,
				timedOut: true,
				contactPhone: CONTACT,
				questionMessageId: expect.any(Number),
				questionWhatsappMessageId: expect.any(String),
				askedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			},
		]);
		expect(finished!.status).toBe('success');
		expect(questionRequest()).toBeDefined();
	});

	it('resumes once, with the tapped answer, when the contact taps a button (delivered twice)', async () => {
		await ask({ approvalOptions: { approveLabel: 'Confirm', declineLabel: 'Reschedule' } });
		const decline = buttonIds()[1];
		const tap = sandbox.inbound({
			from: CONTACT,
			name: 'Sara',
			interactive: { reply_id: decline, title: 'Reschedule' },
			duplicate: 2,
		});
		await settle();
		const delivered = sandbox
			.deliveries()
			.filter((delivery) => delivery.body.message_id === tap.message_id);
		expect(delivered).toHaveLength(2);

		expect(waiting.resumed).toEqual([
			{
				answered: true,
				timedOut: false,
				approved: false,
				answer: { id: 'decline', title: 'Reschedule' },
				contactPhone: CONTACT,
				contactName: 'Sara',
				answeredAt: delivered[0].body.timestamp,
				messageId: tap.message_id,
				whatsappMessageId: tap.id,
			},
		]);
		expect(waiting.resumes.filter((resume) => resume.status === 200)).toHaveLength(1);
		expect(waiting.resumes[0].signature).toBe(parseAnswerId(decline, CONTACT)!.resumeSignature);
		expect(host.executions).toEqual([]);
		expect(sandbox.deliveries().every((delivery) => delivery.status === 200)).toBe(true);

		// A late tap (the execution is no longer waiting) starts nothing and is answered 200.
		sandbox.inbound({ from: CONTACT, interactive: { reply_id: decline, title: 'Reschedule' } });
		await settle();
		expect(waiting.resumed).toHaveLength(1);
		expect(waiting.resumes.at(-1)?.status).toBe(409);
		expect(host.executions).toEqual([]);
		expect(sandbox.deliveries().every((delivery) => delivery.status === 200)).toBe(true);
	});

	it.each([
		{
			why: 'n8n cannot take it (503 twice)',
			make: (waiting: WaitingExecutions) => (waiting.unavailable = 2),
			n8nAnswers: [503, 503, 200],
		},
		{
			why: 'it came before n8n saved the execution as waiting (409 "running already")',
			make: (waiting: WaitingExecutions) => (waiting.stillRunning = 1),
			n8nAnswers: [409, 200],
		},
	])(
		'has Azeer deliver the answer again while $why, and resumes once',
		async ({ make, n8nAnswers }) => {
			await ask({});
			const approve = buttonIds()[0];
			make(waiting);
			const tap = sandbox.inbound({
				from: CONTACT,
				interactive: { reply_id: approve, title: 'Approve' },
			});
			await settle();
			const attempts = sandbox
				.deliveries()
				.filter((delivery) => delivery.body.message_id === tap.message_id);
			// Each refused forward failed Azeer's attempt (500); the last attempt resumed the execution.
			expect(attempts.map((attempt) => attempt.status)).toEqual(
				n8nAnswers.map((status) => (status === 200 ? 200 : 500)),
			);
			expect(waiting.resumes.map((resume) => resume.status)).toEqual(n8nAnswers);
			expect(waiting.resumed).toEqual([
				expect.objectContaining({ approved: true, answer: { id: 'approve', title: 'Approve' } }),
			]);
			expect(host.executions).toEqual([]);
		},
	);

	it('forwards a tap once when it reaches two triggers of the credential, also through a retry', async () => {
		// n8n checks that an execution waits before it resumes it, so two forwards at once would
		// both resume it.
		await withSecondTrigger(async (second) => {
			await ask({});
			waiting.unavailable = 1;
			const approve = buttonIds()[0];
			const tap = sandbox.inbound({
				from: CONTACT,
				interactive: { reply_id: approve, title: 'Approve' },
			});
			await settle();
			await second.idle();
			// The 503 made Azeer retry.
			expectBothWebhooksAnswered(tap);
			expect(waiting.resumes.map((resume) => resume.status)).toEqual([503, 200]);
			expect(waiting.resumed).toEqual([
				expect.objectContaining({ approved: true, answer: { id: 'approve', title: 'Approve' } }),
			]);
			expect(host.executions).toEqual([]);
			expect(second.executions).toEqual([]);
		});
	});

	it('sends a Choice list and returns the picked row', async () => {
		await ask({
			responseType: 'choice',
			choiceStyle: 'list',
			listButton: 'Rate',
			choices: {
				choice: [1, 2, 3, 4, 5].map((stars) => ({ id: `stars-${stars}`, title: `${stars} stars` })),
			},
		});
		const interactive = (questionRequest().body as IDataObject).interactive as {
			type: string;
			action: { button: string; sections: Array<{ rows: Array<{ id: string; title: string }> }> };
		};
		expect(interactive.type).toBe('list');
		expect(interactive.action.button).toBe('Rate');
		const rows = interactive.action.sections[0].rows;
		expect(rows.map((row) => row.title)).toEqual([
			'1 stars',
			'2 stars',
			'3 stars',
			'4 stars',
			'5 stars',
		]);
		sandbox.inbound({ from: CONTACT, interactive: { reply_id: rows[3].id, title: rows[3].title } });
		await settle();
		expect(waiting.resumed).toEqual([
			expect.objectContaining({
				answer: { id: 'stars-4', title: '4 stars' },
				contactPhone: CONTACT,
			}),
		]);
		expect(waiting.resumed[0]).not.toHaveProperty('approved');
	});

	it('resumes nothing for a forged reference, a reference sent by another contact, or an unsigned forward', async () => {
		await ask({});
		const approve = buttonIds()[0];
		const forgedMac = `${approve.slice(0, -22)}${'A'.repeat(22)}`;
		const otherChoice = approve.replace('.approve.', '.decline.');
		sandbox.inbound({ from: CONTACT, interactive: { reply_id: forgedMac, title: 'Approve' } });
		sandbox.inbound({ from: CONTACT, interactive: { reply_id: otherChoice, title: 'Decline' } });
		sandbox.inbound({ from: OTHER_CONTACT, interactive: { reply_id: approve, title: 'Approve' } });
		await settle();
		expect(waiting.resumes).toEqual([]);
		expect(host.executions).toEqual([]);
		expect(sandbox.deliveries().every((delivery) => delivery.status === 200)).toBe(true);
		const ignoredFor = expectLogged(
			'warn',
			/^Azeer Trigger: ignored a reply with an answer reference that is not valid for contact \d+ \(forged, sent to another contact, or made with another Azeer credential\)$/,
		).map((line) => /for contact (\d+)/.exec(line.message)?.[1]);
		expect(ignoredFor.sort()).toEqual([OTHER_CONTACT, CONTACT, CONTACT].sort());

		// Straight to the waiting webhook: without the listener's signature, or with a stale one.
		const forward = { replyId: approve, from: CONTACT, text: 'Approve' };
		const stale = String(Math.floor(Date.now() / 1000) - 3600);
		const refusedHeaders: Array<Record<string, string>> = [
			{},
			{
				[FORWARD_SIGNATURE_HEADER]: 'sha256=00',
				[FORWARD_TIMESTAMP_HEADER]: String(Math.floor(Date.now() / 1000)),
			},
			{
				[FORWARD_SIGNATURE_HEADER]: forwardSignature(key(), stale, JSON.stringify(forward)),
				[FORWARD_TIMESTAMP_HEADER]: stale,
			},
		];
		for (const headers of refusedHeaders) expect(await postToWaiting(forward, headers)).toBe(401);
		// Signed by the listener but naming another execution: refused. The same forward for this
		// execution is the control that shows the refusals above are about the signature alone.
		const signedPost = async (replyId: string) =>
			await postToWaiting({ replyId, from: CONTACT, text: 'Approve' });
		const otherExecution = answerId(
			key(),
			{ executionId: '999', nodeId: NODE_ID, contact: CONTACT, resumeSignature: '' },
			'approve',
		);
		expect(await signedPost(otherExecution)).toBe(401);
		expect(waiting.resumes).toHaveLength(4);
		expect(refusalsLogged()).toEqual([
			...refusedHeaders.map(
				() => 'the answer was not forwarded by an Azeer Trigger with the same credential',
			),
			'the answer belongs to another execution or node',
		]);
		for (const line of loggedLines()) expect(lineText(line)).not.toContain(sandbox.apiKey);
		expect(waiting.resumed).toEqual([]);
		expect(await signedPost(approve)).toBe(200);
		expect(waiting.resumed).toEqual([
			expect.objectContaining({ approved: true, answer: { id: 'approve', title: 'Approve' } }),
		]);
	});

	it('finds the waiting webhook next to the trigger URL, test or production', () => {
		expect(waitingBaseUrl('https://n8n.example.com/sub/webhook/0f0c/webhook')).toBe(
			'https://n8n.example.com/sub/webhook-waiting',
		);
		expect(waitingBaseUrl('http://127.0.0.1:5678/webhook-test/0f0c/webhook')).toBe(
			'http://127.0.0.1:5678/webhook-waiting',
		);
	});

	it('lets ordinary messages through to the trigger workflow', async () => {
		await ask({});
		sandbox.inbound({ from: CONTACT, text: 'Can we do 11:00 instead?' });
		await settle();
		expect(waiting.resumes).toEqual([]);
		expect(host.executions.map((execution) => execution.items[0].json.text)).toEqual([
			'Can we do 11:00 instead?',
		]);
	});

	describe('the credential saved again with the same key in another accepted form', () => {
		const forms = () => {
			const apiKey = sandbox.keys.readWrite[0];
			return [`Bearer ${apiKey}`, `  ${apiKey}\n`, apiKey];
		};
		const saveKeyAs = (form: string) => {
			credentials.azeerApi.apiKey = form;
		};

		it('passes deliveries, taps and written answers, also across the change', async () => {
			// The trigger registered its webhooks with the bare key (beforeEach).
			for (const [index, form] of forms().entries()) {
				saveKeyAs(form);
				sandbox.inbound({ from: OTHER_CONTACT, name: 'Omar', text: `hello ${index}` });
				await settle();
				expect(host.executions.at(-1)?.items[0].json.text).toBe(`hello ${index}`);

				// Asked with this form, tapped after the next one was saved.
				sandbox.clearRequests();
				await ask({});
				const approve = buttonIds()[0];
				saveKeyAs(forms()[(index + 1) % 3]);
				sandbox.inbound({ from: CONTACT, interactive: { reply_id: approve, title: 'Approve' } });
				await settle();
				expect(waiting.resumed).toHaveLength(index + 1);
				expect(waiting.resumed.at(-1)).toMatchObject({ approved: true, answer: { id: 'approve' } });
			}

			saveKeyAs(forms()[0]);
			await ask({ responseType: 'freeText', question: 'What time suits you tomorrow?' });
			saveKeyAs(forms()[1]);
			sandbox.inbound({ from: CONTACT, name: 'Sara', text: 'At 11:00' });
			await settle();
			expect(waiting.resumed.at(-1)).toMatchObject({
				answered: true,
				answer: { text: 'At 11:00' },
			});
			expect(waiting.resumed).toHaveLength(4);
			expect(host.executions).toHaveLength(3);
			expect(sandbox.deliveries().map((delivery) => delivery.status)).toEqual(
				sandbox.deliveries().map(() => 200),
			);
		});
	});

	describe('written replies', () => {
		const FREE_TEXT = { responseType: 'freeText', question: 'What time suits you tomorrow?' };
		const ACCEPT = { waitOptions: { otherReplies: 'accept' } };

		/** The node's whole output for `reply`, typed by Sara. */
		const typedOutput = (reply: ReturnType<Sandbox['inbound']>, text: string) => ({
			answered: true,
			timedOut: false,
			answer: { text },
			contactPhone: CONTACT,
			contactName: 'Sara',
			answeredAt: deliveriesOf(reply)[0].body.timestamp,
			messageId: reply.message_id,
			whatsappMessageId: reply.id,
		});

		it("sends a Free Text question as a text message and resumes with the contact's next message", async () => {
			const result = await ask(FREE_TEXT);
			expect(result.error).toBeUndefined();
			const request = questionRequest();
			expect(request.query).toEqual({ create: 'false' });
			expect(request.body).toEqual({
				recipient_type: 'individual',
				to: CONTACT,
				type: 'text',
				text: { body: 'What time suits you tomorrow?' },
			});
			expect(result.run.status).toBe('waiting');

			const reply = sandbox.inbound({ from: CONTACT, name: 'Sara', text: 'After 4 pm please' });
			await settle();
			expect(deliveriesOf(reply).map((delivery) => delivery.status)).toEqual([200]);
			expect(waiting.resumed).toEqual([typedOutput(reply, 'After 4 pm please')]);
			expect(host.executions).toEqual([]);

			// Answered: the contact's next message is an ordinary one, and is not forwarded.
			sandbox.inbound({ from: CONTACT, text: 'Thanks!' });
			await settle();
			expect(waiting.resumes).toHaveLength(1);
			expect(host.executions.map((execution) => execution.items[0].json.text)).toEqual(['Thanks!']);
		});

		it('takes a media message as the answer, with its caption', async () => {
			await ask(FREE_TEXT);
			const reply = sandbox.inbound({ from: CONTACT, media: { type: 'image' }, text: 'receipt' });
			await settle();
			const [delivered] = deliveriesOf(reply);
			expect(waiting.resumed).toEqual([
				expect.objectContaining({
					answered: true,
					answer: {
						text: 'receipt',
						mediaType: 'image',
						mediaUrl: delivered.body.filename_url,
						mediaMimeType: 'image/jpeg',
						mediaId: delivered.body.media_id,
					},
					messageId: reply.message_id,
				}),
			]);
		});

		it('rejects an empty Free Text question before sending anything', async () => {
			const result = await ask({ ...FREE_TEXT, question: '  ' });
			expect(result.error?.message).toMatch(/question must have 1 to 4096 characters \(it has 0\)/);
			expect(sandbox.requests()).toEqual([]);
		});

		it.each([
			['Approval', {}],
			[
				'Choice list',
				{
					responseType: 'choice',
					choiceStyle: 'list',
					listButton: 'Pick',
					choices: { choice: [{ id: 'morning', title: 'Morning' }] },
				},
			],
		])(
			'accepts a written reply to a %s question with "Accept as the Answer"',
			async (_, parameters) => {
				await ask({ ...parameters, ...ACCEPT });
				const reply = sandbox.inbound({ from: CONTACT, name: 'Sara', text: 'Can we do 11:00?' });
				await settle();
				expect(waiting.resumed).toEqual([typedOutput(reply, 'Can we do 11:00?')]);
				expect(host.executions).toEqual([]);
			},
		);

		it('ignores a written reply with "Ignore and Keep Waiting": the workflow gets it, a tap answers', async () => {
			await ask({ waitOptions: { otherReplies: 'ignore' } });
			sandbox.inbound({ from: CONTACT, text: 'Can we do 11:00?' });
			await settle();
			expect(waiting.resumes).toEqual([]);
			expect(host.executions.map((execution) => execution.items[0].json.text)).toEqual([
				'Can we do 11:00?',
			]);
			sandbox.inbound({
				from: CONTACT,
				interactive: { reply_id: buttonIds()[0], title: 'Approve' },
			});
			await settle();
			expect(waiting.resumed).toEqual([
				expect.objectContaining({ approved: true, answer: { id: 'approve', title: 'Approve' } }),
			]);
		});

		it('a tap answers an "Accept" question; a typed message after it is an ordinary one', async () => {
			await ask(ACCEPT);
			sandbox.inbound({
				from: CONTACT,
				interactive: { reply_id: buttonIds()[1], title: 'Decline' },
			});
			await settle();
			sandbox.inbound({ from: CONTACT, text: 'Sorry, wrong button' });
			await settle();
			expect(waiting.resumes).toHaveLength(1);
			expect(waiting.resumed).toEqual([expect.objectContaining({ approved: false })]);
			expect(host.executions.map((execution) => execution.items[0].json.text)).toEqual([
				'Sorry, wrong button',
			]);
		});

		it("is not resolved by another contact's message, nor routed by a trigger with another credential", async () => {
			await ask(FREE_TEXT);
			sandbox.inbound({ from: OTHER_CONTACT, text: 'After 4 pm' });
			await settle();
			expect(waiting.resumes).toEqual([]);
			expect(host.executions.map((execution) => execution.items[0].json.contactPhone)).toEqual([
				OTHER_CONTACT,
			]);

			// The same account's webhook, activated with the account's other API key.
			await host.deactivate();
			const other = await TriggerHost.start({
				parameters: { events: ['incoming_msg'] },
				credentials: { azeerApi: { apiKey: sandbox.keys.readWrite[1], baseUrl: sandbox.baseUrl } },
				waiting: waiting.serve,
			});
			try {
				await other.activate();
				sandbox.inbound({ from: CONTACT, text: 'After 4 pm' });
				await settle();
				await other.idle();
				expect(waiting.resumes).toEqual([]);
				expect(other.executions.map((execution) => execution.items[0].json.text)).toEqual([
					'After 4 pm',
				]);
			} finally {
				await other.deactivate();
				await other.stop();
			}
			// Still waiting, and still answered through a trigger with its own credential.
			await host.activate();
			sandbox.inbound({ from: CONTACT, text: 'After 5 pm then' });
			await settle();
			expect(waiting.resumed).toEqual([
				expect.objectContaining({ answer: { text: 'After 5 pm then' } }),
			]);
		});

		it('is forwarded once when it reaches two triggers of the credential, also through a retry', async () => {
			await withSecondTrigger(async (second) => {
				await ask(FREE_TEXT);
				waiting.unavailable = 1;
				const reply = sandbox.inbound({ from: CONTACT, text: 'After 4 pm' });
				await settle();
				await second.idle();
				// The 503 made Azeer retry.
				expectBothWebhooksAnswered(reply);
				expect(waiting.resumes.map((resume) => resume.status)).toEqual([503, 200]);
				expect(waiting.resumed).toEqual([
					expect.objectContaining({ answer: { text: 'After 4 pm' } }),
				]);
				expect(host.executions).toEqual([]);
				expect(second.executions).toEqual([]);
			});
		});

		it('refuses typed forwards that are not signed, or that the question does not take', async () => {
			await ask({});
			const approve = buttonIds()[0];
			const { resumeSignature } = parseAnswerId(approve, CONTACT)!;
			const writtenReference = answerId(
				key(),
				{ executionId: EXECUTION_ID, nodeId: NODE_ID, contact: CONTACT, resumeSignature },
				'typed-reply',
			);
			const written = { replyId: writtenReference, from: CONTACT, written: true, text: 'Yes' };
			expect(await postToWaiting(written, {})).toBe(401);
			// Signed, but this Approval question ignores other replies.
			expect(await postToWaiting(written)).toBe(401);
			// Signed, but a button's reference is not a written reply's.
			expect(await postToWaiting({ ...written, replyId: approve })).toBe(401);
			expect(refusalsLogged()).toEqual([
				'the answer was not forwarded by an Azeer Trigger with the same credential',
				'the answer does not fit this question (typed or tapped)',
				'the answer does not fit this question (typed or tapped)',
			]);
			expect(waiting.resumed).toEqual([]);
			expect(await postToWaiting({ replyId: approve, from: CONTACT, text: 'Approve' })).toBe(200);
		});

		it('refuses a forward to a Free Text question from another contact, or as a tap', async () => {
			await ask(FREE_TEXT);
			// The reference the question registered (the MAC does not cover n8n's resume signature).
			const reference = answerId(
				key(),
				{ executionId: EXECUTION_ID, nodeId: NODE_ID, contact: CONTACT, resumeSignature: '' },
				'typed-reply',
			);
			const written = { replyId: reference, from: CONTACT, written: true, text: 'After 4 pm' };
			expect(await postToWaiting({ ...written, from: OTHER_CONTACT })).toBe(401);
			expect(await postToWaiting({ ...written, written: false })).toBe(401);
			expect(refusalsLogged()).toEqual([
				'the answer reference is not valid for this contact',
				'the answer does not fit this question (typed or tapped)',
			]);
			expect(waiting.resumed).toEqual([]);
			expect(await postToWaiting(written)).toBe(200);
			expect(waiting.resumed).toEqual([
				expect.objectContaining({ answer: { text: 'After 4 pm' }, contactPhone: CONTACT }),
			]);
		});
	});

	it.each([
		['a number without country code', { to: '054 435 1828' }, /not a valid phone number/],
		[
			'a choice ID with a dot',
			{ responseType: 'choice', choices: { choice: [{ id: 'a.b', title: 'A' }] } },
			/Choice ID "a\.b" cannot be used/,
		],
		[
			'four buttons',
			{
				responseType: 'choice',
				choices: { choice: ['a', 'b', 'c', 'd'].map((id) => ({ id, title: id })) },
			},
			/reply buttons: 4 given/,
		],
		[
			'an approve label over 20 characters',
			{ approvalOptions: { approveLabel: 'Yes I will be there on time' } },
			/button 1 title has 27 characters/,
		],
	])('rejects %s before sending anything', async (_, parameters, message) => {
		const result = await ask(parameters);
		expect(result.error?.message).toMatch(message);
		expect(sandbox.requests().filter((request) => request.path === '/v1/message/send')).toEqual([]);
	});

	it('refuses several input items: one execution asks one contact', async () => {
		const result = await ask({}, [{ json: {} }, { json: {} }]);
		expect(result.error?.message).toMatch(/one contact per execution, but it received 2 items/);
		expect(sandbox.requests()).toEqual([]);
	});
});
