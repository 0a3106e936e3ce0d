import { ENDPOINTS } from '../../nodes/shared/endpoints';
import { loadContract } from '../../sandbox/contract.cjs';

const contract = loadContract();

describe('nodes/shared/endpoints.ts matches the contract', () => {
	it.each(Object.entries(ENDPOINTS))(
		'%s exists in the contract with the same method, path and documented flag',
		(name, endpoint) => {
			const operation = contract.operations.find(
				(op) => op.method === endpoint.method && op.path === endpoint.path,
			);
			expect(operation).toBeDefined();
			expect({ operationId: operation?.operationId, documented: !operation?.inferred }).toEqual({
				operationId: name,
				documented: endpoint.documented,
			});
		},
	);

	it('has exactly the method+path pairs of the contract', () => {
		const table = Object.values(ENDPOINTS)
			.map((e) => `${e.method} ${e.path}`)
			.sort();
		const operations = contract.operations.map((op) => `${op.method} ${op.path}`).sort();
		expect(table).toEqual(operations);
	});
});
