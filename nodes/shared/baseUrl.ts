/**
 * How the credential's Base URL and API key are read, so that what people paste works:
 * a bare host (`https://api.mottasl.ai`) means the API root `/v1`, trailing slashes and
 * surrounding whitespace are dropped, and a key pasted with its `Bearer ` prefix is sent once.
 *
 * Declarative requests and the credential test take the expressions (n8n evaluates them), the
 * programmatic code takes the functions; test/credentials checks both give the same result.
 */
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

const js = (value: string) => JSON.stringify(value);

export const API_BASE_URL_EXPRESSION = `={{String($credentials.baseUrl || "").trim().replace(new RegExp(${js(TRAILING_SLASHES)}), "").replace(new RegExp(${js(BARE_HOST)}), ${js(`$1${API_ROOT}`)})}}`;

export const AUTHORIZATION_EXPRESSION = `=Bearer {{String($credentials.apiKey || "").trim().replace(new RegExp(${js(BEARER_PREFIX)}, "i"), "")}}`;
