/**
 * List and ID fields read the shapes people map into them: an array, "1, 2, 3", the JSON text
 * '[1, 2, 3]', a single number or numeric string. Anything else is a problem that names the field
 * and says what to give, never a JavaScript TypeError.
 */
import type { IDataObject } from 'n8n-workflow';

export const isPositiveInteger = (value: unknown) =>
	(typeof value === 'number' || typeof value === 'string') &&
	/^[1-9][0-9]*$/.test(String(value).trim());

interface InputProblem {
	problem: string;
	hint: string;
}

/** A short rendering of a mapped value for an error message. */
export function shown(value: unknown): string {
	const text = typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
	return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function jsonArray(text: string): unknown[] | undefined {
	try {
		const parsed: unknown = JSON.parse(text);
		return Array.isArray(parsed) ? parsed : undefined;
	} catch {
		return undefined;
	}
}

/** The entries of a mapped list value; undefined when the value is no list shape at all. */
export function listEntries(value: unknown): unknown[] | undefined {
	if (value === undefined || value === null || value === '') return [];
	if (Array.isArray(value)) return value;
	if (typeof value === 'number') return [value];
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (text.startsWith('[')) return jsonArray(text);
	return text.split(/[\s,;]+/).filter(Boolean);
}

/** Positive whole-number IDs from any list shape, or the problem with field `label`. */
export function parseIds(value: unknown, label: string): { ids: number[] } | InputProblem {
	const hint = `Give ${label} as numbers: pick them from the list, or map an array like [1, 2], text like "1, 2" or JSON text like "[1, 2]".`;
	const entries = listEntries(value);
	if (!entries) return { problem: `${label}: ${shown(value)} is not a list of IDs`, hint };
	const bad = entries.filter((entry) => !isPositiveInteger(entry));
	if (bad.length)
		return { problem: `${label}: not IDs: ${bad.slice(0, 5).map(shown).join(', ')}`, hint };
	return { ids: entries.map(Number) };
}

/** Objects of a repeatable field (e.g. reply buttons) given by expression: an array, JSON text of one, or one object. */
export function parseObjects(
	value: unknown,
	label: string,
): { objects: IDataObject[] } | InputProblem {
	const hint = `Map ${label} as an array of objects, or JSON text of one like [{"id": "yes", "title": "Yes"}].`;
	const isObject = (entry: unknown): entry is IDataObject =>
		!!entry && typeof entry === 'object' && !Array.isArray(entry);
	if (isObject(value)) return { objects: [value] };
	const entries =
		value === undefined || value === null || value === ''
			? []
			: Array.isArray(value)
				? value
				: typeof value === 'string'
					? jsonArray(value.trim())
					: undefined;
	if (!entries) return { problem: `${label}: ${shown(value)} is not a list`, hint };
	const bad = entries.filter((entry) => !isObject(entry));
	if (bad.length)
		return { problem: `${label}: not objects: ${bad.slice(0, 3).map(shown).join(', ')}`, hint };
	return { objects: entries as IDataObject[] };
}
