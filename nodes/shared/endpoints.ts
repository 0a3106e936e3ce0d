/** The one table of every Azeer endpoint the nodes call (checked against the contract). */
import type { IHttpRequestMethods } from 'n8n-workflow';

/**
 * Every Azeer endpoint this package calls, in one table. Paths are relative to the credential's
 * base URL (https://api.mottasl.ai/v1). `documented` is false where the path or method is our
 * inference (see contract/azeer.openapi.yaml, x-azeer-inferred); test/contract checks this table
 * against the contract, so a path is written here once and nowhere else.
 */
export const ENDPOINTS = {
	sendMessage: { method: 'POST', path: '/message/send', documented: true },
	deleteMessage: { method: 'DELETE', path: '/message/{id}', documented: false },
	deleteMessages: { method: 'DELETE', path: '/message/bulk', documented: false },
	listTemplates: { method: 'GET', path: '/partner/templates', documented: true },
	createAgent: { method: 'POST', path: '/agent', documented: true },
	updateAgent: { method: 'PATCH', path: '/agent/{id}', documented: false },
	getAgent: { method: 'GET', path: '/agent/{id}', documented: true },
	listAgents: { method: 'GET', path: '/agent', documented: true },
	createContacts: { method: 'POST', path: '/contact/create', documented: true },
	createBulkContacts: { method: 'POST', path: '/contact/bulk', documented: false },
	getContact: { method: 'GET', path: '/contact/{platform_id}', documented: false },
	assignContact: { method: 'POST', path: '/contact/assign', documented: true },
	addContactTags: { method: 'POST', path: '/contact/tags', documented: true },
	createTag: { method: 'POST', path: '/tags', documented: true },
	listTags: { method: 'GET', path: '/tags', documented: false },
	listCustomFields: { method: 'GET', path: '/customfield/group', documented: true },
	createWebhook: { method: 'POST', path: '/webhook', documented: true },
	listWebhooks: { method: 'GET', path: '/webhook', documented: false },
	getWebhook: { method: 'GET', path: '/webhook/{id}', documented: false },
	deleteWebhook: { method: 'DELETE', path: '/webhook/{id}', documented: false },
	createUserSession: { method: 'POST', path: '/app/user.new.session', documented: true },
} as const;

export type EndpointName = keyof typeof ENDPOINTS;

/** The path of an endpoint with its `{param}` placeholders filled in and URL-encoded. */
export function endpointPath(
	name: EndpointName,
	params: Record<string, string | number> = {},
): string {
	return ENDPOINTS[name].path.replace(/\{(\w+)\}/g, (_, key: string) => {
		if (params[key] === undefined) throw new Error(`Missing path parameter "${key}" for ${name}`);
		return encodeURIComponent(String(params[key]));
	});
}

/**
 * The `routing.request` method and URL of an endpoint for a declarative operation. Each `{param}`
 * of the path is filled at run time from the n8n expression given for it (e.g.
 * `{ id: '$parameter.agentId' }`), URL-encoded like `endpointPath` does.
 */
export function endpointRequest(
	name: EndpointName,
	pathExpressions: Record<string, string> = {},
): { method: IHttpRequestMethods; url: string } {
	const { method, path } = ENDPOINTS[name];
	const placeholders = path.match(/\{\w+\}/g) ?? [];
	if (placeholders.length === 0) return { method, url: path };
	const url = path.replace(/\{(\w+)\}/g, (_, key: string) => {
		const expression = pathExpressions[key];
		if (expression === undefined) throw new Error(`Missing path expression "${key}" for ${name}`);
		return `{{ encodeURIComponent(String(${expression})) }}`;
	});
	return { method, url: `=${url}` };
}
