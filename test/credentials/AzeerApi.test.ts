import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { AzeerApi } from '../../credentials/AzeerApi.credentials';
import { testCredential } from '../harness/credential-test';

const GOOD_KEY = 'eyJhbGciOiJIUzI1NiJ9.good-key.signature';

describe('AzeerApi credential', () => {
	let server: Server;
	let baseUrl: string;
	const seen: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders }> = [];

	beforeAll(async () => {
		server = createServer((req, res) => {
			seen.push({ method: req.method, url: req.url, headers: req.headers });
			const ok = req.headers.authorization === `Bearer ${GOOD_KEY}`;
			res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
			res.end(JSON.stringify(ok ? { success: true, data: [] } : { success: false, message: 'Unauthorized' }));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
	});

	afterAll(async () => await new Promise((resolve) => server.close(resolve)));
	beforeEach(() => (seen.length = 0));

	it('passes its test request with a good key and sends exactly "Bearer <key>"', async () => {
		const result = await testCredential(new AzeerApi(), { azeerApi: { apiKey: GOOD_KEY, baseUrl } });
		expect(result.error).toBeUndefined();
		expect(seen).toHaveLength(1);
		expect(seen[0].method).toBe('GET');
		expect(seen[0].url).toBe('/v1/tags');
		expect(seen[0].headers.authorization).toBe(`Bearer ${GOOD_KEY}`);
	});

	it('tolerates a trailing slash on the base URL', async () => {
		const result = await testCredential(new AzeerApi(), {
			azeerApi: { apiKey: GOOD_KEY, baseUrl: `${baseUrl}//` },
		});
		expect(result.error).toBeUndefined();
		expect(seen[0].url).toBe('/v1/tags');
	});

	it('fails its test request with a bad key, without echoing the key', async () => {
		const badKey = 'not-the-right-key-0123456789';
		const result = await testCredential(new AzeerApi(), { azeerApi: { apiKey: badKey, baseUrl } });
		expect(result.error).toBeDefined();
		expect(seen[0].headers.authorization).toBe(`Bearer ${badKey}`);
		expect(JSON.stringify(result.error)).not.toContain(badKey);
		expect(String(result.error?.message)).not.toContain(badKey);
	});

	it('defaults to the public Azeer base URL and masks the key field', () => {
		const props = Object.fromEntries(new AzeerApi().properties.map((p) => [p.name, p]));
		expect(props.baseUrl.default).toBe('https://api.mottasl.ai/v1');
		expect(props.apiKey.typeOptions?.password).toBe(true);
	});
});
