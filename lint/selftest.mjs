// Proves the lint really applies both rule families: a node with a broken description (linted
// from memory, never written to the tree) must trip rules of eslint-plugin-n8n-nodes-base and of
// @n8n/eslint-plugin-community-nodes, and a leaky credential must trip the credential rules.
import { ESLint } from 'eslint';

import { scanConfig } from './scan-config.mjs';

const brokenNode = `
import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
export class Broken implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Broken',
		name: 'broken',
		icon: 'file:broken.svg',
		group: ['output'],
		version: 1,
		description: 'broken on purpose',
		defaults: { name: 'Broken' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{ displayName: 'resource', name: 'resource', type: 'options', options: [], default: '' },
			{ displayName: 'Flag', name: 'flag', type: 'boolean', default: false, description: 'Sends it' },
		],
	};
}
`;

const brokenCredential = `
import type { ICredentialType, INodeProperties } from 'n8n-workflow';
export class BrokenApi implements ICredentialType {
	name = 'brokenApi';
	displayName = 'Broken API';
	properties: INodeProperties[] = [{ displayName: 'API Key', name: 'apiKey', type: 'string', default: '' }];
}
`;

const expected = {
	'nodes/Broken/Broken.node.ts': [
		'@n8n/community-nodes/node-usable-as-tool',
		'@n8n/community-nodes/require-node-description-fields',
		'@n8n/community-nodes/node-connection-type-literal',
		'n8n-nodes-base/node-param-display-name-miscased',
		'n8n-nodes-base/node-param-description-boolean-without-whether',
	],
	'credentials/BrokenApi.credentials.ts': [
		'@n8n/community-nodes/credential-password-field',
		'@n8n/community-nodes/credential-test-required',
		'@n8n/community-nodes/cred-class-field-icon-missing',
	],
};

const eslint = new ESLint({
	overrideConfigFile: true,
	overrideConfig: scanConfig,
	allowInlineConfig: false,
});
const sources = {
	'nodes/Broken/Broken.node.ts': brokenNode,
	'credentials/BrokenApi.credentials.ts': brokenCredential,
};
const missing = [];
for (const [filePath, source] of Object.entries(sources)) {
	const [result] = await eslint.lintText(source, { filePath });
	const fired = new Set(result.messages.map((message) => message.ruleId));
	for (const rule of expected[filePath]) if (!fired.has(rule)) missing.push(`${filePath}: ${rule}`);
}
if (missing.length) {
	console.error(
		`lint self-test: these rules did not fire on deliberately broken code:\n- ${missing.join('\n- ')}`,
	);
	process.exit(1);
}
console.log(
	`lint self-test: ${Object.values(expected).flat().length} rules of both rule families fire on broken code`,
);
