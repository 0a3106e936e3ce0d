/**
 * Mapped values of list and ID fields in the shapes people map them, and phone numbers in the digit
 * sets our users write: what the API receives, and a clear error (never a TypeError) otherwise.
 */
import { listEntries, parseIds, parseObjects } from '../../../../nodes/Azeer/shared/typedInputs';
import {
	expectOneRequest,
	expectRejectedBeforeRequest,
	openSession,
	SEED,
	useSandbox,
} from '../fixtures.cjs';

const env = useSandbox();

describe('List and ID values', () => {
	it('reads arrays, comma text, JSON-array text and numbers as text', () => {
		expect(listEntries([1, '2'])).toEqual([1, '2']);
		expect(listEntries('1, 2;3 4')).toEqual(['1', '2', '3', '4']);
		expect(listEntries(' [1, "2"] ')).toEqual([1, '2']);
		expect(listEntries(7)).toEqual([7]);
		expect(listEntries('')).toEqual([]);
		expect(parseIds('[1, 2', 'Tags')).toMatchObject({
			problem: 'Tags: "[1, 2" is not a list of IDs',
		});
		expect(parseIds({ id: 1 }, 'Tags')).toMatchObject({
			problem: 'Tags: {"id":1} is not a list of IDs',
		});
		expect(parseIds(['1', 0, 'x'], 'Tags')).toMatchObject({ problem: 'Tags: not IDs: 0, "x"' });
		expect(parseObjects('[{"id": "a"}]', 'Reply Buttons')).toEqual({ objects: [{ id: 'a' }] });
		expect(parseObjects('nope', 'Reply Buttons')).toMatchObject({
			problem: 'Reply Buttons: "nope" is not a list',
		});
	});

	it.each([
		['an array', [1, 2]],
		['comma text', '1, 2'],
		['JSON-array text', '[1, 2]'],
		['an array mapped by expression', '={{ [1, "2"] }}'],
		['JSON text mapped by expression', '={{ "[\\"1\\", 2]" }}'],
	])('Add Tags takes %s', async (_shape, tagIds) => {
		const result = await env.run({
			resource: 'contact',
			operation: 'addTags',
			phone: SEED.contactPhone,
			tagIds,
		});
		expect(result.error).toBeUndefined();
		expectOneRequest(env, {
			method: 'POST',
			path: '/v1/contact/tags',
			body: { platform_id: SEED.contactPhone, tag_ids: [1, 2] },
		});
	});

	it('a number as text is one ID', async () => {
		const result = await env.run({
			resource: 'contact',
			operation: 'addTags',
			phone: SEED.contactPhone,
			tagIds: '={{ "2" }}',
		});
		expect(result.error).toBeUndefined();
		expectOneRequest(env, { body: { platform_id: SEED.contactPhone, tag_ids: [2] } });
	});

	it('a broken JSON list gets an error naming the item and the field, before any request', async () => {
		const result = await env.run(
			{
				resource: 'contact',
				operation: 'addTags',
				phone: SEED.contactPhone,
				tagIds: '={{ $json.tags }}',
			},
			{ input: [{ json: { tags: '[1, 2]' } }, { json: { tags: '[1, 2' } }] },
		);
		expectRejectedBeforeRequest(env, result, /^Tags: "\[1, 2" is not a list of IDs \[item 1\]$/, 1);
		expect(result.error?.description).toMatch(/an array like \[1, 2\]/);
	});

	it('Delete Many takes message IDs as JSON text, and names a bad one', async () => {
		const ok = await env.run({
			resource: 'message',
			operation: 'deleteMany',
			messageIds: '[101, 102]',
		});
		expect(env.requests()[0].body).toEqual({ message_ids: [101, 102] });
		expect(ok.error).toBeUndefined();
		env.sandbox.clearRequests();
		const bad = await env.run({
			resource: 'message',
			operation: 'deleteMany',
			messageIds: '101, abc',
		});
		expectRejectedBeforeRequest(env, bad, /^Message IDs: not IDs: "abc" \[item 0\]$/);
	});
});

describe('Phone numbers in other digit sets', () => {
	it.each([
		['Arabic-Indic', '+٩٦٦ ٥٤ ٤٣٥ ١٨٢٨'],
		['Persian', '۰۰۹۶۶-۵۴-۴۳۵-۱۸۲۸'],
		['mixed with ASCII', '+966 ٥٤ ۴۳۵ 1828'],
	])('%s digits are sent as ASCII', async (_set, to) => {
		openSession(env, '966544351828');
		const result = await env.run({ resource: 'message', operation: 'sendText', to, text: 'hi' });
		expect(result.error).toBeUndefined();
		expectOneRequest(env, {
			body: {
				recipient_type: 'individual',
				type: 'text',
				to: '966544351828',
				text: { body: 'hi' },
			},
		});
	});

	it('a number that is still not a phone number names the field', async () => {
		const result = await env.run({
			resource: 'message',
			operation: 'sendText',
			to: '٠٥٥١٢',
			text: 'hi',
		});
		expectRejectedBeforeRequest(
			env,
			result,
			/^To: "٠٥٥١٢" is not a valid phone number \[item 0\]$/,
		);
	});
});
