#!/usr/bin/env node
// Entry point of the npm scripts. On a fresh clone it installs dependencies first (npm ci), so
// `npm start` and `npm test` work as the very first command; then it runs the requested job.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const JOBS = {
  main: ['tools/src/main-job/cli.ts'],
  test: ['tools/src/test-job/cli.ts'],
  bench: ['tools/src/bench/cli.ts'],
  'new-env': ['tools/src/generator/cli.ts'],
  schema: ['tools/src/workspace/write-schema.ts'],
};

function installed() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  return existsSync(marker) && existsSync(join(root, 'node_modules', '.bin', 'nx')) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs;
}

const [job, ...args] = process.argv.slice(2);
if (!JOBS[job]) {
  process.stderr.write(`unknown job "${job}"; expected one of: ${Object.keys(JOBS).join(', ')}\n`);
  process.exit(2);
}
if (!installed()) {
  process.stdout.write('dependencies are missing or older than package-lock.json: running npm ci first\n');
  const ci = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (ci.status !== 0) process.exit(ci.status ?? 1);
}
const run = spawnSync(process.execPath, ['--import', 'tsx', ...JOBS[job], ...args], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
