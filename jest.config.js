const os = require('os');
const path = require('path');

// n8n-core's InstanceSettings writes an encryption key into the user folder; keep it out of $HOME.
process.env.N8N_USER_FOLDER =
	process.env.N8N_USER_FOLDER || path.join(os.tmpdir(), 'n8n-nodes-azeer-jest');

/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	setupFilesAfterEnv: ['<rootDir>/test/harness/logs.setup.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	testTimeout: 30000,
};
