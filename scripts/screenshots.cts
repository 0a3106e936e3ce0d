/**
 * The README's pictures, from the browser check's own screenshots (which it has asserted: text
 * present, no error): `bash scripts/azeer.sh screenshots` runs the e2e suite, then this script
 * halves them into docs/images/.
 */
import fs from 'node:fs';
import path from 'node:path';

import { chromium } from 'playwright-core';

import { ROOT } from './lib/n8n.cjs';
import { log } from './lib/process.cjs';

const SHOTS = path.join(ROOT, '.artifacts', 'e2e');
const IMAGES = path.join(ROOT, 'docs', 'images');
const README_PICTURES: Record<string, string> = {
	'editor-template-order_update-en.png': 'send-template.png',
	'chat-page.png': 'chat-page.png',
	'editor-trigger-output.png': 'trigger-output.png',
};

async function main(): Promise<void> {
	fs.mkdirSync(IMAGES, { recursive: true });
	const browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		headless: true,
		args: ['--no-sandbox', '--disable-gpu'],
	});
	try {
		const page = await browser.newPage({ viewport: { width: 700, height: 450 } });
		for (const [shot, picture] of Object.entries(README_PICTURES)) {
			const source = path.join(SHOTS, shot);
			if (!fs.existsSync(source))
				throw new Error(`${source} is missing: the e2e run did not take it`);
			const data = fs.readFileSync(source).toString('base64');
			await page.setContent(
				`<body style="margin:0"><img src="data:image/png;base64,${data}" style="width:700px;display:block"></body>`,
			);
			await page.locator('img').screenshot({ path: path.join(IMAGES, picture) });
			log(
				`${path.relative(ROOT, path.join(IMAGES, picture))} (${Math.round(fs.statSync(path.join(IMAGES, picture)).size / 1024)} kB)`,
			);
		}
	} finally {
		await browser.close();
	}
}

main().catch((error: Error) => {
	log(`screenshots failed: ${error.stack ?? error.message}`);
	process.exit(1);
});
