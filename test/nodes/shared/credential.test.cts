import { apiBaseUrl, apiKeyOf } from '../../../nodes/shared/credential';
import { expectOneRequest, items, useSandbox } from '../Azeer/fixtures.cjs';

const env = useSandbox();

/** Ways people fill in the credential, each with what must reach the API. */
const pastedKeys = (key: string) => [
	`Bearer ${key}`,
	`bearer   ${key}`,
	`  ${key}\n`,
	`\n\tBearer ${key} \r\n`,
];
const baseUrls = (sandbox: typeof env.sandbox) => [
	sandbox.origin,
	`${sandbox.origin}/`,
	`${sandbox.origin}/v1/`,
	` ${sandbox.baseUrl}\n`,
];

describe('credential values as people paste them', () => {
	it('the programmatic readers strip Bearer and whitespace, and give a bare host its /v1', () => {
		for (const pasted of pastedKeys('k3y')) expect(apiKeyOf(pasted)).toBe('k3y');
		expect(apiBaseUrl('https://api.mottasl.ai')).toBe('https://api.mottasl.ai/v1');
		expect(apiBaseUrl('https://api.mottasl.ai//')).toBe('https://api.mottasl.ai/v1');
		expect(apiBaseUrl('https://api.mottasl.ai/v1/')).toBe('https://api.mottasl.ai/v1');
		expect(apiBaseUrl(' http://127.0.0.1:4010/v1\n')).toBe('http://127.0.0.1:4010/v1');
		// A path other than the root is the user's choice (a proxy, say): kept as it is.
		expect(apiBaseUrl('https://proxy.example.com/azeer/')).toBe('https://proxy.example.com/azeer');
	});

	it('a declarative operation sends "Bearer <key>" once to /v1, whatever was pasted', async () => {
		const urls = baseUrls(env.sandbox);
		const keys = pastedKeys(env.sandbox.apiKey);
		for (const [index, baseUrl] of urls.entries()) {
			env.sandbox.clearRequests();
			const result = await env.run(
				{ resource: 'tag', operation: 'getAll', returnAll: true },
				{ baseUrl, apiKey: keys[index] },
			);
			expect(result.error).toBeUndefined();
			expectOneRequest(env, { method: 'GET', path: '/v1/tags' });
		}
	});

	it('a programmatic operation (Create Many) does the same', async () => {
		const urls = baseUrls(env.sandbox);
		const keys = pastedKeys(env.sandbox.apiKey);
		for (const [index, baseUrl] of urls.entries()) {
			env.sandbox.clearRequests();
			const result = await env.run(
				{
					resource: 'contact',
					operation: 'createMany',
					mode: 'bulk',
					phone: '={{ $json.phone }}',
					contactName: '={{ $json.name }}',
					countryCode: 'SA',
				},
				{
					baseUrl,
					apiKey: keys[index],
					input: items(1, () => ({ phone: '966500000001', name: 'One' })),
				},
			);
			expect(result.error).toBeUndefined();
			expectOneRequest(env, { method: 'POST', path: '/v1/contact/bulk' });
		}
	});
});
