/**
 * Lists every place of the contract marked `x-azeer-inferred` (operations, responses, schemas,
 * fields, headers) with its `x-azeer-source` note. `npx tsx sandbox/inferred.cts` prints the
 * markdown kept in contract/INFERRED.md (a test checks that file is current).
 */
import { loadContract } from './contract.cjs';

export interface InferredItem {
	/** JSON pointer into the contract, e.g. #/paths/~1webhook/get */
	pointer: string;
	/** Readable location, e.g. "GET /webhook" or "schema SendMessageRequest.source" */
	where: string;
	source: string;
}

function readable(pointer: string): string {
	const parts = pointer
		.slice(2)
		.split('/')
		.map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
	if (parts[0] === 'paths') {
		const [, path, method, ...rest] = parts;
		return [`${method.toUpperCase()} ${path}`, ...rest].join(' › ');
	}
	if (parts[0] === 'webhooks') return [`webhook ${parts[1]}`, ...parts.slice(3)].join(' › ');
	if (parts[0] === 'components')
		return [
			`${parts[1].replace(/s$/, '')} ${parts[2]}`,
			...parts.slice(3).filter((p) => p !== 'properties'),
		].join(' › ');
	return parts.join(' › ');
}

export function inferredItems(doc: Record<string, unknown> = loadContract().doc): InferredItem[] {
	const items: InferredItem[] = [];
	const seen = new Set<unknown>();
	const walk = (node: unknown, pointer: string) => {
		if (!node || typeof node !== 'object' || seen.has(node)) return;
		seen.add(node);
		const record = node as Record<string, unknown>;
		if (record['x-azeer-inferred'] === true)
			items.push({
				pointer,
				where: readable(pointer),
				source: String(record['x-azeer-source'] ?? ''),
			});
		for (const [key, value] of Object.entries(record))
			walk(value, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
	};
	walk(doc, '#');
	return items;
}

function cell(text: string): string {
	return text.replace(/\|/g, '\\|');
}

export function inferredMarkdown(): string {
	const contract = loadContract();
	const lines = [
		'# What the Azeer contract guesses',
		'',
		'Generated from `contract/azeer.openapi.yaml` by `npx tsx sandbox/inferred.cts > contract/INFERRED.md`.',
		'Everything listed here is marked `x-azeer-inferred: true` in the contract; everything else is documented.',
		'Run the contract check against a live account (`AZEER_API_KEY=... npm run contract:check`) to confirm or refute them.',
		'',
		'## Operations',
		'',
		'| Operation | Method and path | Status | Note |',
		'|---|---|---|---|',
		...contract.operations.map(
			(op) =>
				`| ${op.operationId} | \`${op.method} ${op.path}\` | ${op.inferred ? 'inferred' : 'documented'} | ${cell(op.source ?? '')} |`,
		),
		'',
		'## Every inferred item',
		'',
		'| Where | Note |',
		'|---|---|',
		...inferredItems(contract.doc).map((item) => `| ${cell(item.where)} | ${cell(item.source)} |`),
		'',
	];
	return lines.join('\n');
}

if (require.main === module) process.stdout.write(inferredMarkdown());
