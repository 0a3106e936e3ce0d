/**
 * CONTRIBUTING.md's "Add an operation" checklist, checked per operation of the node: each one has
 * its endpoint in the table, in the contract, a sandbox handler and a README row; every file the
 * checklist names exists; the development commands are documented; and the map of the node code
 * says which folders import each folder, as the imports do.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import { ENDPOINTS } from '../../nodes/shared/endpoints';
import { createHandlers } from '../../sandbox/api.cjs';
import { loadContract } from '../../sandbox/contract.cjs';
import { nodeOperations } from '../../scripts/lib/operations.cjs';

const root = path.join(__dirname, '../..');
const contributing = readFileSync(path.join(root, 'CONTRIBUTING.md'), 'utf8');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const contractIds = new Set(loadContract().operations.map((operation) => operation.operationId));
const sandboxHandlers = createHandlers(1);

describe('CONTRIBUTING.md', () => {
	it.each(
		nodeOperations().map(
			(operation) =>
				[`${operation.resource}.${String(operation.option.value)}`, operation] as const,
		),
	)(
		'%s is in every touch-point of "Add an operation"',
		(_name, { resourceName, option, endpoints }) => {
			expect(endpoints.length).toBeGreaterThan(0);
			for (const endpoint of endpoints) {
				expect({ endpoint, inTable: endpoint in ENDPOINTS }).toEqual({ endpoint, inTable: true });
				expect({ endpoint, inContract: contractIds.has(endpoint) }).toEqual({
					endpoint,
					inContract: true,
				});
				expect({ endpoint, inSandbox: typeof sandboxHandlers[endpoint] }).toEqual({
					endpoint,
					inSandbox: 'function',
				});
			}
			expect(readme).toContain(`| ${resourceName} | ${option.name} |`);
		},
	);

	it.each([
		['npm start'],
		['npm test'],
		['npm run e2e'],
		['npm run e2e:queue'],
		['npm run bench'],
		['npm run release-check'],
		['npm run sandbox'],
		['npm run docs'],
	])('documents the command `%s`', (command) => {
		expect(contributing).toContain(`\`${command}`);
	});

	it('names only files that exist', () => {
		const named = [
			...contributing.matchAll(
				/`((?:nodes|sandbox|contract|test|credentials)\/[^`<>\s]+\.(?:c?ts|yaml|md))`/g,
			),
		].map((match) => match[1]);
		expect(named.length).toBeGreaterThan(10);
		expect(named.filter((file) => !existsSync(path.join(root, file)))).toEqual([]);
	});

	describe('map of the node code', () => {
		const units = ['nodes/shared', 'nodes/Azeer', 'nodes/AzeerTrigger', 'credentials'];
		const rows = [...contributing.matchAll(/^\| `([a-zA-Z/]+)\/` \| [^|]+ \| ([^|]+) \|$/gm)].map(
			(match) => ({
				folder: match[1],
				importedBy: [...match[2].matchAll(/`([^`]+)`/g)].map((name) => name[1]),
			}),
		);
		const sources = (dir: string): string[] =>
			readdirSync(path.join(root, dir)).flatMap((entry) => {
				const file = `${dir}/${entry}`;
				if (statSync(path.join(root, file)).isDirectory()) return sources(file);
				return file.endsWith('.ts') ? [file] : [];
			});
		const imports = [...sources('nodes'), ...sources('credentials')].map((file) => ({
			file,
			targets: [...readFileSync(path.join(root, file), 'utf8').matchAll(/from '(\.[^']+)'/g)].map(
				(match) => path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1])),
			),
		}));
		const unitOf = (file: string) => units.find((unit) => file.startsWith(`${unit}/`));

		it('lists every folder of node code', () => {
			expect(rows.map((row) => row.folder)).toEqual(
				expect.arrayContaining([...units, 'nodes/shared/sendAndWait', 'nodes/Azeer/routing']),
			);
		});

		it.each(rows.map((row) => [row.folder, row] as const))(
			'%s is imported by the folders it names',
			(folder, { importedBy }) => {
				const actual = new Set(
					imports
						.filter(({ file }) => !file.startsWith(`${folder}/`))
						.filter(({ targets }) => targets.some((target) => target.startsWith(`${folder}/`)))
						.map(({ file }) => unitOf(file)),
				);
				expect([...actual].sort()).toEqual(importedBy.filter((name) => name !== 'n8n').sort());
			},
		);
	});
});
