import { AzeerApi } from '../../credentials/AzeerApi.credentials';
import { startSandbox } from '../../sandbox/index.cjs';
import type { Sandbox } from '../../sandbox/index.cjs';
import { testCredential } from '../harness/credential-test.cjs';

describe('AzeerApi credential', () => {
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await startSandbox({ statusDelayMs: -1 });
	});
	afterAll(async () => await sandbox.stop());
	beforeEach(() => sandbox.clearRequests());

	const check = async (apiKey: string, baseUrl = sandbox.baseUrl) =>
		await testCredential(new AzeerApi(), { azeerApi: { apiKey, baseUrl } });

	it('passes its test request with a good key and sends exactly "Bearer <key>"', async () => {
		const result = await check(sandbox.apiKey);
		expect(result.error).toBeUndefined();
		const [request, ...more] = sandbox.requests();
		expect(more).toHaveLength(0);
		expect(request).toMatchObject({ method: 'GET', path: '/v1/partner/templates', status: 200 });
		expect(request.headers.authorization).toBe(`Bearer ${sandbox.apiKey}`);
	});

	it('passes with a read-only key too: the test only reads', async () => {
		expect((await check(sandbox.readOnlyKey)).error).toBeUndefined();
	});

	it('tolerates trailing slashes on the base URL', async () => {
		expect((await check(sandbox.apiKey, `${sandbox.baseUrl}//`)).error).toBeUndefined();
		expect(sandbox.requests()[0].path).toBe('/v1/partner/templates');
	});

	it.each([
		['a leading "Bearer "', (key: string) => `Bearer ${key}`],
		['a lower-case "bearer" and spaces', (key: string) => `bearer  ${key}`],
		['spaces and line breaks around it', (key: string) => `  ${key}\r\n`],
		['both', (key: string) => `\n Bearer ${key}\t`],
	])('passes with a key pasted with %s, and sends "Bearer <key>" once', async (_, paste) => {
		expect((await check(paste(sandbox.apiKey))).error).toBeUndefined();
		expect(sandbox.requests()[0].headers.authorization).toBe(`Bearer ${sandbox.apiKey}`);
	});

	it.each([
		['a bare host', (s: Sandbox) => s.origin],
		['a bare host with a trailing slash', (s: Sandbox) => `${s.origin}/`],
		['/v1 and a trailing slash', (s: Sandbox) => `${s.baseUrl}/`],
		['spaces around it', (s: Sandbox) => ` ${s.baseUrl} `],
	])('passes with a base URL written as %s, calling /v1', async (_, baseUrl) => {
		expect((await check(sandbox.apiKey, baseUrl(sandbox))).error).toBeUndefined();
		expect(sandbox.requests().map((request) => request.path)).toEqual(['/v1/partner/templates']);
	});

	it('fails with a bad key, without echoing the key', async () => {
		const badKey = 'not-the-right-key-0123456789';
		const result = await check(badKey);
		expect(result.error).toBeDefined();
		expect(sandbox.requests()[0]).toMatchObject({ status: 401 });
		expect(sandbox.requests()[0].headers.authorization).toBe(`Bearer ${badKey}`);
		expect(JSON.stringify(result.error)).not.toContain(badKey);
		expect(String(result.error?.message)).not.toContain(badKey);
	});

	it('defaults to the public Azeer base URL and masks the key field', () => {
		const props = Object.fromEntries(new AzeerApi().properties.map((p) => [p.name, p]));
		expect(props.baseUrl.default).toBe('https://api.mottasl.ai/v1');
		expect(props.apiKey.typeOptions?.password).toBe(true);
	});
});
