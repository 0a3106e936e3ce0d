/**
 * The Azeer node's resource/operation pairs with the endpoint each one calls, read from the node
 * description itself. Used by the endpoint test and by the README's generated operation table.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { Azeer } from '../../nodes/Azeer/Azeer.node';
import { CREATE_MANY_MODES } from '../../nodes/Azeer/resources/contact/createMany';
import { ENDPOINTS } from '../../nodes/shared/endpoints';
import type { EndpointName } from '../../nodes/shared/endpoints';
import { EVENT_OPTIONS } from '../../nodes/shared/events';

export interface NodeOperation {
	resource: string;
	resourceName: string;
	option: INodePropertyOptions;
	/** The endpoints it calls: one for routed operations, every mode's for custom ones. */
	endpoints: EndpointName[];
	custom: boolean;
}

/** `=/agent/{{ encodeURIComponent(String($parameter.agentId)) }}` → `/agent/{}`. */
export const pathShape = (path: string) =>
	path.replace(/^=/, '').replace(/\{\{.*?\}\}|\{\w+\}/g, '{}');

function endpointsOf(request: { method?: string; url?: string }): EndpointName[] {
	return (Object.keys(ENDPOINTS) as EndpointName[]).filter(
		(name) =>
			ENDPOINTS[name].method === request.method &&
			pathShape(ENDPOINTS[name].path) === pathShape(String(request.url)),
	);
}

export function nodeOperations(node = new Azeer()): NodeOperation[] {
	const properties = node.description.properties;
	const resourceNames = new Map(
		((properties.find((p) => p.name === 'resource')?.options ?? []) as INodePropertyOptions[]).map(
			(o) => [o.value, o.name],
		),
	);
	return properties
		.filter((property: INodeProperties) => property.name === 'operation')
		.flatMap((property) =>
			(property.displayOptions?.show?.resource as string[]).flatMap((resource) =>
				(property.options as INodePropertyOptions[]).map((option) => {
					const request = option.routing?.request;
					const custom = !request;
					const endpoints = request
						? endpointsOf(request)
						: [...new Set(Object.values(CREATE_MANY_MODES).map((mode) => mode.endpoint))];
					return {
						resource,
						resourceName: resourceNames.get(resource) ?? resource,
						option,
						endpoints,
						custom,
					};
				}),
			),
		);
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The README's operation table (Markdown). */
export function operationsTable(): string {
	const rows = nodeOperations().map(({ resourceName, option, endpoints }) => {
		const calls = endpoints
			.map((name) => `\`${ENDPOINTS[name].method} ${ENDPOINTS[name].path}\``)
			.join(', ');
		const status = [
			...new Set(endpoints.map((name) => (ENDPOINTS[name].documented ? 'documented' : 'inferred'))),
		].join(', ');
		return `| ${resourceName} | ${option.name} | ${escapeCell(String(option.description ?? ''))} | ${calls} | ${status} |`;
	});
	return [
		'| Resource | Operation | What it does | Endpoint | Endpoint status |',
		'|---|---|---|---|---|',
		...rows,
	].join('\n');
}

/** The README's trigger event table (Markdown). */
export function eventsTable(): string {
	const rows = EVENT_OPTIONS.map(
		(event) =>
			`| ${event.name} | \`${String(event.value)}\` | ${escapeCell(String(event.description))} |`,
	);
	return ['| Event | Azeer name | When |', '|---|---|---|', ...rows].join('\n');
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`. */
export function fillSection(document: string, name: string, content: string): string {
	const pattern = new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(\\n<!-- ${name}:end -->)`);
	if (!pattern.test(document)) throw new Error(`no ${name} section markers`);
	return document.replace(pattern, (_, start: string, end: string) => `${start}${content}${end}`);
}

export function generatedReadme(readme: string): string {
	return fillSection(fillSection(readme, 'operations', operationsTable()), 'events', eventsTable());
}
