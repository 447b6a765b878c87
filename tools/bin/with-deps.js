#!/usr/bin/env node
// Entry point of the npm scripts. On a fresh clone it installs dependencies first (npm ci), so
// `npm start` and `npm test` work as the very first command; then it runs the requested job.
'use strict';
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
const { ensureWorkspaceInstalled } = require('./npm-install-state');

const root = join(__dirname, '..', '..');
const JOBS = {
  main: ['tools/src/main-job/cli.ts'],
  test: ['tools/src/test-job/cli.ts'],
  bench: ['tools/src/bench/cli.ts'],
  'new-env': ['tools/src/generator/cli.ts'],
  schema: ['tools/src/workspace/write-schema.ts'],
};

const [job, ...args] = process.argv.slice(2);
if (!JOBS[job]) {
  process.stderr.write(`unknown job "${job}"; expected one of: ${Object.keys(JOBS).join(', ')}\n`);
  process.exit(2);
}
const installStatus = ensureWorkspaceInstalled(root);
if (installStatus !== 0) process.exit(installStatus);
const run = spawnSync(process.execPath, ['--import', 'tsx', ...JOBS[job], ...args], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
