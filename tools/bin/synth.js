#!/usr/bin/env node
// Synthesizes one environment app without the cdktf CLI: a clean cdktf.out, then the app's main.ts
// through tsx. Usage: node tools/bin/synth.js apps/<env>
'use strict';
const { spawnSync } = require('node:child_process');
const { rmSync, writeFileSync, mkdirSync } = require('node:fs');
const { resolve, join } = require('node:path');

const appDir = resolve(process.argv[2] || '.');
const outdir = join(appDir, 'cdktf.out');
// Everything derived from the previous synth goes first, so a failed synth leaves no stale results:
// the synth output (with its guardrail report) and the offline plan's report and plan JSON.
for (const stale of [outdir, join(appDir, '.verify', 'report.json'), join(appDir, '.verify', 'plans')]) rmSync(stale, { recursive: true, force: true });
const start = Date.now();
const result = spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], {
  cwd: appDir,
  stdio: 'inherit',
  env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' },
});
if (result.status !== 0) process.exit(result.status ?? 1);
mkdirSync(outdir, { recursive: true });
writeFileSync(join(outdir, 'synth-meta.json'), JSON.stringify({ ms: Date.now() - start, at: new Date().toISOString() }) + '\n');
