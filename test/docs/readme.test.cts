import { readFileSync } from 'node:fs';
import path from 'node:path';

import { generatedReadme, nodeOperations } from '../../scripts/lib/operations.cjs';

describe('README', () => {
	const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');

	it('has the operation and event tables of the current nodes (run `npm run docs` after changing them)', () => {
		expect(generatedReadme(readme)).toBe(readme);
	});

	it('lists every operation of the node', () => {
		for (const { resourceName, option } of nodeOperations()) {
			expect(readme).toContain(`| ${resourceName} | ${option.name} |`);
		}
	});

	it.each([
		['npm start'],
		['npm test'],
		['npm run e2e'],
		['npm run bench'],
		['npm run release-check'],
		['npm run sandbox'],
	])('documents the command `%s`', (command) => {
		expect(readme).toContain(command);
	});
});
