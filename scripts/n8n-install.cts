/**
 * Installs n8n releases into the cache ahead of the suites that need them (`.ci/run` starts it
 * in the background): `bash scripts/azeer.sh n8n-install 2.40.7 1.123.81 latest`.
 */
import { ensureLatestN8nInstalled, ensureN8nInstalled } from './lib/n8n.cjs';
import { formatDuration, log } from './lib/process.cjs';

async function main(versions: string[]): Promise<void> {
	if (versions.length === 0) throw new Error('name the n8n releases to install, or "latest"');
	for (const version of versions) {
		const started = Date.now();
		const installed =
			version === 'latest'
				? (await ensureLatestN8nInstalled()).version
				: (await ensureN8nInstalled(version)).release.version;
		log(`n8n ${installed} is in the cache (${formatDuration(Date.now() - started)})`);
	}
}

main(process.argv.slice(2)).catch((error: Error) => {
	log(`n8n-install failed: ${error.message}`);
	process.exit(1);
});
