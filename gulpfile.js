const path = require('path');
const { task, src, dest, parallel } = require('gulp');

// n8n resolves `file:` icons relative to the compiled node/credential file, and reads a node's
// codex (<Node>.node.json) from beside it, so both must land in dist/ at the same relative place.
function copy(folder, pattern) {
	return () =>
		src(path.join(folder, '**', pattern), { encoding: false }).pipe(
			dest(path.join('dist', folder)),
		);
}

task(
	'build:icons',
	parallel(
		copy('icons', '*.svg'),
		copy('nodes', '*.{png,svg}'),
		copy('credentials', '*.{png,svg}'),
		copy('nodes', '*.node.json'),
	),
);
