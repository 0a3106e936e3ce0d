import { scanConfig } from './lint/scan-config.mjs';

export default [{ ignores: ['dist/**', 'node_modules/**'] }, ...scanConfig];
