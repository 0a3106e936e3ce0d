// The test command's lint (`npm run lint`, with --no-inline-config as n8n's scanner runs it): the
// scanner's rule families on what the scanner reads of the source, package.json and
// {nodes,credentials}/**. The root eslint.config.mjs is n8n's unmodified default for `n8n-node
// lint`; it claims `**/*.ts`, so the dev tooling is written as .cts (CommonJS TypeScript) and is
// checked by tsconfig.test.json and prettier instead: it is a Node.js program that must use what
// n8n Cloud forbids in nodes (node:http, node:fs, process, timers).
import { scanConfig } from './scan-config.mjs';

export default [
	{
		ignores: ['**/*', '!package.json', '!nodes/', '!nodes/**', '!credentials/', '!credentials/**'],
	},
	...scanConfig,
];
