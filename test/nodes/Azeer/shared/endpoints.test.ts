import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { Azeer } from '../../../../nodes/Azeer/Azeer.node';
import { endpointRequest, ENDPOINTS } from '../../../../nodes/Azeer/shared/endpoints';

const node = new Azeer();
const properties = node.description.properties;

/** Every resource/operation pair of the node, with its operation option. */
function operations(): Array<{ resource: string; option: INodePropertyOptions }> {
	return properties
		.filter((property: INodeProperties) => property.name === 'operation')
		.flatMap((property) =>
			(property.displayOptions?.show?.resource as string[]).flatMap((resource) =>
				(property.options as INodePropertyOptions[]).map((option) => ({ resource, option })),
			),
		);
}

/** `=/agent/{{ encodeURIComponent(String($parameter.agentId)) }}` → `/agent/{}`. */
const shape = (path: string) => path.replace(/^=/, '').replace(/\{\{.*?\}\}|\{\w+\}/g, '{}');

describe('every operation\'s request comes from ENDPOINTS', () => {
	const all = operations();

	it('covers the issue\'s operations', () => {
		expect(all.map(({ resource, option }) => `${resource}.${String(option.value)}`).sort()).toEqual(
			[
				'agent.create', 'agent.get', 'agent.getAll', 'agent.update',
				'contact.addTags', 'contact.assign', 'contact.create', 'contact.createMany', 'contact.get',
				'customField.getAll',
				'message.delete', 'message.deleteMany', 'message.sendAudio', 'message.sendContacts', 'message.sendDocument',
				'message.sendImage', 'message.sendInteractive', 'message.sendLocation', 'message.sendTemplate',
				'message.sendText', 'message.sendVideo',
				'tag.create', 'tag.getAll',
				'template.get', 'template.getAll',
				'userSession.create',
				'webhook.create', 'webhook.delete', 'webhook.get', 'webhook.getAll',
			].sort(),
		);
	});

	it.each(operations().map(({ resource, option }) => [`${resource}.${String(option.value)}`, option]))(
		'%s resolves to an ENDPOINTS entry (or is a custom operation)',
		(name, option) => {
			const [resource, operation] = name.split('.');
			const request = option.routing?.request;
			if (!request) {
				expect(node.customOperations[resource as 'contact']?.[operation as 'createMany']).toEqual(expect.any(Function));
				return;
			}
			const matches = Object.entries(ENDPOINTS).filter(
				([, endpoint]) => endpoint.method === request.method && shape(endpoint.path) === shape(String(request.url)),
			);
			expect(matches).toHaveLength(1);
			expect(request.ignoreHttpStatusErrors).toBe(true);
		},
	);

	it('fills path parameters from n8n expressions, URL-encoded', () => {
		expect(endpointRequest('listAgents')).toEqual({ method: 'GET', url: '/agent' });
		expect(endpointRequest('getAgent', { id: '$parameter.agentId' })).toEqual({
			method: 'GET',
			url: '=/agent/{{ encodeURIComponent(String($parameter.agentId)) }}',
		});
		expect(() => endpointRequest('getWebhook')).toThrow(/Missing path expression "id"/);
	});

	it('has the request tracking property last, so its preSend sees the final request', () => {
		expect(properties[properties.length - 1].name).toBe('requestTracking');
	});
});
