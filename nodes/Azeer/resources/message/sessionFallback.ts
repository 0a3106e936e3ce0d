/**
 * "Outside the 24-Hour Window → Send a Template Instead" of the free-form sends: when Azeer
 * rejects the message with session_window_closed, the item's template is sent to the same
 * recipient with the same create/agent options, and the output says so.
 */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import { apiErrorFromResponse } from '../../../shared/errors';
import { fail } from '../../shared/requestHooks';
import { parameter } from '../../routing/itemState';
import { fetchApprovedTemplate } from '../../shared/templateApi';
import {
	buildTemplateArgument,
	parseTemplateRef,
	templateLabel,
	templateRefValue,
	templateVariables,
} from '../../shared/templates';
import type { Template } from '../../shared/templates';
import { assertJsonSuccess, azeerApiResponse } from '../../../shared/transport';

const SESSION_WINDOW_CLOSED = 'session_window_closed';
export const SEND_TEMPLATE_INSTEAD = 'sendTemplate';

/** What the free-form send carried that the template send keeps. */
const KEPT_BODY_FIELDS = ['recipient_type', 'to', 'source', 'agent_id'];

function bodyValues(context: IExecuteSingleFunctions): string[] {
	const collection = parameter<{ values?: Array<{ value?: unknown }> }>(
		context,
		'sendOptions.fallbackBodyValues',
		{},
	);
	return (collection.values ?? []).map((entry) => String(entry.value ?? ''));
}

function templateArgument(context: IExecuteSingleFunctions, template: Template) {
	const variables = templateVariables(template);
	const notInBody = variables.filter((variable) => variable.component !== 'BODY');
	if (notInBody.length) {
		fail(
			context,
			`Fallback template ${templateLabel(template)} has header or button placeholders (${notInBody.map((v) => v.label).join(', ')}); only body values can be given here`,
			'Pick a fallback template whose placeholders are all in the body, or send this template with Message → Send Template.',
		);
	}
	const values = Object.fromEntries(
		bodyValues(context).map((value, index) => [`body_${index + 1}`, value]),
	);
	const { argument, problems } = buildTemplateArgument(variables, values);
	if (problems.length) {
		fail(
			context,
			`Fallback template ${templateLabel(template)}: ${problems[0]}`,
			"Give one Fallback Body Value per {{n}} in the template's body, in order: the first value is {{1}}.",
		);
	}
	return argument;
}

/** ErrorRecovery of the free-form sends (see azeerResponseHandler). */
export async function sendTemplateInstead(
	context: IExecuteSingleFunctions,
	response: IN8nHttpFullResponse,
	sent: IHttpRequestOptions,
): Promise<IDataObject | undefined> {
	const errorCode = (response.body as IDataObject | undefined)?.code;
	if (response.statusCode !== 400 || errorCode !== SESSION_WINDOW_CLOSED) return undefined;
	if (parameter<string>(context, 'sendOptions.outsideWindow', 'fail') !== SEND_TEMPLATE_INSTEAD)
		return undefined;

	const ref = parseTemplateRef(parameter(context, 'sendOptions.fallbackTemplate', ''));
	if (!ref) {
		fail(
			context,
			'The 24-hour window is closed and no Fallback Template is set',
			'Set Options → Fallback Template to an approved template, e.g. order_update|en.',
		);
	}
	const template = await fetchApprovedTemplate(context, ref, 'Fallback template');
	const argument = templateArgument(context, template);
	const freeForm = (sent.body ?? {}) as IDataObject;
	const kept = Object.fromEntries(
		KEPT_BODY_FIELDS.filter((field) => field in freeForm).map((field) => [field, freeForm[field]]),
	);
	const itemIndex = context.getItemIndex();
	const templateResponse = await azeerApiResponse(context, 'sendMessage', {
		qs: sent.qs as IDataObject | undefined,
		followUp: true,
		body: {
			...kept,
			type: 'template',
			template: { template_id: template.name, language: template.language, argument },
		},
	});
	if (templateResponse.statusCode >= 400) {
		const error = apiErrorFromResponse(context.getNode(), templateResponse, itemIndex);
		error.message = `The 24-hour window is closed and the fallback template ${templateLabel(template)} was not sent either: ${error.message}`;
		throw error;
	}
	const result = assertJsonSuccess(context, templateResponse, itemIndex);
	const fallback = { reason: SESSION_WINDOW_CLOSED, template: templateRefValue(template) };
	return { ...result, data: { ...(result.data as IDataObject), fallback } };
}
