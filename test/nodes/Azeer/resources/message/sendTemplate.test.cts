import { NodeHelpers } from 'n8n-workflow';

import { Azeer } from '../../../../../nodes/Azeer/Azeer.node';
import { getTemplateVariables } from '../../../../../nodes/Azeer/methods/resourceMapping';
import { expectOneRequest, expectRejectedBeforeRequest, useSandbox } from '../../fixtures.cjs';
import { loadOptionsContext } from '../../methodContext.cjs';

const env = useSandbox();
const PHONE = '966544351828';

const byList = (value: string) => ({ __rl: true, mode: 'list', value });
const byName = (value: string) => ({ __rl: true, mode: 'name', value });

async function loadFields(template: ReturnType<typeof byList>) {
	const context = loadOptionsContext(env.sandbox, {
		resource: 'message',
		operation: 'sendTemplate',
		template,
	});
	return await getTemplateVariables.call(context);
}

/** The resource mapper's value as the editor stores it after loading the fields. */
async function mapped(template: ReturnType<typeof byList>, value: Record<string, string>) {
	const { fields } = await loadFields(template);
	env.sandbox.clearRequests();
	return {
		mappingMode: 'defineBelow',
		value,
		matchingColumns: [],
		schema: fields,
		attemptToConvertTypes: false,
		convertFieldsToString: true,
	};
}

const sendTemplate = (
	template: unknown,
	templateVariables: unknown,
	extra: Record<string, unknown> = {},
) =>
	env.run({
		resource: 'message',
		operation: 'sendTemplate',
		to: `00${PHONE}`,
		template,
		templateVariables,
		...extra,
	} as never);

describe('Template variables (resource mapper)', () => {
	it('builds one field per placeholder of header, body and buttons', async () => {
		const { fields } = await loadFields(byList('order_update|en'));
		expect(fields.map((field) => [field.id, field.displayName, field.required])).toEqual([
			['header_1', 'Header {{1}}', true],
			['body_1', 'Body {{1}}', true],
			['body_2', 'Body {{2}}', true],
			['button_1', 'Button {{1}}', true],
		]);
		expect(env.requests().map((request) => `${request.method} ${request.path}`)).toEqual([
			'GET /v1/partner/templates',
		]);
	});

	it('asks for the header image URL of a media template', async () => {
		const { fields } = await loadFields(byList('welcome_offer|ar'));
		expect(fields.map((field) => [field.id, field.type])).toEqual([
			['header_media_url', 'url'],
			['body_1', 'string'],
		]);
	});

	it('has no fields, and says so, for a template without placeholders', async () => {
		const result = await loadFields(byList('hello_world|en'));
		expect(result.fields).toEqual([]);
		expect(result.emptyFieldsNotice).toMatch(/no variables/);
	});
});

describe('Message → Send Template', () => {
	it("sends the values in the API's argument shape (picked from the list: no extra request)", async () => {
		const templateVariables = await mapped(byList('order_update|en'), {
			header_1: 'A-42',
			body_1: 'Sara',
			body_2: 'shipped',
			button_1: 'A-42',
		});
		const result = await sendTemplate(byList('order_update|en'), templateVariables, {
			sendOptions: { createContact: true },
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ to: PHONE, type: 'template', status: 'sent' });
		expectOneRequest(env, {
			method: 'POST',
			path: '/v1/message/send',
			query: { create: 'true' },
			body: {
				recipient_type: 'individual',
				type: 'template',
				to: PHONE,
				template: {
					template_id: 'order_update',
					language: 'en',
					argument: { HEADER: ['A-42'], BODY: ['Sara', 'shipped'], BUTTONS: ['A-42'] },
				},
			},
		});
	});

	it('sends a media header as a URL in HEADER', async () => {
		const templateVariables = await mapped(byList('welcome_offer|ar'), {
			header_media_url: `https://cdn.example.com/offer.jpg`,
			body_1: 'سارة',
		});
		const result = await sendTemplate(byList('welcome_offer|ar'), templateVariables, {
			sendOptions: { createContact: true },
		});
		expect(result.error).toBeUndefined();
		expect(env.requests()[0].body).toMatchObject({
			template: {
				template_id: 'welcome_offer',
				language: 'ar',
				argument: { HEADER: ['https://cdn.example.com/offer.jpg'], BODY: ['سارة'] },
			},
		});
	});

	it('is stopped by n8n itself when a loaded variable field is left empty', async () => {
		const templateVariables = await mapped(byList('order_update|en'), {
			header_1: 'A-42',
			body_1: 'Sara',
		});
		await expect(sendTemplate(byList('order_update|en'), templateVariables)).rejects.toThrow(
			/Variable "body_2" is required[\s\S]*Variable "button_1" is required/,
		);
		expect(env.requests()).toEqual([]);
	});

	it('rejects values that come out empty at run time before any request, naming what is missing', async () => {
		const templateVariables = await mapped(byList('order_update|en'), {
			header_1: 'A-42',
			body_1: 'Sara',
			body_2: '={{ $json.status }}',
			button_1: '={{ $json.order }}',
		});
		const result = await sendTemplate(byList('order_update|en'), templateVariables);
		expectRejectedBeforeRequest(
			env,
			result,
			/order_update \(en\): the template needs 4 value\(s\) \(1 header, 2 body, 1 buttons\) but 2 were given; missing: Body \{\{2\}\}, Button \{\{1\}\}/,
		);
	});

	it('fetches a template given by expression to check the values, then sends', async () => {
		const templateVariables = { mappingMode: 'defineBelow', value: { body_1: '123456' } };
		const result = await sendTemplate(byList('={{ "otp_code|en" }}'), templateVariables, {
			sendOptions: { createContact: true },
		});
		expect(result.error).toBeUndefined();
		expect(env.requests().map((request) => `${request.method} ${request.path}`)).toEqual([
			'GET /v1/partner/templates',
			'POST /v1/message/send',
		]);
		expect(env.requests()[1].body).toMatchObject({
			template: { template_id: 'otp_code', language: 'en', argument: { BODY: ['123456'] } },
		});
	});

	it('rejects a count mismatch of a template given by name, with only the lookup request sent', async () => {
		const templateVariables = {
			mappingMode: 'defineBelow',
			value: { body_1: '123456', body_2: 'extra' },
		};
		const result = await sendTemplate(byName('otp_code'), templateVariables);
		expect(result.error?.message).toMatch(
			/otp_code \(en\): the template needs 1 value\(s\) \(1 body\) but 2 were given; not in the template: body_2/,
		);
		expect(result.error?.context?.itemIndex).toBe(0);
		expect(env.requests().map((request) => request.method)).toEqual(['GET']);
	});

	it('refuses a template that is not approved', async () => {
		const result = await sendTemplate(byName('black_friday|en'), {
			mappingMode: 'defineBelow',
			value: { body_1: '50%' },
		});
		expect(result.error?.message).toMatch(/black_friday \(en\) is pending, not approved/);
		expect(env.requests().every((request) => request.method === 'GET')).toBe(true);
	});

	it('takes the values from the input item in "Map Automatically" mode', async () => {
		const result = await env.run(
			{
				resource: 'message',
				operation: 'sendTemplate',
				to: PHONE,
				template: byName('otp_code|en'),
				templateVariables: { mappingMode: 'autoMapInputData', value: null },
				sendOptions: { createContact: true },
			} as never,
			{ input: [{ json: { body_1: '987654' } }] },
		);
		expect(result.error).toBeUndefined();
		expect(env.requests()[1].body).toMatchObject({ template: { argument: { BODY: ['987654'] } } });
	});

	it("surfaces the API's template_mismatch with advice when the template changed since the fields were loaded", async () => {
		const stale = {
			mappingMode: 'defineBelow',
			value: { body_1: 'only one' },
			schema: [
				{
					id: 'body_1',
					displayName: 'Body {{1}}',
					required: true,
					defaultMatch: false,
					display: true,
				},
			],
		};
		const result = await sendTemplate(byList('order_update|en'), stale, {
			sendOptions: { createContact: true },
		});
		expect(result.error?.message).toMatch(/.+/);
		expect((result.error as unknown as { httpCode: string }).httpCode).toBe('400');
		expect(result.error?.description).toMatch(/one value per \{\{n\}\}/);
		expect(env.requests()).toHaveLength(1);
	});
});

describe('Send Template in the editor', () => {
	const { description } = new Azeer();
	const mapper = description.properties.find((property) => property.name === 'templateVariables')!;
	/** What the editor does: the node's parameters with their defaults, then the display check. */
	const shown = (template: ReturnType<typeof byList>) => {
		const values = NodeHelpers.getNodeParameters(
			description.properties,
			{ resource: 'message', operation: 'sendTemplate', template },
			true,
			false,
			{ typeVersion: 1 },
			description,
		)!;
		return NodeHelpers.displayParameter(values, mapper, { typeVersion: 1 }, description);
	};

	it('shows no variable fields (and so no "No variables found" error) before a template is chosen', () => {
		expect(shown(byList(''))).toBe(false);
		expect(shown(byList('order_update|en'))).toBe(true);
		expect(shown(byName('order_update'))).toBe(true);
	});
});
