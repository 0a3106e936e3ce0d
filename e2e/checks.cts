/** Named checks for the end-to-end suites: each one passes or fails on its own and is reported by name. */
import { formatDuration, log } from '../scripts/lib/process.cjs';

const results: Array<{ name: string; ok: boolean }> = [];

/** AZEER_E2E_ONLY=<text>: run only the checks whose name contains it (and the set-up they need). */
const only = process.env.AZEER_E2E_ONLY;

export async function check(
	name: string,
	body: () => Promise<void>,
	{ always = false } = {},
): Promise<boolean> {
	if (only && !always && !name.includes(only)) return true;
	const started = Date.now();
	try {
		await body();
		results.push({ name, ok: true });
		log(`\x1b[32m✓\x1b[0m ${name} (${formatDuration(Date.now() - started)})`);
		return true;
	} catch (error) {
		results.push({ name, ok: false });
		log(`\x1b[31m✗ ${name}\x1b[0m\n${(error as Error).stack ?? String(error)}`);
		return false;
	}
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
