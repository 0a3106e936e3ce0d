/**
 * The README: n8n's community README template in at most 300 lines, with the generated operation
 * and event tables, its pictures, and a link to every page of docs/.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';

import { generatedReadme, nodeOperations } from '../../scripts/lib/operations.cjs';
import { readDoc, relativeLinks, ROOT } from './markdown.cjs';

describe('README', () => {
	const readme = readDoc('README.md');
	const linked = new Set(relativeLinks(readme).map((link) => link.split('#')[0]));

	it('has the operation and event tables of the current nodes (run `npm run docs` after changing them)', () => {
		expect(generatedReadme(readme)).toBe(readme);
	});

	it('lists every operation of the node', () => {
		for (const { resourceName, option } of nodeOperations()) {
			expect(readme).toContain(`| ${resourceName} | ${option.name} |`);
		}
	});

	it('is a page read in two minutes: at most 300 lines', () => {
		expect(readme.split('\n').length).toBeLessThanOrEqual(300);
	});

	it("has the sections of n8n's community README template, in its order", () => {
		const sections = [...readme.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
		expect(sections).toEqual([
			'Installation',
			'Operations',
			'Credentials',
			'Compatibility',
			'Usage',
			'Resources',
			'Version history',
		]);
	});

	it('links every page of docs/', () => {
		const pages = readdirSync(path.join(ROOT, 'docs')).filter((name) => name.endsWith('.md'));
		expect(pages.filter((page) => !linked.has(`docs/${page}`))).toEqual([]);
	});

	it.each([
		['docs/azeer-node.md'],
		['docs/broadcasts.md'],
		['docs/trigger.md'],
		['docs/send-and-wait.md'],
		['docs/queue-mode.md'],
		['docs/sandbox.md'],
		['docs/ai-assistant.md'],
		['docs/troubleshooting.md'],
		['docs/inferred.md'],
	])('links the page %s', (page) => {
		expect(linked).toContain(page);
	});

	it('shows every picture of docs/images', () => {
		const pictures = readdirSync(path.join(ROOT, 'docs/images'));
		expect(pictures.length).toBeGreaterThan(0);
		expect(pictures.filter((picture) => !linked.has(`docs/images/${picture}`))).toEqual([]);
	});

	it.each([['npm start'], ['npm run sandbox']])('tells users the command `%s`', (command) => {
		expect(readme).toContain(command);
	});
});
