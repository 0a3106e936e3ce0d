import { Azeer } from '../../../nodes/Azeer/Azeer.node';
import { endpointRequest } from '../../../nodes/shared/endpoints';
import { nodeOperations } from '../../../scripts/lib/operations.cjs';

const node = new Azeer();
const properties = node.description.properties;

describe("every operation's request comes from ENDPOINTS", () => {
	const all = nodeOperations(node);

	it("covers the issue's operations", () => {
		expect(all.map(({ resource, option }) => `${resource}.${String(option.value)}`).sort()).toEqual(
			[
				'agent.create',
				'agent.get',
				'agent.getAll',
				'agent.update',
				'contact.addTags',
				'contact.assign',
				'contact.create',
				'contact.createMany',
				'contact.get',
				'customField.getAll',
				'message.delete',
				'message.deleteMany',
				'message.sendAudio',
				'message.sendContacts',
				'message.sendDocument',
				'message.sendImage',
				'message.sendInteractive',
				'message.sendLocation',
				'message.sendTemplate',
				'message.sendText',
				'message.sendVideo',
				'tag.create',
				'tag.getAll',
				'template.get',
				'template.getAll',
				'userSession.create',
				'webhook.create',
				'webhook.delete',
				'webhook.get',
				'webhook.getAll',
			].sort(),
		);
	});

	it.each(
		all.map(
			(operation) =>
				[`${operation.resource}.${String(operation.option.value)}`, operation] as const,
		),
	)(
		'%s resolves to an ENDPOINTS entry (or is a custom operation)',
		(_, { resource, option, endpoints, custom }) => {
			if (custom) {
				expect(
					node.customOperations[resource as 'contact']?.[String(option.value) as 'createMany'],
				).toEqual(expect.any(Function));
				expect(endpoints.length).toBeGreaterThan(0);
				return;
			}
			expect(endpoints).toHaveLength(1);
			expect(option.routing?.request?.ignoreHttpStatusErrors).toBe(true);
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
