/** Phone numbers: how a pasted number is read, the advice when it is not one, and its field. */
import type { INodeProperties } from 'n8n-workflow';

/** What the Azeer API accepts as a phone number: digits only, with the country code. */
const PHONE_PATTERN = /^[1-9][0-9]{7,14}$/;

/** Arabic-Indic (٠–٩, U+0660) and Eastern Arabic / Persian (۰–۹, U+06F0) digits as ASCII digits. */
function asciiDigits(text: string): string {
	return text.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (digit) =>
		String(digit.charCodeAt(0) & 0xf),
	);
}

/**
 * Turns what people paste (`+966 54 435 1828`, `00966-54-435-1828`, `(966) 544351828`, also in
 * ٠–٩ or ۰–۹ digits) into the digits-only form the API wants. Returns undefined when the input
 * cannot be a phone number with a country code (letters, too short or long, a local number
 * starting with 0).
 */
export function normalizePhone(input: unknown): string | undefined {
	if (typeof input !== 'string' && typeof input !== 'number') return undefined;
	const trimmed = asciiDigits(String(input)).trim();
	if (!/^(\+|00)?[0-9][0-9\s\-.()]*$/.test(trimmed.replace(/^\(/, ''))) return undefined;
	const digits = trimmed.replace(/[^0-9]/g, '').replace(/^00/, '');
	return PHONE_PATTERN.test(digits) ? digits : undefined;
}

/** The error for a value that `normalizePhone` cannot read as a phone number. */
export function invalidPhoneMessage(raw: unknown): string {
	return `"${String(raw ?? '')}" is not a valid phone number`;
}

export const PHONE_HINT =
	'Use the number with its country code, e.g. 966544351828 or +966 54 435 1828 (spaces, dashes, "+" and a leading "00" are removed).';

export interface PhoneFieldSpec {
	name: string;
	displayName: string;
	description: string;
	displayOptions: NonNullable<INodeProperties['displayOptions']>;
}

/** A required phone number field; its description ends with the formats it takes. */
export function phoneField(spec: PhoneFieldSpec): INodeProperties {
	return {
		displayName: spec.displayName,
		name: spec.name,
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +966 54 435 1828',
		description: `${spec.description} With country code; "+", spaces, dashes and a leading 00 are fine`,
		displayOptions: spec.displayOptions,
	};
}
