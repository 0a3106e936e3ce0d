/**
 * n8n's credential test (the editor's "Test" button, POST /rest/credentials/test) on the saved
 * sandbox credential: it passes as saved, passes when the key and base URL are written the way
 * people paste them, and fails with a wrong key without echoing it.
 */
import assert from 'node:assert/strict';

import type { Sandbox } from '../sandbox/index.cjs';
import type { N8nApi } from '../scripts/lib/n8n.cjs';
import { CREDENTIAL_NAME, CREDENTIAL_TYPE } from '../scripts/lib/stack.cjs';
import { check } from './checks.cjs';

export async function credentialChecks(
	api: N8nApi,
	sandbox: Sandbox,
	credentialId: string,
): Promise<void> {
	const credential = { id: credentialId, name: CREDENTIAL_NAME, type: CREDENTIAL_TYPE };
	const templateListings = () =>
		sandbox
			.requests()
			.filter((request) => request.method === 'GET' && request.path === '/v1/partner/templates');

	await check(
		'credential test: passes as saved, and with "Bearer <key>" plus a line break and a bare host',
		async () => {
			sandbox.clearRequests();
			// As the editor sends it: n8n 1.x tests only the data in the request.
			const saved = { apiKey: sandbox.keys.readWrite[0], baseUrl: sandbox.baseUrl };
			assert.equal((await api.testCredential(credential, saved)).status, 'OK');
			const pasted = { apiKey: `Bearer ${sandbox.apiKey}\n`, baseUrl: `${sandbox.origin}/` };
			assert.equal((await api.testCredential(credential, pasted)).status, 'OK');
			const requests = templateListings();
			assert.equal(requests.length, 2, `expected two template listings, got ${requests.length}`);
			for (const request of requests)
				assert.equal(request.headers.authorization, `Bearer ${sandbox.apiKey}`);
		},
	);

	await check(
		'credential test: a wrong key fails, and the key appears nowhere in the answer',
		async () => {
			const wrongKey = 'wrong-key-for-the-e2e-0123456789';
			const result = await api.testCredential(credential, {
				apiKey: wrongKey,
				baseUrl: sandbox.baseUrl,
			});
			assert.equal(result.status, 'Error');
			assert.ok(
				!JSON.stringify(result).includes(wrongKey),
				`the answer echoes the key: ${JSON.stringify(result)}`,
			);
		},
	);
}
