/**
 * Every relative link of the documentation resolves: the file exists, and an anchor names a
 * heading of that page. Pages move between the README and docs/, so this is what keeps them joined.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

import {
	anchors,
	documentationPages,
	headingAnchor,
	readDoc,
	relativeLinks,
	ROOT,
} from './markdown.cjs';

describe('documentation links', () => {
	it.each(documentationPages())('%s: every relative link resolves', (page) => {
		const broken = relativeLinks(readDoc(page)).filter((link) => {
			const [target, anchor] = link.split('#');
			const file = target ? path.normalize(path.join(path.dirname(page), target)) : page;
			if (!existsSync(path.join(ROOT, file))) return true;
			return anchor !== undefined && file.endsWith('.md') && !anchors(readDoc(file)).has(anchor);
		});
		expect(broken).toEqual([]);
	});

	it('computes anchors the way GitHub does', () => {
		expect(headingAnchor("n8n's node CLI and strict mode")).toBe('n8ns-node-cli-and-strict-mode');
		expect(headingAnchor('Intake in a real n8n (issue 17)')).toBe('intake-in-a-real-n8n-issue-17');
		expect(headingAnchor('Send overhead: Azeer / HTTP Request = 1.95 (target ≤ 1.05)')).toBe(
			'send-overhead-azeer--http-request--195-target--105',
		);
		expect([...anchors('# A\n## A\n```\n# not a heading\n```\n')]).toEqual(['a', 'a-1']);
	});
});
