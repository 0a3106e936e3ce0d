import { scanConfig } from './lint/scan-config.mjs';

// Only what the package ships is node code: `eslint .` (which `n8n-node lint` runs) lints
// package.json, nodes/ and credentials/ with the scanner's rules. The dev tooling (sandbox, tests,
// e2e, bench, scripts) is type-checked by tsconfig.test.json instead: it is a Node.js program that
// must use what n8n Cloud forbids in nodes (node:http, node:fs, process, timers).
export default [
	{
		ignores: ['**/*', '!package.json', '!nodes/', '!nodes/**', '!credentials/', '!credentials/**'],
	},
	...scanConfig,
];
