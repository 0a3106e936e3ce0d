/** The nodes' errors: the API's message with advice a user can act on, and bad-input errors. */
import type { IDataObject, IN8nHttpFullResponse, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/** The error body the Azeer API answers with (see contract/azeer.openapi.yaml). */
interface AzeerErrorBody {
	message?: string;
	code?: string;
	errors?: Array<{ field?: string; message?: string }>;
}

/** What to do about an error, by the API's error code first and the HTTP status second. */
const ADVICE_BY_CODE: Record<string, string> = {
	unauthorized:
		'The API key was not accepted: it is wrong, or it was revoked or regenerated. Paste a current key into the Azeer credential (Mottasl → Settings → Webhooks & APIs → API).',
	forbidden:
		'This API key is "Read only", so it can list and read but not send or change anything. Create a "Read and write" key in Mottasl → Settings → Webhooks & APIs and use it in the credential.',
	session_window_closed:
		"WhatsApp allows free-form messages only within 24 hours of the contact's last message to you. Send an approved template instead (Message → Send Template); once the contact replies, free-form messages work again for 24 hours.",
	template_mismatch:
		"The values do not match the template's placeholders. Re-select the template so its variable fields reload, and give exactly one value per {{n}} in header, body and buttons.",
	template_not_approved:
		'Only approved templates can be sent. Wait for WhatsApp to approve it, or pick an approved template from the list.',
	template_not_found:
		'No template with this name exists in this language. Pick the template from the list, or check the name and language (e.g. order_update|en).',
	contact_not_found:
		'The number is not a contact yet. Turn on "Create Contact If Missing" in the send options, or create the contact first (Contact → Create).',
	payment_required:
		'The account has no free agent seat. Add seats to the Mottasl plan or deactivate another agent.',
	validation_error: 'The API rejected a field; the details name it. Fix the value and run again.',
	not_found: 'Nothing has this ID (any more). Check the ID, or pick the record from the list.',
	rate_limited:
		'Azeer kept answering "too many requests" after the node paused and retried this request many times. Another workflow or app may be using the same account heavily: set Options → Max Messages per Second lower, or run again later. A request answered 429 was not processed, so nothing went out twice.',
	recipient_rate_limited:
		'WhatsApp lets a business send only about one message every 6 seconds to the same number. The node paused and retried; send fewer messages to this number in a row.',
	internal_error:
		'Azeer could not process the request. For a send, the message may or may not have gone out, so the node did not retry it (no double sends); check the conversation before sending again.',
};

const CODE_BY_STATUS: Record<number, string> = {
	400: 'validation_error',
	401: 'unauthorized',
	402: 'payment_required',
	403: 'forbidden',
	404: 'not_found',
	429: 'rate_limited',
};

function errorBody(body: unknown): AzeerErrorBody {
	if (body && typeof body === 'object' && !Array.isArray(body)) return body as AzeerErrorBody;
	return {};
}

/** A NodeApiError with the API's own message and advice an n8n user can act on. */
export function apiErrorFromResponse(
	node: INode,
	response: Pick<IN8nHttpFullResponse, 'statusCode' | 'body'>,
	itemIndex?: number,
): NodeApiError {
	const body = errorBody(response.body);
	const status = response.statusCode;
	const code =
		body.code ?? CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal_error' : undefined);
	const fieldProblems = (body.errors ?? [])
		.map((problem) => [problem.field, problem.message].filter(Boolean).join(': '))
		.filter(Boolean);
	const advice = (code && ADVICE_BY_CODE[code]) ?? 'See the API response for details.';
	const description = fieldProblems.length ? `${fieldProblems.join('; ')}. ${advice}` : advice;
	const details: IDataObject = {
		httpCode: String(status),
		code: code ?? null,
		message: body.message ?? null,
	};
	if (fieldProblems.length) details.errors = fieldProblems;
	return new NodeApiError(node, details as JsonObject, {
		message: forTool(node, body.message ?? `Azeer answered HTTP ${status}`, description),
		description,
		httpCode: String(status),
		itemIndex,
	});
}

/** A problem with the node's input, found before any request was sent. */
export function invalidInput(
	node: INode,
	itemIndex: number,
	message: string,
	description?: string,
): NodeOperationError {
	return new NodeOperationError(
		node,
		forTool(node, `${message} [item ${itemIndex}]`, description),
		{ itemIndex, description },
	);
}

/**
 * An AI Agent gets only a tool error's message back (n8n-core's workflow-execute hands the model
 * `{ error: message }`), so as a tool ("Azeer Tool") the advice goes into the message too.
 */
function forTool(node: INode, message: string, description?: string): string {
	return node.type.endsWith('Tool') && description ? `${message}. ${description}` : message;
}
