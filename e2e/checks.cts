/**
 * Named checks for the end-to-end suites: each one passes or fails on its own, is reported by
 * name, and when it fails, undoes what it started in n8n so that later checks start clean.
 */
import { onN8nChange } from '../scripts/lib/n8n.cjs';
import { formatDuration, log } from '../scripts/lib/process.cjs';

const results: Array<{ name: string; ok: boolean }> = [];

type Cleanup = { description: string; undo: () => Promise<void> };
/** What the running check started: workflow activations and manual runs (through N8nApi), and onCleanup's. */
let started: Cleanup[] | undefined;
onN8nChange((description, undo) => started?.push({ description, undo }));

/** Registers how to undo something the running check started, should the check fail. */
export function onCleanup(description: string, undo: () => Promise<void>): void {
	started?.push({ description, undo });
}

/**
 * Undoes, newest first, what a failed check started: a workflow it left active would answer the
 * next check's messages too, and an execution it left waiting would take its answers. A check
 * that passes keeps its state: the next check may build on it.
 */
async function cleanUp(name: string, cleanups: Cleanup[]): Promise<void> {
	for (const { description, undo } of cleanups.reverse()) {
		try {
			await undo();
			log(`  after "${name}" failed: ${description}`);
		} catch (error) {
			log(`  after "${name}" failed, could not ${description}: ${(error as Error).message}`);
		}
	}
}

/** AZEER_E2E_ONLY=<text>: run only the checks whose name contains it (and the set-up they need). */
const only = process.env.AZEER_E2E_ONLY;

/**
 * Runs `body`, collecting what it starts; if it throws, undoes that and returns the error. What a
 * passing body started stays, and is handed to the enclosing run, which undoes it if it fails.
 */
export async function undoingOnFailure(
	name: string,
	body: () => Promise<void>,
): Promise<{ error?: unknown }> {
	const outer = started;
	const mine: Cleanup[] = [];
	started = mine;
	try {
		await body();
		outer?.push(...mine);
		return {};
	} catch (error) {
		started = undefined;
		await cleanUp(name, mine);
		return { error };
	} finally {
		started = outer;
	}
}

export async function check(
	name: string,
	body: () => Promise<void>,
	{ always = false } = {},
): Promise<boolean> {
	if (only && !always && !name.includes(only)) return true;
	const startedAt = Date.now();
	const { error } = await undoingOnFailure(name, body);
	if (error === undefined) {
		results.push({ name, ok: true });
		log(`\x1b[32m✓\x1b[0m ${name} (${formatDuration(Date.now() - startedAt)})`);
		return true;
	}
	results.push({ name, ok: false });
	log(`\x1b[31m✗ ${name}\x1b[0m\n${(error as Error).stack ?? String(error)}`);
	return false;
}

/** The names of the checks that failed so far, in order. */
export function failedChecks(): string[] {
	return results.filter((result) => !result.ok).map((result) => result.name);
}

/** Prints `<label>: N passed, M failed` (counting `extraFailures`, e.g. a crash) and returns the exit code. */
export function summary(label: string, extraFailures = 0): number {
	const failed = results.filter((result) => !result.ok).length + extraFailures;
	process.stdout.write(
		`${label}: ${results.length + extraFailures - failed} passed, ${failed} failed\n`,
	);
	return failed === 0 ? 0 : 1;
}
