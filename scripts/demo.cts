/**
 * `npm start`: the sandbox and a real n8n with this package, ready to build a WhatsApp bot.
 * State (n8n's database, the sandbox's contacts and messages) is kept in $AZEER_CACHE_DIR/demo
 * between runs; `npm start -- --fresh` starts over. The AI WhatsApp assistant answers the chat page,
 * or the echo bot with `npm start -- --echo`.
 */
import fs from 'node:fs';
import path from 'node:path';

import { cacheDir, DEMO_OWNER } from './lib/n8n.cjs';
import {
	assertPortFree,
	isShuttingDown,
	log,
	shutdownAll,
	stopEverythingOnSignals,
} from './lib/process.cjs';
import { DEFAULT_RATE_LIMITS } from '../sandbox/throttle.cjs';
import { CREDENTIAL_NAME, provision, republishIfMoved, startStack } from './lib/stack.cjs';

async function main(): Promise<void> {
	stopEverythingOnSignals();
	const stateDir = path.join(cacheDir(), 'demo');
	if (process.argv.includes('--fresh')) {
		log(`--fresh: removing ${stateDir}`);
		fs.rmSync(stateDir, { recursive: true, force: true });
	}
	const n8nPort = Number(process.env.AZEER_N8N_PORT ?? 5678);
	const sandboxPort = Number(process.env.AZEER_SANDBOX_PORT ?? 4010);
	await assertPortFree(n8nPort, 'AZEER_N8N_PORT');
	await assertPortFree(sandboxPort, 'AZEER_SANDBOX_PORT');

	const stack = await startStack({
		stateDir,
		n8nPort,
		sandboxPort,
		sandboxStateFile: path.join(stateDir, 'sandbox-state.json'),
		rateLimits: DEFAULT_RATE_LIMITS,
	});
	const { workflows } = await provision(stack.n8n.api, stack.sandbox);
	// Both bots answer every incoming message, so only one of them is active: the AI assistant, or
	// the echo bot with `npm start -- --echo`.
	const [bot, otherBot] = process.argv.includes('--echo')
		? [workflows.echoBot, workflows.aiAssistant]
		: [workflows.aiAssistant, workflows.echoBot];
	if ((await stack.n8n.api.getWorkflow(otherBot.id)).active)
		await stack.n8n.api.deactivate(otherBot.id);
	// The appointment confirmation is active so that its Azeer Trigger forwards the customers' taps
	// to the waiting questions. A trigger started before on another port (AZEER_N8N_PORT) still has
	// its webhook there: publish it again.
	for (const workflow of [bot, workflows.appointmentConfirmation]) {
		if (await republishIfMoved(stack, workflow)) continue;
		if (!(await stack.n8n.api.getWorkflow(workflow.id)).active)
			await stack.n8n.api.activate(workflow.id);
	}

	const url = stack.n8n.url;
	const lines = [
		'',
		'  n8n with the Azeer nodes is running.',
		'',
		`  n8n editor      ${url}`,
		`  Login           ${DEMO_OWNER.email} / ${DEMO_OWNER.password}`,
		`  Active bot      ${bot.name}: ${url}/workflow/${bot.id} (message it from the chat page)`,
		`  Sandbox chat    ${stack.chatUrl}`,
		`  Sandbox API     ${stack.sandbox.baseUrl}  (credential "${CREDENTIAL_NAME}", key ${stack.sandbox.keys.readWrite[0]})`,
		`  Logs            ${path.join(stateDir, 'logs')}`,
		'',
		`  Examples: ${Object.values(workflows)
			.map((workflow) => workflow.name)
			.join(', ')}`,
		bot === workflows.aiAssistant
			? '  Try: "add me to vip", "send me the offer", "talk to a human", "who am i". The echo bot instead: npm start -- --echo'
			: '  The AI WhatsApp assistant instead: npm start (without --echo)',
		'  Stop with Ctrl-C (stops n8n and the sandbox). Start over with: npm start -- --fresh',
		'',
	];
	for (const [label, duration] of Object.entries(stack.timings)) log(`${label}: ${duration}`);
	process.stdout.write(`${lines.join('\n')}\n`);

	const code = await stack.n8n.service.exited;
	if (isShuttingDown()) return;
	log(`n8n exited unexpectedly (code ${code}); see ${stack.n8n.logFile}`);
	await shutdownAll();
	process.exit(1);
}

main().catch(async (error: Error) => {
	log(`demo failed: ${error.stack ?? error.message}`);
	await shutdownAll();
	process.exit(1);
});
