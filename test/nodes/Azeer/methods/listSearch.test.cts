import {
	searchAgentEmails,
	searchAgents,
	searchTemplates,
	searchWebhooks,
} from '../../../../nodes/Azeer/methods/listSearch';
import { useSandbox } from '../fixtures.cjs';
import { loadOptionsContext } from '../methodContext.cjs';

const env = useSandbox();
const context = () =>
	loadOptionsContext(env.sandbox, { resource: 'message', operation: 'sendTemplate' });

describe("search dropdowns run with n8n-core's LoadOptionsContext against the sandbox", () => {
	it('searchTemplates lists approved templates as "name (language)" and filters', async () => {
		const all = await searchTemplates.call(context());
		expect(all.results).toEqual([
			{ name: 'hello_world (en)', value: 'hello_world|en' },
			{ name: 'order_update (en)', value: 'order_update|en' },
			{ name: 'otp_code (en)', value: 'otp_code|en' },
			{ name: 'welcome_offer (ar)', value: 'welcome_offer|ar' },
			{ name: 'welcome_offer (en)', value: 'welcome_offer|en' },
		]);
		const filtered = await searchTemplates.call(context(), 'welcome');
		expect(filtered.results.map((result) => result.value)).toEqual([
			'welcome_offer|ar',
			'welcome_offer|en',
		]);
		const [request] = env.requests();
		expect(request).toMatchObject({ method: 'GET', path: '/v1/partner/templates' });
		expect(request.headers.authorization).toBe(`Bearer ${env.sandbox.apiKey}`);
	});

	it('searchAgents / searchAgentEmails give IDs / emails', async () => {
		expect((await searchAgents.call(context())).results).toEqual([
			{ name: 'Omar Agent (omar@example.com)', value: '2' },
			{ name: 'Sara Admin (sara@example.com)', value: '1' },
		]);
		expect((await searchAgentEmails.call(context(), 'sara')).results).toEqual([
			{ name: 'Sara Admin (sara@example.com)', value: 'sara@example.com' },
		]);
	});

	it('searchWebhooks lists the webhooks', async () => {
		expect((await searchWebhooks.call(context())).results).toEqual([]);
	});
});
