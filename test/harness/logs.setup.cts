/**
 * Every test file's set-up (jest.config.js): n8n's logger and error reporter record instead of
 * printing, and a warning or error left unasserted fails the test that logged it (lines logged
 * in the file's beforeAll fail its first test; those of its afterAll hooks are printed).
 */
import { installLogRecorder, unassertedAndReset } from './logs.cjs';

installLogRecorder();

function failOnUnasserted(last: boolean): void {
	const left = unassertedAndReset(last);
	if (left !== undefined) throw new Error(left);
}

afterEach(() => failOnUnasserted(false));
// Runs before the file's own afterAll hooks (jest runs them in order): what those log is printed.
afterAll(() => failOnUnasserted(true));
