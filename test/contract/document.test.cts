import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { CONTRACT_FILE, loadContract } from '../../sandbox/contract.cjs';
import { inferredItems, inferredMarkdown } from '../../sandbox/inferred.cjs';

const contract = loadContract();
const EVENTS = [
	'incoming_msg',
	'outgoing_msg',
	'chat_assigned',
	'chat_closed',
	'chat_mentioned',
	'template_approved',
	'broadcast_complete',
	'billing_alert',
	'new_contact',
	'for_rules',
	'message_status_changed',
];

describe('contract/azeer.openapi.yaml', () => {
	it('is a valid OpenAPI 3.1 document (@seriousme/openapi-schema-validator)', () => {
		// The validator is ESM-only, which jest's CommonJS runtime cannot import: run it in a child Node.
		const script = `
			import { Validator } from '@seriousme/openapi-schema-validator';
			const validator = new Validator();
			const result = await validator.validate(process.argv[1]);
			console.log(JSON.stringify({ ...result, version: validator.version }));`;
		const output = execFileSync(
			process.execPath,
			['--input-type=module', '-e', script, CONTRACT_FILE],
			{ cwd: join(__dirname, '../..'), encoding: 'utf8' },
		);
		expect(JSON.parse(output)).toEqual({ valid: true, version: '3.1' });
	});

	it('has the 21 operations with unique operationIds and the 11 webhook events', () => {
		const ids = contract.operations.map((op) => op.operationId);
		expect(ids).toHaveLength(21);
		expect(new Set(ids).size).toBe(21);
		expect(contract.webhookEvents.sort()).toEqual([...EVENTS].sort());
		expect(contract.resolve('#/components/schemas/WebhookEvent/enum')).toEqual(EVENTS);
	});

	it('gives every inferred item a source note and every operation a 2xx JSON schema', () => {
		for (const item of inferredItems())
			expect({ where: item.where, source: item.source.length > 0 }).toEqual({
				where: item.where,
				source: true,
			});
		for (const op of contract.operations) {
			const success = Object.keys(op.spec.responses).find((code) => code.startsWith('2'));
			expect({ op: op.operationId, success }).toEqual({
				op: op.operationId,
				success: expect.any(String),
			});
		}
	});

	it('records the delivery header assumptions and the error body', () => {
		const delivery = contract.doc['x-azeer-webhook-delivery'];
		expect(delivery['x-azeer-inferred']).toBe(true);
		expect(Object.keys(delivery.headers)).toEqual([
			'x-azeer-securetoken',
			'x-azeer-timestamp',
			'x-azeer-signature',
			'x-azeer-event',
			'x-azeer-delivery',
		]);
		expect(contract.resolve('#/components/schemas/Error/required')).toEqual([
			'success',
			'message',
			'code',
		]);
	});

	it('keeps contract/INFERRED.md current (regenerate: npx tsx sandbox/inferred.cts > contract/INFERRED.md)', () => {
		expect(readFileSync(join(__dirname, '../../contract/INFERRED.md'), 'utf8')).toBe(
			inferredMarkdown(),
		);
	});
});
