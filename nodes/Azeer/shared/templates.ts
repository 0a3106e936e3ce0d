/** Pure helpers for WhatsApp templates as the Azeer API lists them (GET /partner/templates). */

interface TemplateButton {
	type: string;
	text?: string;
	url?: string;
}

export interface TemplateComponent {
	type: 'HEADER' | 'BODY' | 'FOOTER' | 'BUTTONS' | string;
	format?: string;
	text?: string;
	buttons?: TemplateButton[];
}

export interface Template {
	id: string;
	name: string;
	language: string;
	status: string;
	category: string;
	components: TemplateComponent[];
}

export interface TemplateRef {
	name: string;
	language?: string;
}

/** One value the template needs: `header_1`, `header_media_url`, `body_2`, `button_1`, ... */
export interface TemplateVariable {
	id: string;
	component: 'HEADER' | 'BODY' | 'BUTTONS';
	label: string;
}

const MEDIA_HEADER_FORMATS = ['IMAGE', 'VIDEO', 'DOCUMENT'];

/** The separator between name and language in a template reference, e.g. `order_update|en`. */
const TEMPLATE_REF_SEPARATOR = '|';

export function templateRefValue(template: Pick<Template, 'name' | 'language'>): string {
	return `${template.name}${TEMPLATE_REF_SEPARATOR}${template.language}`;
}

export function templateLabel(template: Pick<Template, 'name' | 'language'>): string {
	return `${template.name} (${template.language})`;
}

export function parseTemplateRef(value: unknown): TemplateRef | undefined {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!text) return undefined;
	const [name, language] = text.split(TEMPLATE_REF_SEPARATOR).map((part) => part.trim());
	if (!name) return undefined;
	return language ? { name, language } : { name };
}

/** The highest `{{n}}` in a text: WhatsApp placeholders are positional, so that is the count. */
export function countPlaceholders(text: string | undefined): number {
	let highest = 0;
	for (const match of (text ?? '').matchAll(/\{\{\s*(\d+)\s*\}\}/g)) {
		highest = Math.max(highest, Number(match[1]));
	}
	return highest;
}

function numbered(
	component: TemplateVariable['component'],
	prefix: string,
	label: string,
	count: number,
) {
	return Array.from({ length: count }, (_, index) => ({
		id: `${prefix}_${index + 1}`,
		component,
		label: `${label} {{${index + 1}}}`,
	}));
}

/** Every value a send of this template needs, in the order WhatsApp expects them. */
export function templateVariables(template: Template): TemplateVariable[] {
	const variables: TemplateVariable[] = [];
	const component = (type: string) => template.components.find((c) => c.type === type);
	const header = component('HEADER');
	if (header && MEDIA_HEADER_FORMATS.includes(String(header.format).toUpperCase())) {
		variables.push({
			id: 'header_media_url',
			component: 'HEADER',
			label: `Header ${String(header.format).toLowerCase()} URL`,
		});
	} else if (header) {
		variables.push(...numbered('HEADER', 'header', 'Header', countPlaceholders(header.text)));
	}
	variables.push(...numbered('BODY', 'body', 'Body', countPlaceholders(component('BODY')?.text)));
	const buttonPlaceholders = (component('BUTTONS')?.buttons ?? []).reduce(
		(sum, button) => sum + countPlaceholders(button.url),
		0,
	);
	variables.push(...numbered('BUTTONS', 'button', 'Button', buttonPlaceholders));
	return variables;
}

type TemplateArgument = Partial<Record<'HEADER' | 'BODY' | 'BUTTONS', string[]>>;

interface TemplateArgumentResult {
	argument: TemplateArgument;
	/** Human-readable problems; empty when the values fit the template. */
	problems: string[];
}

function isBlank(value: unknown): boolean {
	return value === undefined || value === null || String(value).trim() === '';
}

function describeCounts(variables: TemplateVariable[]): string {
	const counts: Record<string, number> = {};
	for (const variable of variables)
		counts[variable.component] = (counts[variable.component] ?? 0) + 1;
	const parts = Object.entries(counts).map(
		([component, count]) => `${count} ${component.toLowerCase()}`,
	);
	return parts.length ? parts.join(', ') : 'no';
}

/**
 * Checks the given values against the variables a template needs (one value per placeholder,
 * nothing extra) and builds the `template.argument` object of a send.
 */
export function buildTemplateArgument(
	variables: TemplateVariable[],
	values: Record<string, unknown>,
): TemplateArgumentResult {
	const expectedIds = new Set(variables.map((variable) => variable.id));
	const missing = variables.filter((variable) => isBlank(values[variable.id]));
	const extra = Object.keys(values).filter((id) => !expectedIds.has(id) && !isBlank(values[id]));
	const problems: string[] = [];
	if (missing.length || extra.length) {
		const given = Object.keys(values).filter((id) => !isBlank(values[id])).length;
		problems.push(
			`the template needs ${variables.length} value(s) (${describeCounts(variables)}) but ${given} were given` +
				(missing.length ? `; missing: ${missing.map((v) => v.label).join(', ')}` : '') +
				(extra.length ? `; not in the template: ${extra.join(', ')}` : ''),
		);
	}
	const argument: TemplateArgument = {};
	for (const variable of variables) {
		(argument[variable.component] ??= []).push(String(values[variable.id] ?? '').trim());
	}
	return { argument, problems };
}

/** A compact view of a template for the "Simplify" output. */
export function simplifyTemplate(template: Template) {
	const component = (type: string) => template.components.find((c) => c.type === type);
	return {
		id: template.id,
		name: template.name,
		language: template.language,
		status: template.status,
		category: template.category,
		header_format: component('HEADER')?.format ?? null,
		body: component('BODY')?.text ?? null,
		variables: templateVariables(template).map((variable) => variable.id),
	};
}
