/**
 * Browser checks with Debian's chromium driven by playwright-core (no browser download): the n8n
 * editor shows the Azeer node's template picker with the sandbox's templates, and the sandbox
 * chat page shows the bot's reply. Screenshots go to the artifacts folder.
 */
import assert from 'node:assert/strict';
import path from 'node:path';

import { chromium, selectors, type Browser, type Page } from 'playwright-core';

import { DEMO_OWNER } from '../scripts/lib/n8n';
import { ensureDebianPackage, waitFor } from '../scripts/lib/process';

const CHROMIUM = '/usr/bin/chromium';
// n8n's editor marks its elements with data-test-id.
selectors.setTestIdAttribute('data-test-id');
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
			async (executablePath) => await chromium.launch({ executablePath, headless: true, args: LAUNCH_FLAGS }),
		);
		return await this.browser;
	}

	async close(): Promise<void> {
		const browser = await this.browser?.catch(() => undefined);
		await browser?.close();
	}

	/** Runs `body` in a fresh page; always leaves a screenshot named `name`. */
	private async withPage(name: string, body: (page: Page) => Promise<void>): Promise<void> {
		const context = await (await this.launch()).newContext({ viewport: { width: 1400, height: 900 } });
		const page = await context.newPage();
		page.setDefaultTimeout(20000);
		try {
			await body(page);
		} finally {
			await page.screenshot({ path: path.join(this.artifacts, `${name}.png`), fullPage: true }).catch(() => undefined);
			await context.close();
		}
	}

	/**
	 * On the chat page, as the customer: type `text`, then send the sample image; each gets the bot's
	 * reply (`replies.text`, `replies.image`), whose ticks move on to "read" as the sandbox delivers it.
	 */
	async chatRoundTrip(chatUrl: string, phone: string, text: string, replies: { text: string; image: string }): Promise<void> {
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
				(await image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)) ? true : undefined,
			);
			await botReply(replies.image);
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
			await page.getByTestId('node-creator').getByText('Send template message', { exact: true }).click();

			const panel = page.getByTestId('ndv');
			const selected = async (parameter: string) =>
				await panel.getByTestId(`parameter-input-${parameter}`).locator('input').first().inputValue();
			await panel.getByTestId('resource-locator-template').waitFor();
			await page.screenshot({ path: path.join(this.artifacts, 'editor-send-template-added.png') });
			assert.equal(await selected('resource'), 'Message');
			assert.equal(await selected('operation'), 'Send Template');
			const items = page.getByTestId('rlc-item');
			const listedTemplates = async () => (await items.allInnerTexts()).map((text) => text.trim()).sort();
			for (const [index, { template, fields }] of expected.variables.entries()) {
				await panel.getByTestId('resource-locator-template').getByTestId('rlc-input').click();
				// The list fills in after the search request; the chosen template comes first once picked.
				await waitFor(
					'the template list',
					async () => ((await items.count()) >= expected.templates.length ? true : undefined),
					{ timeoutMs: 10000 },
				).catch(() => undefined); // the assertion below shows what is listed instead
				assert.deepEqual(await listedTemplates(), [...expected.templates].sort());
				if (index === 0) await page.screenshot({ path: path.join(this.artifacts, 'editor-template-list.png') });
				await items.filter({ hasText: template }).click();
				const mapper = panel.getByTestId('mapping-fields-container');
				for (const field of fields) await mapper.getByText(field, { exact: true }).waitFor();
				await page.screenshot({ path: path.join(this.artifacts, `editor-template-${template.replace(/\W+/g, ' ').trim().replace(/ /g, '-')}.png`) });
				const labels = await mapper.locator('label[for^="value["]').allInnerTexts();
				assert.deepEqual(labels.map((label) => label.split('\n')[0].trim()), fields, `variable fields of ${template}`);
			}
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
