// n8n's own node CLI on this repository (CI runs it): `n8n-node lint` must pass, the shipped code
// (package.json, nodes/, credentials/) must have no error and no warning under n8n's default
// config (the one n8n Cloud verification asks for), and `n8n-node cloud-support` prints the
// package's status. The CLI is installed once into $AZEER_CACHE_DIR (~700 MB): as a dev dependency
// it would weigh on every `npm ci`. Exits non-zero on any problem.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const NODE_CLI_VERSION = '0.48.3';
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const cache = process.env.AZEER_CACHE_DIR;
if (!cache)
	throw new Error('AZEER_CACHE_DIR is not set: run this through `bash scripts/azeer.sh node-cli`');

const cliDir = path.join(cache, `node-cli-${NODE_CLI_VERSION}`);
const cliBin = path.join(cliDir, 'node_modules', '.bin', 'n8n-node');
if (!existsSync(cliBin)) {
	const partial = `${cliDir}.partial-${process.pid}`;
	rmSync(partial, { recursive: true, force: true });
	mkdirSync(partial, { recursive: true });
	console.log(`installing @n8n/node-cli@${NODE_CLI_VERSION} into ${cliDir} (first run only)...`);
	// --ignore-scripts: eslint-plugin-n8n-nodes-base's preinstall insists on pnpm.
	execFileSync(
		'npm',
		[
			'install',
			'--prefix',
			partial,
			`@n8n/node-cli@${NODE_CLI_VERSION}`,
			'--ignore-scripts',
			'--no-audit',
			'--no-fund',
			'--loglevel=error',
		],
		{ stdio: 'inherit' },
	);
	if (!existsSync(cliBin)) renameSync(partial, cliDir);
	else rmSync(partial, { recursive: true, force: true });
}

let failed = false;
const cli = (...args) => {
	const result = spawnSync(cliBin, args, {
		cwd: root,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	process.stdout.write(result.stdout + result.stderr);
	return result.status;
};

const lintStatus = cli('lint');
console.log(`n8n-node lint: ${lintStatus === 0 ? 'passed' : `FAILED (exit ${lintStatus})`}`);
if (lintStatus !== 0) failed = true;
cli('cloud-support');

const cliModules = path.join(cliDir, 'node_modules');
const { ESLint } = await import(
	pathToFileURL(path.join(cliModules, 'eslint', 'lib', 'api.js')).href
);
const { config } = await import(
	pathToFileURL(path.join(cliModules, '@n8n', 'node-cli', 'dist', 'configs', 'eslint.js')).href
);
const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: config });
const results = await eslint.lintFiles(['package.json', 'nodes', 'credentials']);
const errors = results.reduce((sum, result) => sum + result.errorCount, 0);
const warnings = results.reduce((sum, result) => sum + result.warningCount, 0);
process.stdout.write((await eslint.loadFormatter('stylish')).format(results));
console.log(
	`n8n's default config on the shipped code (${results.length} files): ${errors} errors, ${warnings} warnings`,
);
if (errors + warnings > 0) failed = true;
process.exit(failed ? 1 : 0);
