// n8n's own node CLI on this repository, as n8n's reviewers run it (CI runs this): `n8n-node lint`
// must pass (strict mode: the unmodified eslint.config.mjs, all of the repository's `**/*.ts`)
// and `n8n-node cloud-support` must report the package eligible for n8n Cloud verification.
// Exits non-zero on any problem.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const cliBin = path.join(root, 'node_modules', '.bin', 'n8n-node');

const cli = (...args) => {
	const result = spawnSync(cliBin, args, {
		cwd: root,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	process.stdout.write(result.stdout + result.stderr);
	return { status: result.status, output: result.stdout + result.stderr };
};

const problems = [];
const lint = cli('lint');
console.log(`n8n-node lint: ${lint.status === 0 ? 'passed' : `FAILED (exit ${lint.status})`}`);
if (lint.status !== 0) problems.push('n8n-node lint failed');

const support = cli('cloud-support');
// The CLI colours its output even when it is not a terminal.
const plain = support.output.replace(/\x1b\[[0-9;]*m/g, '');
const eligible = /Status: eligible for n8n Cloud verification/.test(plain);
console.log(`n8n-node cloud-support: ${eligible ? 'eligible' : 'NOT eligible'}`);
if (!eligible) problems.push('n8n-node cloud-support does not report the package eligible');

if (problems.length) {
	console.error(`node CLI check failed:\n- ${problems.join('\n- ')}`);
	process.exit(1);
}
