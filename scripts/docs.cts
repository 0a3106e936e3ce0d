/** `npm run docs`: regenerates the README's operation and event tables from the node descriptions. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { generatedReadme } from './lib/operations.cjs';

const readmePath = path.join(__dirname, '..', 'README.md');
writeFileSync(readmePath, generatedReadme(readFileSync(readmePath, 'utf8')));
