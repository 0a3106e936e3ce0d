/**
 * Where each folder of nodes/ may import from: a node's folder from itself and nodes/shared/, and
 * nodes/shared/ (what several nodes use) from nodes/shared/ only. Read from the source's imports.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const NODES = path.join(__dirname, '../../nodes');

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(full);
		return entry.name.endsWith('.ts') ? [full] : [];
	});
}

/** The top folder under nodes/ a file is in: a node's folder, or "shared". */
const homeOf = (file: string) => path.relative(NODES, file).split(path.sep)[0];

function relativeImports(file: string): string[] {
	const source = readFileSync(file, 'utf8');
	return [...source.matchAll(/^\s*(?:import|export)[^'"]*?from\s+'(\.[^']+)'/gm)].map(
		(match) => match[1],
	);
}

const files = sourceFiles(NODES);
const imports = files.flatMap((file) =>
	relativeImports(file).map((specifier) => ({
		file: path.relative(NODES, file),
		from: homeOf(file),
		to: homeOf(path.resolve(path.dirname(file), specifier)),
	})),
);

describe('imports between the folders of nodes/', () => {
	it('reads the imports of every source file', () => {
		expect(files.length).toBeGreaterThan(50);
		expect(imports.length).toBeGreaterThan(100);
		expect(new Set(imports.map(({ from }) => from))).toEqual(
			new Set(['Azeer', 'AzeerTrigger', 'shared']),
		);
	});

	it("no node folder imports another node's folder", () => {
		const breaches = imports.filter(
			({ from, to }) => from !== 'shared' && to !== 'shared' && to !== from,
		);
		expect(breaches).toEqual([]);
	});

	it('nodes/shared imports no node folder', () => {
		expect(imports.filter(({ from, to }) => from === 'shared' && to !== 'shared')).toEqual([]);
	});
});
