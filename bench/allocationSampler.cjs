/**
 * Loaded into the measured n8n with `--require` by `npm run bench -- --only freeze
 * --freeze-alloc-profile`: V8's sampling heap profiler records where n8n allocates, counting the
 * objects already collected too, and the profile is written to
 * `$AZEER_ALLOCATION_PROFILE_DIR/allocations.<pid>.heapprofile` when the process exits. Read it
 * with `bench/allocationProfile.cts`.
 */
'use strict';

const fs = require('node:fs');
const inspector = require('node:inspector');
const path = require('node:path');

const dir = process.env.AZEER_ALLOCATION_PROFILE_DIR;
if (dir) {
	const session = new inspector.Session();
	session.connect();
	session.post('HeapProfiler.enable');
	session.post('HeapProfiler.startSampling', {
		samplingInterval: 16 * 1024,
		includeObjectsCollectedByMajorGC: true,
		includeObjectsCollectedByMinorGC: true,
	});
	// The session answers in the same turn, so the profile can be written from the exit handler.
	process.once('exit', () => {
		session.post('HeapProfiler.stopSampling', (error, result) => {
			if (error) return;
			fs.writeFileSync(
				path.join(dir, `allocations.${process.pid}.heapprofile`),
				JSON.stringify(result.profile),
			);
		});
	});
}
