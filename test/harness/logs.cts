/**
 * n8n's logger and error reporter for the tests: what our nodes and n8n-core log is recorded, not
 * printed, so a passing `npm test` prints nothing. A test that provokes a warning or an error
 * asserts on it with `expectLogged`; a warning or error no test asserted fails the test that
 * logged it (test/harness/logs.setup.cts), listing the lines.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';

import type { Logger } from '@n8n/backend-common';
import type { Container as ContainerType } from '@n8n/di';
import { ErrorReporter } from 'n8n-core';
import { ExecutionCancelledError, LoggerProxy } from 'n8n-workflow';

type Level = 'error' | 'warn' | 'info';

export interface LogLine {
	level: Level;
	message: string;
	metadata?: Record<string, unknown>;
	/** `error-reporter`: an error n8n-core reports to its error tracker (Sentry in n8n's CLI). */
	source: 'logger' | 'error-reporter';
	asserted: boolean;
	/** The `runNode` call during which it was logged, if any. */
	run?: symbol;
}

const lines: LogLine[] = [];
const currentRun = new AsyncLocalStorage<symbol>();
/** Set once the file's last check ran: what its own afterAll hooks log after that is printed. */
let checksEnded = false;

function record(line: Omit<LogLine, 'asserted' | 'run'>): void {
	if (checksEnded) {
		if (line.level !== 'info')
			console.error(`Logged after the last check: ${describe([line as LogLine])}`);
		return;
	}
	lines.push({ ...line, asserted: false, run: currentRun.getStore() });
}

const recordingLogger = {
	error: (message: string, metadata?: Record<string, unknown>) =>
		record({ level: 'error', message, metadata, source: 'logger' }),
	warn: (message: string, metadata?: Record<string, unknown>) =>
		record({ level: 'warn', message, metadata, source: 'logger' }),
	info: (message: string, metadata?: Record<string, unknown>) =>
		record({ level: 'info', message, metadata, source: 'logger' }),
	// n8n's default level (info) prints no debug lines either.
	debug: () => {},
	scoped: () => recordingLogger,
};

type ReportOptions = { extra?: Record<string, unknown>; shouldBeLogged?: boolean };

/** Records what n8n-core's default ErrorReporter would log: the error, then each of its causes. */
const recordingErrorReporter = {
	error(error: unknown, options?: ReportOptions) {
		if (error instanceof ExecutionCancelledError || options?.shouldBeLogged === false) return;
		const seen = new Set<unknown>();
		for (let e = error; e instanceof Error && !seen.has(e); e = e.cause) {
			seen.add(e);
			record({
				level: 'error',
				message: e.message,
				metadata: options?.extra,
				source: 'error-reporter',
			});
		}
		if (typeof error === 'string')
			record({ level: 'error', message: error, source: 'error-reporter' });
	},
	warn(error: unknown, options?: ReportOptions) {
		recordingErrorReporter.error(error, options);
	},
	info(message: string) {
		record({ level: 'info', message, source: 'error-reporter' });
	},
};

/** Puts the recorders where n8n-core looks for its logger and error reporter. */
export function installLogRecorder(): void {
	// n8n-core's own copies of @n8n/di and @n8n/backend-common: its container is keyed by these classes.
	const fromCore = createRequire(require.resolve('n8n-core'));
	const { Container } = fromCore('@n8n/di') as { Container: typeof ContainerType };
	const { Logger: LoggerClass } = fromCore('@n8n/backend-common') as {
		Logger: typeof Logger;
	};
	Container.set(LoggerClass, recordingLogger as unknown as Logger);
	Container.set(ErrorReporter, recordingErrorReporter as unknown as ErrorReporter);
	LoggerProxy.init(recordingLogger as unknown as Logger);
}

/** Runs one workflow execution, tagging what it logs so `takeRunReports` can find it. */
export async function inRun<T>(run: symbol, execute: () => Promise<T>): Promise<T> {
	return await currentRun.run(run, execute);
}

/**
 * Marks the errors n8n-core reported during one `runNode` call as seen: they are the node's error,
 * which `runNode` hands to the test as `result.error`.
 */
export function takeRunReports(run: symbol): void {
	for (const line of lines)
		if (line.run === run && line.source === 'error-reporter') line.asserted = true;
}

/**
 * The lines of `level` whose message matches `pattern`, marked as asserted; fails when there is
 * none. Check a line's text further with `lineText(line)`.
 */
export function expectLogged(level: Level, pattern: RegExp | string): LogLine[] {
	const matches = lines.filter(
		(line) =>
			!line.asserted &&
			line.level === level &&
			(typeof pattern === 'string' ? line.message.includes(pattern) : pattern.test(line.message)),
	);
	if (matches.length === 0)
		throw new Error(
			`Nothing was logged at ${level} matching ${String(pattern)}. Logged:\n${describe(lines) || '(nothing)'}`,
		);
	for (const line of matches) line.asserted = true;
	return matches;
}

/** Everything recorded so far (asserted or not) that has not been dropped by `unassertedAndReset`. */
export function loggedLines(): readonly LogLine[] {
	return lines;
}

/** A line's message with its metadata, as a log file would hold it. */
export function lineText(line: LogLine): string {
	return line.metadata === undefined
		? line.message
		: `${line.message} ${JSON.stringify(line.metadata)}`;
}

function describe(list: LogLine[]): string {
	return list.map((line) => `  [${line.level}] ${lineText(line)}`).join('\n');
}

/**
 * The warnings and errors no test asserted, as one message; forgets every line recorded so far.
 * `last`: the file's last check; later warnings and errors are printed.
 */
export function unassertedAndReset(last = false): string | undefined {
	checksEnded = last;
	const left = lines.filter((line) => !line.asserted && line.level !== 'info');
	lines.length = 0;
	if (left.length === 0) return undefined;
	return `Logged but not asserted (assert with expectLogged from test/harness/logs):\n${describe(left)}`;
}
