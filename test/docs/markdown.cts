/** Reading Markdown the way GitHub renders it: the relative links of a page and its heading anchors. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.join(__dirname, '../..');

export const readDoc = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** The Markdown pages of the repository that people read: the top-level ones and docs/. */
export function documentationPages(): string[] {
	const topLevel = readdirSync(ROOT).filter((name) => name.endsWith('.md'));
	const docs = readdirSync(path.join(ROOT, 'docs'))
		.filter((name) => name.endsWith('.md'))
		.map((name) => `docs/${name}`);
	return [...topLevel, ...docs];
}

/** The text outside fenced code blocks and inline code, where links and headings live. */
function prose(markdown: string): string {
	return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, 'code');
}

/** Every link and image target that is not a URL with a scheme (`http:`, `mailto:`). */
export function relativeLinks(markdown: string): string[] {
	return [...prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)]
		.map((match) => match[1])
		.filter((target) => !/^[a-z][a-z+.-]*:/i.test(target));
}

/** GitHub's anchor for a heading: its text, lower case, without punctuation, spaces as hyphens. */
export function headingAnchor(heading: string): string {
	return heading
		.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/[`*]/g, '')
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/\s/g, '-');
}

/** The anchors of a page's headings, numbered like GitHub's when a heading repeats. */
export function anchors(markdown: string): Set<string> {
	const seen = new Map<string, number>();
	const result = new Set<string>();
	const withoutFences = markdown.replace(/^```[\s\S]*?^```/gm, '');
	for (const [, heading] of withoutFences.matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
		const anchor = headingAnchor(heading);
		const count = seen.get(anchor) ?? 0;
		result.add(count ? `${anchor}-${count}` : anchor);
		seen.set(anchor, count + 1);
	}
	return result;
}
