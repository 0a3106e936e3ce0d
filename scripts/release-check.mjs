// Packs the package as npm would publish it and scans it the way n8n's verification does, with n8n's
// own scanner (@n8n/scan-community-package, installed once into $AZEER_CACHE_DIR): its
// `analyzePackage` and its config, inline `eslint-disable` comments ignored, on the committed
// source (`package.json` and `{nodes,credentials}/**`, as it reads the commit a provenance
// statement names) and on the tarball's `.js` files and package.json. The scanner's registry and
// GitHub steps (provenance, downloads) need a published version and are not run here. Also checks
// what n8n needs to load the package and what the verification guidelines forbid. Exits non-zero
// on any problem.
import { execFileSync } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	renameSync,
	rmSync,
	statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const SCANNER_VERSION = '0.32.0';

/** n8n's scanner module, installed once into the shared cache (temp dir + rename). */
async function loadScanner() {
	const cache = process.env.AZEER_CACHE_DIR;
	if (!cache)
		throw new Error(
			'AZEER_CACHE_DIR is not set: run this through `bash scripts/azeer.sh release-check`',
		);
	const dir = path.join(cache, `scan-community-package-${SCANNER_VERSION}`);
	const entry = path.join(
		dir,
		'node_modules',
		'@n8n',
		'scan-community-package',
		'scanner',
		'scanner.mjs',
	);
	if (!existsSync(entry)) {
		const partial = `${dir}.partial-${process.pid}`;
		rmSync(partial, { recursive: true, force: true });
		mkdirSync(partial, { recursive: true });
		console.log(
			`installing @n8n/scan-community-package@${SCANNER_VERSION} into ${dir} (first run only)...`,
		);
		// --ignore-scripts: eslint-plugin-n8n-nodes-base's preinstall insists on pnpm.
		execFileSync(
			'npm',
			[
				'install',
				'--prefix',
				partial,
				`@n8n/scan-community-package@${SCANNER_VERSION}`,
				'--ignore-scripts',
				'--no-audit',
				'--no-fund',
				'--loglevel=error',
			],
			{ stdio: 'inherit' },
		);
		if (!existsSync(entry)) renameSync(partial, dir);
		else rmSync(partial, { recursive: true, force: true });
	}
	return import(pathToFileURL(entry).href);
}

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

	const { analyzePackage, SOURCE_FILE_PATTERNS } = await loadScanner();
	const scans = [['the packed files (**/*.js, package.json)', pkgDir, ['**/*.js', 'package.json']]];
	const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
	const sourceDir = path.join(work, 'source');
	mkdirSync(sourceDir);
	execFileSync('sh', ['-c', `git archive --format=tar HEAD | tar xf - -C "${sourceDir}"`], {
		cwd: root,
	});
	scans.unshift([
		`the source of commit ${commit.slice(0, 7)} (${SOURCE_FILE_PATTERNS.join(', ')})`,
		sourceDir,
		SOURCE_FILE_PATTERNS,
	]);
	const uncommitted = execFileSync(
		'git',
		['status', '--porcelain', '--', 'package.json', 'nodes', 'credentials'],
		{ cwd: root, encoding: 'utf8' },
	);
	if (uncommitted)
		console.log(
			'note: nodes/, credentials/ or package.json have uncommitted changes; the source scan reads the commit',
		);
	for (const [what, dir, patterns] of scans) {
		const result = await analyzePackage(dir, patterns);
		if (result.details) console.log(result.details);
		console.log(
			`n8n's scanner on ${what}: ${result.passed ? 'passed' : `FAILED (${result.message})`}`,
		);
		if (!result.passed) problems.push(`n8n's scanner failed on ${what}`);
	}
} finally {
	rmSync(work, { recursive: true, force: true });
}

if (problems.length) {
	console.error(`release check failed:\n- ${problems.join('\n- ')}`);
	process.exit(1);
}
console.log('release check passed');
