/**
 * WhatsApp's limits for the messages the nodes build (text, and interactive reply button and list
 * messages), checked before sending.
 */
/** The longest body of a text message. */
export const TEXT_LIMIT = 4096;

export const INTERACTIVE_LIMITS = {
	bodyText: 1024,
	headerText: 60,
	footerText: 60,
	buttons: 3,
	buttonTitle: 20,
	buttonId: 256,
	listButton: 20,
	sections: 10,
	rows: 10,
	sectionTitle: 24,
	rowTitle: 24,
	rowId: 200,
	rowDescription: 72,
} as const;

interface ReplyButton {
	id: string;
	title: string;
}

interface ListRow {
	id: string;
	title: string;
	description?: string;
}

interface ListSection {
	title?: string;
	rows: ListRow[];
}

export interface InteractiveInput {
	type: 'button' | 'list';
	header?: string;
	body: string;
	footer?: string;
	buttons?: ReplyButton[];
	listButton?: string;
	sections?: ListSection[];
}

function checkText(
	problems: string[],
	label: string,
	value: string | undefined,
	max: number,
	required = false,
) {
	const text = value ?? '';
	if (required && text.trim() === '') problems.push(`${label} is empty`);
	if (text.length > max) problems.push(`${label} has ${text.length} characters (max ${max})`);
}

function checkUniqueIds(problems: string[], label: string, ids: string[]) {
	const seen = new Set<string>();
	for (const id of ids) {
		if (seen.has(id)) problems.push(`${label} ID "${id}" is used twice`);
		seen.add(id);
	}
}

function checkButtons(problems: string[], buttons: ReplyButton[]) {
	const limits = INTERACTIVE_LIMITS;
	if (buttons.length < 1 || buttons.length > limits.buttons) {
		problems.push(`reply buttons: ${buttons.length} given, WhatsApp allows 1 to ${limits.buttons}`);
	}
	buttons.forEach((button, index) => {
		checkText(problems, `button ${index + 1} title`, button.title, limits.buttonTitle, true);
		checkText(problems, `button ${index + 1} ID`, button.id, limits.buttonId, true);
	});
	checkUniqueIds(
		problems,
		'button',
		buttons.map((button) => button.id),
	);
}

function checkList(problems: string[], input: InteractiveInput) {
	const limits = INTERACTIVE_LIMITS;
	const sections = input.sections ?? [];
	checkText(problems, 'list button text', input.listButton, limits.listButton, true);
	if (sections.length < 1 || sections.length > limits.sections) {
		problems.push(
			`list sections: ${sections.length} given, WhatsApp allows 1 to ${limits.sections}`,
		);
	}
	const rows = sections.flatMap((section) => section.rows);
	if (rows.length < 1 || rows.length > limits.rows) {
		problems.push(`list rows: ${rows.length} given in total, WhatsApp allows 1 to ${limits.rows}`);
	}
	sections.forEach((section, sectionIndex) => {
		const where = `section ${sectionIndex + 1}`;
		checkText(problems, `${where} title`, section.title, limits.sectionTitle, sections.length > 1);
		section.rows.forEach((row, rowIndex) => {
			checkText(problems, `${where} row ${rowIndex + 1} title`, row.title, limits.rowTitle, true);
			checkText(problems, `${where} row ${rowIndex + 1} ID`, row.id, limits.rowId, true);
			checkText(
				problems,
				`${where} row ${rowIndex + 1} description`,
				row.description,
				limits.rowDescription,
			);
		});
	});
	checkUniqueIds(
		problems,
		'row',
		rows.map((row) => row.id),
	);
}

/** Everything that breaks WhatsApp's limits, as readable problems (empty when all is fine). */
export function interactiveProblems(input: InteractiveInput): string[] {
	const problems: string[] = [];
	checkText(problems, 'body text', input.body, INTERACTIVE_LIMITS.bodyText, true);
	checkText(problems, 'header text', input.header, INTERACTIVE_LIMITS.headerText);
	checkText(problems, 'footer text', input.footer, INTERACTIVE_LIMITS.footerText);
	if (input.type === 'button') checkButtons(problems, input.buttons ?? []);
	else checkList(problems, input);
	return problems;
}

/** The `interactive` object of a send, in WhatsApp Cloud's shape. */
export function buildInteractive(input: InteractiveInput) {
	const optionalText = (text: string | undefined) => (text ? { text } : undefined);
	const action =
		input.type === 'button'
			? {
					buttons: (input.buttons ?? []).map((button) => ({
						type: 'reply',
						reply: { id: button.id, title: button.title },
					})),
				}
			: {
					button: input.listButton,
					sections: (input.sections ?? []).map((section) => ({
						...(section.title ? { title: section.title } : {}),
						rows: section.rows.map((row) => ({
							id: row.id,
							title: row.title,
							...(row.description ? { description: row.description } : {}),
						})),
					})),
				};
	const header = input.header ? { type: 'text', text: input.header } : undefined;
	const footer = optionalText(input.footer);
	return {
		type: input.type,
		...(header ? { header } : {}),
		body: { text: input.body },
		...(footer ? { footer } : {}),
		action,
	};
}
