/**
 * The credential as the nodes read it: its type name, and its Base URL and API key read so that
 * what people paste works: a bare host (`https://api.mottasl.ai`) means the API root `/v1`,
 * trailing slashes and surrounding whitespace are dropped, and a key pasted with its `Bearer `
 * prefix is sent once.
 *
 * Declarative requests and the credential test take the expressions (n8n evaluates them), the
 * programmatic code takes the functions; test/credentials checks both give the same result.
 */
import type { FunctionsBase } from 'n8n-workflow';

/** The credential's type name, for every node and the credential itself. */
export const CREDENTIAL_TYPE = 'azeerApi';

const API_ROOT = '/v1';
const TRAILING_SLASHES = '/+$';
const BARE_HOST = '^(https?://[^/]+)$';
const BEARER_PREFIX = '^bearer\\s+';

export function apiBaseUrl(raw: unknown): string {
	return String(raw ?? '')
		.trim()
		.replace(new RegExp(TRAILING_SLASHES), '')
		.replace(new RegExp(BARE_HOST), `$1${API_ROOT}`);
}

export function apiKeyOf(raw: unknown): string {
	return String(raw ?? '')
		.trim()
		.replace(new RegExp(BEARER_PREFIX, 'i'), '');
}

/**
 * The API key of the node's credential, read the one way every request, secret and signature of
 * the package reads it: the same key saved bare, with its `Bearer ` prefix or with surrounding
 * whitespace is the same key.
 */
export async function credentialApiKey(context: Pick<FunctionsBase, 'getCredentials'>) {
	return apiKeyOf((await context.getCredentials(CREDENTIAL_TYPE)).apiKey);
}

const js = (value: string) => JSON.stringify(value);

export const API_BASE_URL_EXPRESSION = `={{String($credentials.baseUrl || "").trim().replace(new RegExp(${js(TRAILING_SLASHES)}), "").replace(new RegExp(${js(BARE_HOST)}), ${js(`$1${API_ROOT}`)})}}`;

export const AUTHORIZATION_EXPRESSION = `=Bearer {{String($credentials.apiKey || "").trim().replace(new RegExp(${js(BEARER_PREFIX)}, "i"), "")}}`;
