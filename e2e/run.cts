/**
 * End-to-end: the packed package inside a real n8n, talking to the sandbox over 127.0.0.1.
 * Run with `bash scripts/azeer.sh e2e` (CI does). Ends with the line `e2e: N passed, M failed`.
 * `-- --repeat N` runs the whole suite N times on a fresh n8n each time (counts add up).
 * n8n's log, screenshots and state go to .artifacts/e2e/.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../sandbox/index.cjs';
import {
	ensureLatestN8nInstalled,
	MANUAL_START,
	N8N_VERSION,
	PACKAGE_NAME,
	packageNodeTypes,
	releaseOf,
	ROOT,
	type N8nApi,
	type Workflow,
} from '../scripts/lib/n8n.cjs';
import {
	formatDuration,
	log,
	shutdownAll,
	stopEverythingOnSignals,
	waitFor,
} from '../scripts/lib/process.cjs';
import {
	freshUserFolder,
	provision,
	startStack,
	type Provisioned,
	type Stack,
} from '../scripts/lib/stack.cjs';
import { runAssistantSuite } from './assistant.cjs';
import { broadcastChecks } from './broadcast.cjs';
import { BrowserCheck } from './browser.cjs';
import { check, failedChecks, summary } from './checks.cjs';
import { credentialChecks } from './credential.cjs';
import { failedCheckCleanupCheck } from './failed-check.cjs';
import { runLifecycleChecks } from './lifecycle.cjs';
import { triggerOutputCheck } from './trigger-output.cjs';
import { listeningAddresses, processGroup } from './listening.cjs';
import { repliesDuringBroadcastCheck } from './replies.cjs';
import { sendAndWaitSuite } from './sendAndWait.cjs';

// `--n8n <version>`: another n8n release (see releaseOf), or `latest`: the newest release that
// installs from the registry. n8n 1.x runs a reduced suite without the browser checks: its editor
// differs, and its default expression engine drops an example's item (see the contact import).
const versionArgument = process.argv.indexOf('--n8n');
const REQUESTED = versionArgument > 0 ? process.argv[versionArgument + 1] : N8N_VERSION;
if (REQUESTED !== 'latest') releaseOf(REQUESTED);
const IS_DEFAULT_RELEASE = REQUESTED === N8N_VERSION;
const ARTIFACTS = path.join(
	ROOT,
	'.artifacts',
	IS_DEFAULT_RELEASE ? 'e2e' : `e2e-n8n-${REQUESTED}`,
);
let summaryLabel = IS_DEFAULT_RELEASE ? 'e2e' : `e2e (n8n ${REQUESTED})`;
const CUSTOMER = { phone: '966501112233', name: 'E2E Customer' };

/** The webhooks this n8n registered on the sandbox (production URLs, not the editor's test URLs). */
function n8nWebhooks(sandbox: Sandbox, n8nUrl: string) {
	return sandbox.webhooks().filter((hook) => hook.url.startsWith(`${n8nUrl}/webhook/`));
}

/**
 * The API requests the sandbox received for one endpoint, ordered by `orderBy` of their body: n8n
 * sends the items of a declarative node concurrently, so arrival order is not item order.
 */
function apiRequests(
	sandbox: Sandbox,
	method: string,
	apiPath: string,
	orderBy?: (body: IDataObject) => string,
) {
	const matching = sandbox
		.requests()
		.filter((request) => request.method === method && request.path === `/v1${apiPath}`);
	if (!orderBy) return matching;
	return matching.sort((a, b) =>
		orderBy(a.body as IDataObject).localeCompare(orderBy(b.body as IDataObject)),
	);
}

/** Runs a saved workflow from its manual trigger through n8n's executor and checks it succeeded. */
async function runManually(api: N8nApi, workflow: Workflow & { id: string }): Promise<void> {
	const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
	assert.ok(trigger, `${workflow.name} has no manual trigger`);
	const executionId = await api.runManually(workflow.id, trigger.name);
	const execution = await api.waitForExecution(executionId);
	assert.equal(
		execution.status,
		'success',
		`execution ${executionId} of ${workflow.name} ended ${execution.status}`,
	);
}

/** What the editor's template list must show: the sandbox's approved templates. */
function approvedTemplateLabels(sandbox: Sandbox): string[] {
	return sandbox
		.state()
		.templates.filter((template) => template.status === 'approved')
		.map((template) => `${template.name} (${template.language})`)
		.sort((a, b) => a.localeCompare(b));
}

async function runSuite(
	stack: Stack,
	provisioned: Provisioned,
	browser: BrowserCheck | undefined,
	fullSuite: boolean,
): Promise<void> {
	const { api, url: n8nUrl } = stack.n8n;
	const { sandbox } = stack;
	const { echoBot, templateBroadcast, contactImport } = provisioned.workflows;
	const authorization = `Bearer ${sandbox.apiKey}`;
	let echoBotWebhookId: number | undefined;

	await check(
		'n8n loaded every Azeer node and the credential from the installed tarball',
		async () => {
			const names = (await api.types<{ name: string }>('nodes')).map((node) => node.name);
			for (const type of packageNodeTypes()) assert.ok(names.includes(type), `${type} missing`);
			const credentials = await api.types<{ name: string }>('credentials');
			assert.ok(
				credentials.some((credential) => credential.name === 'azeerApi'),
				'AzeerApi credential missing',
			);
		},
	);

	await credentialChecks(api, sandbox, provisioned.credentialId);

	await check('n8n, its task runner and the sandbox listen on 127.0.0.1 only', async () => {
		const n8nGroup = stack.n8n.service.child.pid;
		assert.ok(n8nGroup, 'n8n has no pid');
		const addresses = listeningAddresses([process.pid, ...processGroup(n8nGroup)]);
		assert.ok(
			addresses.includes(`127.0.0.1:${stack.n8n.port}`),
			`n8n's port missing from ${addresses.join(', ')}`,
		);
		assert.ok(
			addresses.includes(new URL(sandbox.origin).host),
			`the sandbox's port missing from ${addresses.join(', ')}`,
		);
		const exposed = addresses.filter((address) => !address.startsWith('127.0.0.1:'));
		assert.deepEqual(exposed, [], `listening beyond loopback: ${exposed.join(', ')}`);
	});

	await check('activating the echo bot registers its webhook on the sandbox', async () => {
		assert.equal(
			n8nWebhooks(sandbox, n8nUrl).length,
			0,
			'a webhook was registered before activation',
		);
		await api.activate(echoBot.id);
		// n8n 2.x may finish registering the trigger shortly after the activation call returns.
		const hooks = await waitFor('the trigger to register its webhook', async () => {
			const registered = n8nWebhooks(sandbox, n8nUrl);
			return registered.length ? registered : undefined;
		});
		assert.equal(
			hooks.length,
			1,
			`expected one webhook for ${n8nUrl}, got ${JSON.stringify(hooks)}`,
		);
		assert.equal(hooks[0].event, 'incoming_msg');
		assert.equal(hooks[0].enabled, true);
		const triggerNode = echoBot.nodes.find((node) => node.type === 'n8n-nodes-azeer.azeerTrigger');
		const webhookUrl = `${n8nUrl}/webhook/${triggerNode?.webhookId}/webhook`;
		assert.ok(
			hooks[0].url.split('?')[0] === webhookUrl,
			`registered ${hooks[0].url}, expected ${webhookUrl}`,
		);
		echoBotWebhookId = hooks[0].id;
	});

	await check("an inbound WhatsApp message gets the echo bot's reply", async () => {
		sandbox.clearRequests();
		const inbound = sandbox.inbound({
			from: CUSTOMER.phone,
			name: CUSTOMER.name,
			text: 'hello from e2e',
		});
		const reply = await waitFor('the echo bot to reply', async () =>
			sandbox
				.messages(CUSTOMER.phone)
				.find((message) => message.direction === 'out' && message.message_id > inbound.message_id),
		);
		assert.equal(reply.to, CUSTOMER.phone);
		assert.equal(reply.type, 'text');
		assert.equal(reply.text, 'You said: hello from e2e');
		const sends = apiRequests(sandbox, 'POST', '/message/send');
		assert.equal(sends.length, 1, `expected one send request, got ${sends.length}`);
		assert.equal(sends[0].headers.authorization, authorization);
		assert.deepEqual(sends[0].query, { create: 'true' });
		assert.deepEqual(sends[0].body, {
			to: CUSTOMER.phone,
			recipient_type: 'individual',
			type: 'text',
			text: { body: 'You said: hello from e2e' },
		});
	});

	if (browser)
		await check(
			"chat page: a typed message and a sample image get the bot's replies, with delivery ticks (browser)",
			async () => {
				await browser.chatRoundTrip(stack.chatUrl, CUSTOMER.phone, 'hi from the chat page', {
					text: 'You said: hi from the chat page',
					image: 'You said: Sample photo',
				});
			},
		);

	await check('deactivating the echo bot removes its webhook from the sandbox', async () => {
		await api.deactivate(echoBot.id);
		await waitFor('the trigger to delete its webhook', async () =>
			n8nWebhooks(sandbox, n8nUrl).length === 0 ? true : undefined,
		);
		const deletes = apiRequests(sandbox, 'DELETE', `/webhook/${echoBotWebhookId}`);
		assert.equal(deletes.length, 1, `expected one DELETE /webhook/${echoBotWebhookId}`);
		assert.equal(deletes[0].headers.authorization, authorization);
	});

	await failedCheckCleanupCheck(stack, echoBot);

	await check(
		'manual run of the template broadcast sends one template per contact (n8n executor)',
		async () => {
			sandbox.clearRequests();
			await runManually(api, templateBroadcast);
			const sends = apiRequests(sandbox, 'POST', '/message/send', (body) => String(body.to));
			const orders = [
				{ to: '966501230001', name: 'Sara', orderId: 'A-1001', status: 'shipped' },
				{ to: '966501230002', name: 'Omar', orderId: 'A-1002', status: 'out for delivery' },
				{ to: '971501230003', name: 'Lina', orderId: 'A-1003', status: 'delivered' },
			];
			assert.equal(
				sends.length,
				orders.length,
				`expected ${orders.length} sends, got ${sends.length}`,
			);
			sends.forEach((send, index) => {
				const order = orders[index];
				assert.equal(send.headers.authorization, authorization);
				assert.deepEqual(send.query, { create: 'true' });
				assert.deepEqual(send.body, {
					to: order.to,
					recipient_type: 'individual',
					type: 'template',
					template: {
						template_id: 'order_update',
						language: 'en',
						argument: {
							HEADER: [order.orderId],
							BODY: [order.name, order.status],
							BUTTONS: [order.orderId],
						},
					},
				});
				assert.equal(send.status, 200);
			});
		},
	);

	await check(
		"an operation reads each item's $json beside Send and Wait's webhook() (Tag → Create over two items)",
		async () => {
			sandbox.clearRequests();
			const suffix = String(Date.now());
			const azeer = templateBroadcast.nodes.find((node) => node.type === `${PACKAGE_NAME}.azeer`);
			assert.ok(azeer, 'the template broadcast has no Azeer node');
			const workflow = await api.createWorkflow({
				name: 'Tags from items (e2e)',
				nodes: [
					MANUAL_START,
					{
						name: 'Segments',
						type: 'n8n-nodes-base.code',
						typeVersion: 2,
						position: [220, 0],
						parameters: {
							jsCode: `return ['Retail', 'Wholesale'].map((segment) => ({ json: { segment } }));`,
						},
					},
					{
						name: 'Create tag',
						type: `${PACKAGE_NAME}.azeer`,
						typeVersion: 1,
						position: [440, 0],
						parameters: {
							resource: 'tag',
							operation: 'create',
							tagName: `={{ $json.segment + " ${suffix}" }}`,
						},
						credentials: azeer.credentials,
					},
				],
				connections: {
					Start: { main: [[{ node: 'Segments', type: 'main', index: 0 }]] },
					Segments: { main: [[{ node: 'Create tag', type: 'main', index: 0 }]] },
				},
				settings: { executionOrder: 'v1' },
			});
			await runManually(api, workflow as Workflow & { id: string });
			assert.deepEqual(
				apiRequests(sandbox, 'POST', '/tags').map((request) => request.body),
				[{ tag: `Retail ${suffix}` }, { tag: `Wholesale ${suffix}` }],
			);
		},
	);

	// Measured: on n8n 1.123.81's default expression engine ("vm"), the example's Filter step
	// (`$('Contacts to import').item.json.vip`) passes no item; with N8N_EXPRESSION_ENGINE=legacy it does.
	if (fullSuite)
		await check(
			'manual run of the contact import creates the contacts as leads in one request and tags the VIPs',
			async () => {
				sandbox.clearRequests();
				await runManually(api, contactImport);
				const created = apiRequests(sandbox, 'POST', '/contact/create');
				assert.deepEqual(
					created.map((request) => request.body),
					[
						{
							mode: 'sync',
							contacts: [
								['966501234001', 'Huda Saleh', 'SA'],
								['966501234002', 'Khalid Nasser', 'SA'],
								['971501234003', 'Mariam Youssef', 'AE'],
							].map(([phone, name, country]) => ({
								platform_id: phone,
								platform: 'whatsapp',
								profile_name: name,
								profile_display_name: name,
								country_code: country,
								tags: [2],
							})),
						},
					],
					'Create Many sends the three contacts in one request',
				);
				const tagged = apiRequests(sandbox, 'POST', '/contact/tags', (body) =>
					String(body.platform_id),
				);
				assert.deepEqual(
					tagged.map((request) => request.body),
					[
						{ platform_id: '966501234001', tag_ids: [1] },
						{ platform_id: '971501234003', tag_ids: [1] },
					],
				);
				const tagsOf = (phone: string) =>
					sandbox
						.state()
						.contacts.find((contact) => contact.platform_id === phone)
						?.tag_ids.slice()
						.sort();
				assert.deepEqual(tagsOf('966501234001'), [1, 2]);
				assert.deepEqual(tagsOf('966501234002'), [2]);
				assert.deepEqual(tagsOf('971501234003'), [1, 2]);
			},
		);

	if (browser)
		await check(
			'editor: Azeer → Message → Send Template lists the sandbox templates and their variables (browser)',
			async () => {
				await browser.templatePicker(n8nUrl, {
					templates: approvedTemplateLabels(sandbox),
					variables: [
						{
							template: 'order_update (en)',
							fields: ['Header {{1}}', 'Body {{1}}', 'Body {{2}}', 'Button {{1}}'],
						},
						{ template: 'welcome_offer (en)', fields: ['Header image URL', 'Body {{1}}'] },
					],
				});
			},
		);

	if (browser) await triggerOutputCheck(browser, stack, echoBot, CUSTOMER);
	if (fullSuite) await broadcastChecks(stack, provisioned, check);
	if (fullSuite) await repliesDuringBroadcastCheck(stack, provisioned, check);
}

async function main(): Promise<number> {
	stopEverythingOnSignals();
	const started = Date.now();
	fs.rmSync(ARTIFACTS, { recursive: true, force: true });
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	let version = REQUESTED;
	if (REQUESTED === 'latest') {
		const latest = await ensureLatestN8nInstalled();
		version = latest.version;
		summaryLabel = `e2e (n8n ${version}, latest installable)`;
		log(
			version === latest.latestTag
				? `n8n ${version} is the registry's latest release`
				: `the registry's latest n8n is ${latest.latestTag}; testing ${version}, the newest release that installs here. Skipped:\n  ${latest.skipped.join('\n  ')}`,
		);
	}
	const fullSuite = Number(version.split('.')[0]) >= 2;
	const browser = fullSuite ? new BrowserCheck(ARTIFACTS) : undefined;
	const repeat = Math.max(1, Number(process.argv[process.argv.indexOf('--repeat') + 1]) || 1);
	const stateDir = path.join(ARTIFACTS, 'state');
	const failedRuns: number[] = [];
	try {
		for (let run = 1; run <= repeat; run++) {
			const failedBefore = failedChecks().length;
			let stack: Stack | undefined;
			let provisioned: Provisioned | undefined;
			const ready = await check(
				'start the sandbox and n8n with the packed tarball, import the examples',
				async () => {
					fs.rmSync(stateDir, { recursive: true, force: true });
					stack = await startStack({
						stateDir,
						userFolder: freshUserFolder(`e2e-${version}`),
						n8nVersion: version,
					});
					provisioned = await provision(stack.n8n.api, stack.sandbox);
				},
				{ always: true },
			);
			if (ready && stack && provisioned) {
				for (const [label, duration] of Object.entries(stack.timings)) log(`${label}: ${duration}`);
				await runSuite(stack, provisioned, browser, fullSuite);
				if (fullSuite && browser) {
					await runAssistantSuite(stack, provisioned, browser, check);
					await sendAndWaitSuite({ stack, provisioned, browser, check });
					await runLifecycleChecks(stack, provisioned, check);
				}
			}
			await shutdownAll();
			const failedHere = failedChecks().slice(failedBefore);
			if (failedHere.length > 0) failedRuns.push(run);
			if (repeat > 1)
				log(
					`run ${run}/${repeat}: ${failedHere.length} failed${failedHere.map((name) => `\n  ✗ ${name}`).join('')}`,
				);
		}
		if (repeat > 1)
			log(
				`${repeat - failedRuns.length} of ${repeat} runs without a failure${failedRuns.length ? ` (failed: ${failedRuns.join(', ')})` : ''}`,
			);
	} finally {
		await browser?.close();
		await shutdownAll();
	}
	log(
		`artifacts (n8n log, screenshots): ${ARTIFACTS}; total ${formatDuration(Date.now() - started)}`,
	);
	return summary(summaryLabel);
}

main().then(
	(code) => process.exit(code),
	async (error: Error) => {
		log(`e2e crashed: ${error.stack ?? error.message}`);
		await shutdownAll();
		summary(summaryLabel, 1);
		process.exit(1);
	},
);
