#!/usr/bin/env node
// Entry point of the npm scripts. On a fresh clone it installs dependencies first (npm ci), so
// `npm start` and `npm test` work as the very first command; then it runs the requested job.
'use strict';
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
const { ensureWorkspaceInstalled } = require('./npm-install-state');
const { jobBundle } = require('./job-bundle');

const root = join(__dirname, '..', '..');
const JOBS = {
  main: ['tools/src/main-job/cli.ts'],
  test: ['tools/src/test-job/cli.ts'],
  bench: ['tools/src/bench/cli.ts'],
  'new-env': ['tools/src/generator/cli.ts'],
  schema: ['tools/src/workspace/write-schema.ts'],
};
const BUNDLED = new Set(['main']);

const [job, ...args] = process.argv.slice(2);
if (!JOBS[job]) {
  process.stderr.write(`unknown job "${job}"; expected one of: ${Object.keys(JOBS).join(', ')}\n`);
  process.exit(2);
}
const installStatus = ensureWorkspaceInstalled(root);
if (installStatus !== 0) process.exit(installStatus);
// The main job runs on every `npm start`, often as a cached repeat of a few seconds: it runs from a
// bundle in this process. The others run through tsx in a child, as before.
const bundle = BUNDLED.has(job) ? jobBundle(root, JOBS[job][0]) : undefined;
if (bundle) {
  process.argv = [process.argv[0], bundle, ...args];
  process.chdir(root);
  require(bundle);
} else {
  const run = spawnSync(process.execPath, ['--import', 'tsx', ...JOBS[job], ...args], { cwd: root, stdio: 'inherit' });
  process.exit(run.status ?? 1);
}
