// Packs the package as npm would publish it and checks the tarball the way n8n's
// community-package scanner does: the packed JavaScript and package.json linted with the same
// rule families, inline `eslint-disable` comments ignored. Also checks what n8n needs to load
// the package and what the verification guidelines forbid. Exits non-zero on any problem.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ESLint } from 'eslint';

import { scanConfig } from '../lint/scan-config.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const problems = [];
const work = mkdtempSync(path.join(tmpdir(), 'azeer-release-'));

try {
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
			cwd: root,
			encoding: 'utf8',
		}),
	);
	const tarball = path.join(work, packed.filename);
	execFileSync('tar', ['xzf', tarball, '-C', work]);
	const pkgDir = path.join(work, 'package');
	const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
	const files = packed.files.map((f) => f.path);

	console.log(
		`tarball: ${packed.filename}, ${(statSync(tarball).size / 1024).toFixed(1)} kB packed, ${files.length} files`,
	);

	if (pkg.dependencies && Object.keys(pkg.dependencies).length)
		problems.push('package.json has runtime dependencies');
	const allowedTop = new Set(['package.json', 'README.md', 'LICENSE', 'index.js', 'CHANGELOG.md']);
	for (const file of files) {
		if (!file.startsWith('dist/') && !allowedTop.has(file))
			problems.push(`unexpected file in tarball: ${file}`);
		if (/(^|\/)(test|tests|__tests__)\//.test(file) || /\.test\.(js|ts)/.test(file))
			problems.push(`test file in tarball: ${file}`);
	}
	for (const entry of [...pkg.n8n.credentials, ...pkg.n8n.nodes]) {
		if (!files.includes(entry))
			problems.push(`package.json n8n block names ${entry}, which is not in the tarball`);
	}
	for (const file of files.filter((f) => f.endsWith('.js'))) {
		const source = readFileSync(path.join(pkgDir, file), 'utf8');
		for (const icon of source.matchAll(/['"]file:([^'"]+\.(?:svg|png))['"]/g)) {
			if (!existsSync(path.join(pkgDir, path.dirname(file), icon[1])))
				problems.push(`${file}: icon ${icon[1]} missing`);
		}
	}

	const eslint = new ESLint({
		cwd: pkgDir,
		overrideConfigFile: true,
		overrideConfig: scanConfig,
		allowInlineConfig: false,
	});
	const results = await eslint.lintFiles(['**/*.js', 'package.json']);
	const errors = results.reduce((n, r) => n + r.errorCount, 0);
	const warnings = results.reduce((n, r) => n + r.warningCount, 0);
	const formatted = (await eslint.loadFormatter('stylish')).format(results);
	if (formatted) console.log(formatted);
	console.log(
		`scanner rules on the packed files: ${results.length} files, ${errors} errors, ${warnings} warnings`,
	);
	if (errors) problems.push(`${errors} lint errors in the packed files`);
} finally {
	rmSync(work, { recursive: true, force: true });
}

if (problems.length) {
	console.error(`release check failed:\n- ${problems.join('\n- ')}`);
	process.exit(1);
}
console.log('release check passed');
