/**
 * Message → Send and Wait for Response, run: reads and checks the question, sends it with reply
 * buttons or a list whose IDs are signed answer references (answerReference.ts), or as text, and
 * puts the execution into n8n's waiting state. A question that takes a written reply is registered
 * in pendingQuestions.ts for the Azeer Trigger (answerRouting.ts).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, WAIT_INDEFINITELY } from 'n8n-workflow';

import { credentialApiKey } from '../credential';
import { invalidInput } from '../errors';
import {
	buildInteractive,
	INTERACTIVE_LIMITS,
	interactiveProblems,
	TEXT_LIMIT,
} from '../interactive';
import type { InteractiveInput } from '../interactive';
import { invalidPhoneMessage, normalizePhone, PHONE_HINT } from '../phone';
import { azeerApiRequest } from '../transport';
import { answerId, answerKey } from './answerReference';
import type { AnswerTarget } from './answerReference';
import { registerPendingQuestion } from './pendingQuestions';
import { FREE_TEXT, takesWrittenReplies, WRITTEN_REPLY, APPROVE, DECLINE } from './question';

/** A choice ID travels inside the signed reference, so it is kept short and free of separators. */
const CHOICE_ID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;

interface Choice {
	id: string;
	title: string;
	description?: string;
}

const text = (value: unknown) => String(value ?? '').trim();

function approvalChoices(context: IExecuteFunctions): Choice[] {
	const approval = context.getNodeParameter('approvalOptions', 0, {}) as IDataObject;
	const choices = [{ id: APPROVE, title: text(approval.approveLabel ?? 'Approve') }];
	if ((approval.approvalType ?? 'double') === 'double') {
		choices.push({ id: DECLINE, title: text(approval.declineLabel ?? 'Decline') });
	}
	return choices;
}

function listedChoices(context: IExecuteFunctions): Choice[] {
	const rows = context.getNodeParameter('choices.choice', 0, []) as IDataObject[];
	return rows.map((row) => ({
		id: text(row.id),
		title: text(row.title),
		description: text(row.description) || undefined,
	}));
}

function fail(context: IExecuteFunctions, message: string, description?: string): never {
	throw invalidInput(context.getNode(), 0, message, description);
}

interface Question {
	to: string;
	/** The interactive message without its choices; undefined for Free Text (a text message). */
	input?: Omit<InteractiveInput, 'buttons' | 'sections'>;
	body: string;
	choices: Choice[];
}

/** Reads and checks the question before anything is sent. */
function readQuestion(context: IExecuteFunctions): Question {
	const rawTo = context.getNodeParameter('to', 0, '') as string;
	const to = normalizePhone(rawTo);
	if (!to) fail(context, invalidPhoneMessage(rawTo), PHONE_HINT);
	const responseType = context.getNodeParameter('responseType', 0, 'approval') as string;
	const body = text(context.getNodeParameter('question', 0, ''));
	if (responseType === FREE_TEXT) {
		if (body.length === 0 || body.length > TEXT_LIMIT) {
			fail(
				context,
				`The question must have 1 to ${TEXT_LIMIT} characters (it has ${body.length})`,
				'Write the question the contact answers by typing their reply.',
			);
		}
		return { to, body, choices: [] };
	}
	const choices = responseType === 'approval' ? approvalChoices(context) : listedChoices(context);
	const badIds = choices
		.filter((choice) => !CHOICE_ID_PATTERN.test(choice.id))
		.map((choice) => `"${choice.id}"`);
	if (badIds.length) {
		fail(
			context,
			`Choice ID ${badIds.join(', ')} cannot be used`,
			'Give every choice an ID of 1 to 40 letters, digits, "-" or "_"; it comes back in the output when the contact picks it.',
		);
	}
	const asList =
		responseType === 'choice' && context.getNodeParameter('choiceStyle', 0, 'buttons') === 'list';
	const footer = text(context.getNodeParameter('waitOptions.footer', 0, '')) || undefined;
	return {
		to,
		body,
		choices,
		input: {
			type: asList ? 'list' : 'button',
			body,
			footer,
			listButton: asList ? text(context.getNodeParameter('listButton', 0, '')) : undefined,
		},
	};
}

/** The interactive message, each choice's ID replaced by its signed reference. */
function signedInteractive(
	input: NonNullable<Question['input']>,
	choices: Choice[],
	key: Buffer,
	target: AnswerTarget,
): InteractiveInput {
	const withReference = (choice: Choice) => ({ ...choice, id: answerId(key, target, choice.id) });
	if (input.type === 'button') return { ...input, buttons: choices.map(withReference) };
	return { ...input, sections: [{ rows: choices.map(withReference) }] };
}

const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

function waitTill(context: IExecuteFunctions): Date {
	const limit = context.getNodeParameter('waitOptions.limitWaitTime.values', 0, {}) as IDataObject;
	if (Object.keys(limit).length === 0) return WAIT_INDEFINITELY;
	const until =
		limit.limitType === 'atSpecifiedTime'
			? new Date(String(limit.maxDateAndTime ?? ''))
			: new Date(
					Date.now() +
						Number(limit.resumeAmount ?? 1) *
							(UNIT_SECONDS[String(limit.resumeUnit ?? 'hours')] ?? 3600) *
							1000,
				);
	if (Number.isNaN(until.getTime())) {
		fail(
			context,
			`Limit Wait Time "${String(limit.maxDateAndTime)}" is not a date and time`,
			'Give a date and time such as 2026-12-01T10:00:00.',
		);
	}
	return until;
}

/**
 * n8n 2.x lets a waiting execution resume only through a URL that carries its signature
 * (`getSignedResumeUrl`); the listener needs it to reach the execution. Older n8n has none.
 */
function resumeSignature(context: IExecuteFunctions): string {
	if (typeof context.getSignedResumeUrl !== 'function') return '';
	return new URL(context.getSignedResumeUrl()).searchParams.get('signature') ?? '';
}

/** The question's interactive message, checked against WhatsApp's limits. */
function checkedInteractive(
	context: IExecuteFunctions,
	input: NonNullable<Question['input']>,
	choices: Choice[],
	key: Buffer,
	target: AnswerTarget,
): IDataObject {
	const interactive = signedInteractive(input, choices, key, target);
	const problems = interactiveProblems(interactive);
	if (problems.length) {
		fail(
			context,
			`The question breaks WhatsApp's limits: ${problems.join('; ')}`,
			`WhatsApp allows 1-3 reply buttons (title up to ${INTERACTIVE_LIMITS.buttonTitle} characters) or a list of up to ${INTERACTIVE_LIMITS.rows} rows (title up to ${INTERACTIVE_LIMITS.rowTitle} characters).`,
		);
	}
	return buildInteractive(interactive);
}

/** Sends the question, then waits. */
export async function sendAndWaitExecute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length !== 1) {
		throw new NodeOperationError(
			this.getNode(),
			`Send and Wait asks one contact per execution, but it received ${items.length} items`,
			{
				description:
					'Each waiting execution resumes on one answer. To ask many contacts, start one execution per contact: e.g. an Execute Workflow node in "Run once for each item" mode calling a workflow that contains this node.',
			},
		);
	}
	const question = readQuestion(this);
	const executionId = this.getExecutionId();
	if (!executionId) {
		throw new NodeOperationError(
			this.getNode(),
			'n8n gave this execution no ID, so no answer could find it',
		);
	}
	const limitUntil = waitTill(this);
	const key = answerKey(await credentialApiKey(this));
	const target: AnswerTarget = {
		executionId,
		nodeId: this.getNode().id,
		contact: question.to,
		resumeSignature: resumeSignature(this),
	};
	const message = question.input
		? {
				type: 'interactive',
				interactive: checkedInteractive(this, question.input, question.choices, key, target),
			}
		: { type: 'text', text: { body: question.body } };
	const createContact = this.getNodeParameter('waitOptions.createContact', 0, false) as boolean;
	const response = await azeerApiRequest(this, 'sendMessage', {
		qs: { create: createContact },
		body: { recipient_type: 'individual', to: question.to, ...message },
		itemIndex: 0,
	});
	const sent = (response.data ?? response) as IDataObject;
	const responseType = this.getNodeParameter('responseType', 0, 'approval') as string;
	const otherReplies = this.getNodeParameter('waitOptions.otherReplies', 0, 'ignore') as string;
	if (takesWrittenReplies(responseType, otherReplies)) {
		// Only once the question went out: the contact's next message here is then its answer.
		registerPendingQuestion(
			key,
			{ ...target, reference: answerId(key, target, WRITTEN_REPLY) },
			limitUntil,
			Date.now(),
		);
	}
	// n8n resumes a timed-out wait by passing this node's input on: that input becomes the
	// "no answer" item. An answer replaces it with what webhook() returns.
	items[0] = {
		json: {
			answered: false,
			timedOut: true,
			contactPhone: question.to,
			questionMessageId: sent.message_id,
			questionWhatsappMessageId: sent.id,
			askedAt: new Date().toISOString(),
		},
		pairedItem: { item: 0 },
	};
	await this.putExecutionToWait(limitUntil);
	return [items];
}
