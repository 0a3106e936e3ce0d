/**
 * `npm run sandbox -- [--port 4010] [--state .sandbox-state.json] [--rw-key K] [--ro-key K]
 *   [--status-delay-ms N] [--session-window-hours N] [--rate-limit N] [--recipient-interval S]
 *   [--retry-after sometimes|always|never] [--no-limits]` — runs the sandbox until Ctrl+C.
 * Rate limits are on by default: 80 sends/s per account, one send per 6 s to the same number.
 */
import { parseArgs } from 'node:util';

import { startSandbox } from './index.cjs';
import { DEFAULT_RATE_LIMITS, NO_RATE_LIMITS } from './throttle.cjs';
import type { RateLimits } from './throttle.cjs';

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
			'rate-limit': { type: 'string' },
			'recipient-interval': { type: 'string' },
			'retry-after': { type: 'string' },
			'no-limits': { type: 'boolean', default: false },
		},
	});
	const limits = values['no-limits'] ? NO_RATE_LIMITS : DEFAULT_RATE_LIMITS;
	const sandbox = await startSandbox({
		port: Number(values.port),
		host: values.host,
		stateFile: values.state,
		keys: { readWrite: values['rw-key'], readOnly: values['ro-key'] },
		statusDelayMs:
			values['status-delay-ms'] === undefined ? undefined : Number(values['status-delay-ms']),
		sessionWindowHours:
			values['session-window-hours'] === undefined
				? undefined
				: Number(values['session-window-hours']),
		rateLimits: {
			accountPerSecond: Number(values['rate-limit'] ?? limits.accountPerSecond),
			recipientIntervalSeconds: Number(
				values['recipient-interval'] ?? limits.recipientIntervalSeconds,
			),
			retryAfter:
				(values['retry-after'] as RateLimits['retryAfter'] | undefined) ?? limits.retryAfter,
		},
	});
	const { accountPerSecond, recipientIntervalSeconds } = sandbox.limits();
	const lines = [
		`Azeer sandbox listening`,
		`  Base URL (credential "Base URL"): ${sandbox.baseUrl}`,
		`  Read-write key: ${sandbox.keys.readWrite.join(', ')}`,
		`  Read-only key:  ${sandbox.keys.readOnly.join(', ')}`,
		`  Chat page:      ${sandbox.chatUrl}`,
		`  Control API:    ${sandbox.origin}/__sandbox`,
		`  Scripted model: ${sandbox.origin}/__llm/v1  (OpenAI credential "Base URL"; any API key)`,
		`  Rate limits:    ${accountPerSecond || 'no'} sends/s per account, ${recipientIntervalSeconds ? `one per ${recipientIntervalSeconds} s` : 'no limit'} per number (POST /__sandbox/limits)`,
		values.state
			? `  State file:     ${values.state}`
			: '  State:          in memory (use --state FILE to keep it)',
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
