/**
 * `npm run sandbox -- [--port 4010] [--state .sandbox-state.json] [--rw-key K] [--ro-key K]
 *   [--status-delay-ms N] [--session-window-hours N]` — runs the sandbox until Ctrl+C.
 */
import { parseArgs } from 'node:util';

import { startSandbox } from './index';

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			port: { type: 'string', default: '4010' },
			host: { type: 'string', default: '127.0.0.1' },
			state: { type: 'string' },
			'rw-key': { type: 'string', multiple: true },
			'ro-key': { type: 'string', multiple: true },
			'status-delay-ms': { type: 'string' },
			'session-window-hours': { type: 'string' },
		},
	});
	const sandbox = await startSandbox({
		port: Number(values.port),
		host: values.host,
		stateFile: values.state,
		keys: { readWrite: values['rw-key'], readOnly: values['ro-key'] },
		statusDelayMs: values['status-delay-ms'] === undefined ? undefined : Number(values['status-delay-ms']),
		sessionWindowHours: values['session-window-hours'] === undefined ? undefined : Number(values['session-window-hours']),
	});
	const lines = [
		`Azeer sandbox listening`,
		`  Base URL (credential "Base URL"): ${sandbox.baseUrl}`,
		`  Read-write key: ${sandbox.keys.readWrite.join(', ')}`,
		`  Read-only key:  ${sandbox.keys.readOnly.join(', ')}`,
		`  Chat page:      ${sandbox.chatUrl}`,
		`  Control API:    ${sandbox.origin}/__sandbox`,
		`  Scripted model: ${sandbox.origin}/__llm/v1  (OpenAI credential "Base URL"; any API key)`,
		values.state ? `  State file:     ${values.state}` : '  State:          in memory (use --state FILE to keep it)',
	];
	process.stdout.write(`${lines.join('\n')}\n`);
	const stop = () => void sandbox.stop().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error: Error) => {
	process.stderr.write(`${error.message}\n`);
	process.exit(1);
});
