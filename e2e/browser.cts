/**
 * Browser checks with Debian's chromium driven by playwright-core (no browser download): the n8n
 * editor shows the Azeer node's template picker with the sandbox's templates, and the sandbox
 * chat page shows the bot's reply. Screenshots go to the artifacts folder.
 */
import assert from 'node:assert/strict';
import path from 'node:path';

import { chromium, selectors, type Browser, type Page } from 'playwright-core';

import { DEMO_OWNER } from '../scripts/lib/n8n.cjs';
import { ensureDebianPackage, waitFor } from '../scripts/lib/process.cjs';

const CHROMIUM = '/usr/bin/chromium';
// n8n's editor marks its elements with data-test-id.
selectors.setTestIdAttribute('data-test-id');
/** Never on any screenshot: n8n's errors in the node panel, and the chat page's connection errors. */
const ERRORS_NOBODY_SHOULD_SEE = [
	/No variables found/,
	/Could not (load|send|find)/i,
	/Error fetching/i,
	/Problem (in|loading)/i,
	/Sandbox not reachable/,
];

/** What a person must and must not see on a screenshot (visible text, as innerText has it). */
export interface SeenOnScreen {
	shows: string[];
	hides?: Array<string | RegExp>;
}

/**
 * Saves `<name>.png` and asserts what it shows: each of `seen.shows` is on the page, and neither
 * `seen.hides` nor an error of ERRORS_NOBODY_SHOULD_SEE is.
 */
async function screenshot(
	page: Page,
	artifacts: string,
	name: string,
	seen: SeenOnScreen,
): Promise<void> {
	await page.screenshot({ path: path.join(artifacts, `${name}.png`) });
	const text = await page.locator('body').innerText();
	for (const expected of seen.shows)
		assert.ok(text.includes(expected), `${name}.png does not show "${expected}"`);
	for (const unwanted of [...(seen.hides ?? []), ...ERRORS_NOBODY_SHOULD_SEE]) {
		const found = typeof unwanted === 'string' ? text.includes(unwanted) : unwanted.test(text);
		assert.ok(!found, `${name}.png shows ${String(unwanted)}`);
	}
}

const LAUNCH_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
];

/** CI starts on a fresh machine: install Debian's chromium when it is missing. */
async function ensureChromium(): Promise<string> {
	// With its recommended packages: they bring the fonts the editor's screenshots need.
	await ensureDebianPackage(CHROMIUM, 'chromium');
	return CHROMIUM;
}

/** Launches chromium on first use, so a browser that cannot start fails only the browser checks. */
export class BrowserCheck {
	private browser?: Promise<Browser>;

	constructor(private readonly artifacts: string) {}

	private async launch(): Promise<Browser> {
		this.browser ??= ensureChromium().then(
			async (executablePath) =>
				await chromium.launch({ executablePath, headless: true, args: LAUNCH_FLAGS }),
		);
		return await this.browser;
	}

	async close(): Promise<void> {
		const browser = await this.browser?.catch(() => undefined);
		await browser?.close();
	}

	/** Runs `body` in a fresh page; when it fails, leaves `<name>-failed.png` showing where. */
	private async withPage(name: string, body: (page: Page) => Promise<void>): Promise<void> {
		const context = await (
			await this.launch()
		).newContext({ viewport: { width: 1400, height: 900 } });
		const page = await context.newPage();
		page.setDefaultTimeout(20000);
		try {
			await body(page);
		} catch (error) {
			await page
				.screenshot({ path: path.join(this.artifacts, `${name}-failed.png`), fullPage: true })
				.catch(() => undefined);
			throw error;
		} finally {
			await context.close();
		}
	}

	/**
	 * On the chat page, as the customer: type `text`, then send the sample image; each gets the bot's
	 * reply (`replies.text`, `replies.image`), whose ticks move on to "read" as the sandbox delivers it.
	 */
	async chatRoundTrip(
		chatUrl: string,
		phone: string,
		text: string,
		replies: { text: string; image: string },
	): Promise<void> {
		await this.withPage('chat-page', async (page) => {
			const botReply = async (reply: string) => {
				const bubble = page.locator('.message.bot', { hasText: reply });
				await bubble.waitFor({ timeout: 30000 });
				await bubble.locator('.ticks[data-status="read"]').waitFor();
			};
			await page.goto(`${chatUrl}#${phone}`);
			await page.locator('#text').fill(text);
			await page.locator('#text').press('Enter');
			await page.locator('.message.own', { hasText: text }).waitFor();
			await botReply(replies.text);

			await page.locator('#send-image').click();
			const image = page.locator('.message.own[data-type="image"] img').last();
			await image.waitFor();
			await waitFor('the sample image to load', async () =>
				(await image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
					? true
					: undefined,
			);
			await botReply(replies.image);
			await screenshot(page, this.artifacts, 'chat-page', {
				shows: [text, replies.text, replies.image],
			});
		});
	}

	/** On the chat page, as `phone`: the bot's `question` shows `buttons`, and tapping `tap` sends that reply. */
	async chatQuestionTap(
		chatUrl: string,
		phone: string,
		question: string,
		buttons: string[],
		tap: string,
	): Promise<void> {
		await this.withPage('chat-question', async (page) => {
			await page.goto(`${chatUrl}#${phone}`);
			const bubble = page.locator('.message.bot', { hasText: question });
			await bubble.waitFor({ timeout: 30000 });
			const shown = await bubble.locator('.quick-replies button').allInnerTexts();
			assert.deepEqual(
				shown.map((label) => label.trim()),
				buttons,
			);
			await page.screenshot({ path: path.join(this.artifacts, 'chat-question-before-tap.png') });
			await bubble.locator('.quick-replies button', { hasText: tap }).click();
			await page.locator('.message.own', { hasText: tap }).waitFor();
		});
	}

	/**
	 * On the chat page, as the customer `phone`: the header shows `expected.details` (tags, assigned
	 * agent), the conversation the bot's `expected.earlier` messages; typing `text` gets `expected.reply`.
	 */
	async conversation(
		chatUrl: string,
		phone: string,
		text: string,
		expected: { reply: string; earlier: string[]; details: string[] },
	): Promise<void> {
		await this.withPage('chat-ai-assistant', async (page) => {
			await page.goto(`${chatUrl}#${phone}`);
			for (const detail of expected.details)
				await page.locator('#chat-subtitle', { hasText: detail }).waitFor();
			for (const message of expected.earlier)
				await page.locator('.message.bot', { hasText: message }).first().waitFor();
			const replies = page.locator('.message.bot', { hasText: expected.reply });
			const before = await replies.count();
			await page.locator('#text').fill(text);
			await page.locator('#text').press('Enter');
			await page.locator('.message.own', { hasText: text }).last().waitFor();
			await waitFor(
				"the assistant's reply on the chat page",
				async () => ((await replies.count()) > before ? true : undefined),
				{ timeoutMs: 60000 },
			);
		});
	}

	/**
	 * In a new workflow: add the Azeer node's "Send template message" action from the node panel,
	 * open the template list (it must show exactly `expected.templates`), then pick each template of
	 * `expected.variables` in turn and check that the variable fields reload to its placeholders.
	 */
	async templatePicker(
		n8nUrl: string,
		expected: { templates: string[]; variables: Array<{ template: string; fields: string[] }> },
	): Promise<void> {
		await this.withPage('editor-send-template', async (page) => {
			await signIn(page, n8nUrl);
			await page.goto(`${n8nUrl}/workflow/new`);
			// A new workflow's node panel offers triggers first: start it with a manual trigger.
			await addFromNodePanel(page, 'Manual', 'Trigger manually');
			await addFromNodePanel(page, 'Azeer', 'Azeer');
			await page
				.getByTestId('node-creator')
				.getByText('Send template message', { exact: true })
				.click();

			const panel = page.getByTestId('ndv');
			const selected = async (parameter: string) =>
				await panel
					.getByTestId(`parameter-input-${parameter}`)
					.locator('input')
					.first()
					.inputValue();
			await panel.getByTestId('resource-locator-template').waitFor();
			// Before a template is chosen, the variable fields (and n8n's red "No variables found") stay hidden.
			await screenshot(page, this.artifacts, 'editor-send-template-added', {
				shows: ['Send template message', 'Template'],
				hides: ['Mapping Column Mode', 'Values to Send'],
			});
			assert.equal(await selected('resource'), 'Message');
			assert.equal(await selected('operation'), 'Send Template');
			const items = page.getByTestId('rlc-item');
			const listedTemplates = async () =>
				(await items.allInnerTexts()).map((text) => text.trim()).sort();
			for (const [index, { template, fields }] of expected.variables.entries()) {
				await panel.getByTestId('resource-locator-template').getByTestId('rlc-input').click();
				// The list fills in after the search request; the chosen template comes first once picked.
				await waitFor(
					'the template list',
					async () => ((await items.count()) >= expected.templates.length ? true : undefined),
					{ timeoutMs: 10000 },
				).catch(() => undefined); // the assertion below shows what is listed instead
				assert.deepEqual(await listedTemplates(), [...expected.templates].sort());
				if (index === 0)
					await screenshot(page, this.artifacts, 'editor-template-list', {
						shows: expected.templates,
					});
				await items.filter({ hasText: template }).click();
				const mapper = panel.getByTestId('mapping-fields-container');
				for (const field of fields) await mapper.getByText(field, { exact: true }).waitFor();
				await screenshot(
					page,
					this.artifacts,
					`editor-template-${template.replace(/\W+/g, ' ').trim().replace(/ /g, '-')}`,
					{
						shows: ['Mapping Column Mode', 'Values to Send', ...fields],
					},
				);
				const labels = await mapper.locator('label[for^="value["]').allInnerTexts();
				assert.deepEqual(
					labels.map((label) => label.split('\n')[0].trim()),
					fields,
					`variable fields of ${template}`,
				);
			}
		});
	}

	/**
	 * In a saved workflow: open its trigger `triggerName`, click "Test this trigger" (n8n 2.x), let
	 * `deliver` send an event, and check the trigger's output shows `expected`.
	 */
	async triggerOutput(
		n8nUrl: string,
		workflowId: string,
		triggerName: string,
		deliver: () => Promise<void>,
		expected: string[],
	): Promise<void> {
		await this.withPage('editor-trigger', async (page) => {
			await signIn(page, n8nUrl);
			await page.goto(`${n8nUrl}/workflow/${workflowId}`);
			await page.getByTestId('canvas-node').filter({ hasText: triggerName }).first().dblclick();
			await page.getByTestId('ndv').getByText('Test this trigger', { exact: true }).click();
			await deliver();
			await page.getByTestId('ndv').getByText(expected[0]).first().waitFor({ timeout: 30000 });
			await screenshot(page, this.artifacts, 'editor-trigger-output', {
				shows: [triggerName, ...expected],
			});
		});
	}
}

/** Opens the node panel (the canvas "+"), searches `search` and clicks the item named `item`. */
async function addFromNodePanel(page: Page, search: string, item: string): Promise<void> {
	await page.getByTestId('node-creator-plus-button').click();
	await page.getByTestId('node-creator-search-bar').fill(search);
	await page.getByTestId('node-creator-item-name').getByText(item, { exact: true }).click();
}

async function signIn(page: Page, n8nUrl: string): Promise<void> {
	await page.goto(`${n8nUrl}/signin`);
	await page.locator('input[type="email"]').fill(DEMO_OWNER.email);
	await page.locator('input[type="password"]').fill(DEMO_OWNER.password);
	await page.locator('input[type="password"]').press('Enter');
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}
