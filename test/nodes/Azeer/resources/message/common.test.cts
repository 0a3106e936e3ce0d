/**
 * The sends run item by item (custom operations), yet the description keeps the routing blocks
 * that document each request. Every send is run both ways, through n8n's routing engine (the node
 * without its custom sends) and as the node runs it, and the sandbox must receive the same
 * requests: the description stays true to what is sent.
 */
import type { INodeParameters } from 'n8n-workflow';

import { AZEER_NODE_TYPE, runNode } from '../../../../harness/engine.cjs';
import {
	DECLARATIVE_AZEER_TYPE,
	MESSAGE_PHONE,
	nodeTypes,
	openSession,
	useSandbox,
} from '../../fixtures.cjs';

const env = useSandbox();

const SENDS: Array<[string, INodeParameters]> = [
	[
		'sendText',
		{
			text: '=Hello {{ $json.name }}',
			sendOptions: { previewUrl: false, createContact: false, agentId: 1 },
		},
	],
	['sendText', { text: 'Plain text' }],
	// Read straight from the item (a field of it): the same values as n8n's evaluation.
	['sendText', { to: '={{ $json.phone }}', text: '={{ $json.name }}' }],
	['sendText', { to: '={{ $json.phone }}', text: '={{ $json.order.id }}' }],
	['sendImage', { mediaUrl: 'https://example.com/a.jpg', caption: 'A caption' }],
	['sendDocument', { mediaUrl: 'https://example.com/a.pdf', caption: '', filename: 'a.pdf' }],
	['sendAudio', { mediaUrl: 'https://example.com/a.ogg' }],
	['sendVideo', { mediaUrl: '={{ "https://example.com/" + $json.name + ".mp4" }}' }],
	[
		'sendLocation',
		{ latitude: 24.7136, longitude: 46.6753, locationDetails: { name: 'Shop', address: 'Riyadh' } },
	],
	['sendLocation', { latitude: '={{ 21.5 }}', longitude: 39.2 }],
	[
		'sendContacts',
		{
			contacts: {
				contact: [
					{ formattedName: 'Sara Ahmed', phone: '+966 50 123 4567', email: '' },
					{ formattedName: 'Support', company: 'Shop', lastName: 'Desk' },
				],
			},
		},
	],
	[
		'sendInteractive',
		{
			interactiveType: 'button',
			body: 'Pick one',
			replyButtons: { button: [{ id: 'yes', title: 'Yes' }] },
			interactiveOptions: { footer: 'Thanks' },
		},
	],
	[
		'sendTemplate',
		{
			template: { __rl: true, mode: 'name', value: 'order_update|en' },
			templateVariables: {
				mappingMode: 'defineBelow',
				value: { header_1: 'A-1', body_1: '={{ $json.name }}', body_2: 'shipped', button_1: 'A-1' },
				matchingColumns: [],
				schema: [],
			},
			sendOptions: { createContact: true },
		},
	],
	// Every variable read straight from the item: the same values as n8n's evaluation.
	[
		'sendTemplate',
		{
			template: { __rl: true, mode: 'name', value: 'order_update|en' },
			templateVariables: {
				mappingMode: 'defineBelow',
				value: {
					header_1: '={{ $json.order.id }}',
					body_1: '={{ $json.name }}',
					body_2: '={{ $json.phone }}',
					button_1: '={{ $json.order.id }}',
				},
				matchingColumns: [],
				schema: [],
			},
		},
	],
];

async function sentBy(type: string, operation: string, parameters: INodeParameters) {
	env.sandbox.reset();
	openSession(env, MESSAGE_PHONE);
	const result = await runNode({
		nodeTypes,
		type,
		parameters: { resource: 'message', operation, to: '+966 54 435 1828', ...parameters },
		input: [
			{ json: { name: 'Sara', phone: 966544351828, order: { id: 'A-7' } } },
			{ json: { name: 'Omar', phone: '966544351828', order: { id: 'A-8' } } },
		],
		credentials: {
			azeerApi: { apiKey: env.sandbox.apiKey, baseUrl: env.sandbox.baseUrl },
		},
	});
	const requests = env.requests().map(({ method, path, query, body, headers }) => ({
		method,
		path,
		query,
		body,
		authorization: headers.authorization,
		contentType: headers['content-type'],
	}));
	const outputs = result.items.map((item) => ({
		keys: Object.keys(item.json).sort(),
		pairedItem: item.pairedItem,
	}));
	return { error: result.error?.message, requests, outputs };
}

describe('Message sends: the requests as the description routes them', () => {
	it.each(SENDS)(
		'%s sends what the routing description describes (%#)',
		async (operation, parameters) => {
			const routed = await sentBy(DECLARATIVE_AZEER_TYPE, operation, parameters);
			const run = await sentBy(AZEER_NODE_TYPE, operation, parameters);
			expect(routed.error).toBeUndefined();
			expect(routed.requests.filter((request) => request.path === '/v1/message/send')).toHaveLength(
				2,
			);
			expect(run).toEqual(routed);
		},
	);
});
