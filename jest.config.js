const os = require('os');
const path = require('path');

// n8n-core's InstanceSettings writes an encryption key into the user folder; keep it out of $HOME.
process.env.N8N_USER_FOLDER =
	process.env.N8N_USER_FOLDER || path.join(os.tmpdir(), 'n8n-nodes-azeer-jest');

/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.cts'],
	moduleFileExtensions: ['cts', 'ts', 'js', 'json'],
	resolver: '<rootDir>/test/harness/resolver.js',
	setupFilesAfterEnv: ['<rootDir>/test/harness/logs.setup.cts'],
	transform: { '^.+\\.c?ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	testTimeout: 30000,
};
