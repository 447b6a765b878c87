#!/usr/bin/env node
// `npm run mutation -- <package> [--incremental] [stryker options]`: StrykerJS on one package,
// with the package's stryker.config.mjs. A benchmark (minutes per package), not part of `npm test`.
//   --incremental  re-test only mutants whose code or covering tests changed since the last run
//                  (reports/mutation/<package>/stryker-incremental.json; a full run without it)
// Anything else goes to `stryker run` as is, e.g. --mutate packages/policy/src/rules/s3.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// Packages with a configuration, and the tools project (its schema proxy and wire code).
const folders = readdirSync(join(root, 'packages')).map((p) => `packages/${p}`).concat('tools');
const configured = folders.filter((f) => existsSync(join(root, f, 'stryker.config.mjs'))).map((f) => f.split('/').pop());
const folderOf = (name) => folders.find((f) => f.split('/').pop() === name);
const [pkg, ...args] = process.argv.slice(2);

if (!pkg || !configured.includes(pkg)) {
  process.stderr.write(
    `${pkg ? `${folderOf(pkg) ?? `packages/${pkg}`} has no stryker.config.mjs` : 'no package given'}: run \`npm run mutation -- <package>\` with one of: ${configured.join(', ')}\n`,
  );
  process.exit(2);
}
const stryker = join(root, 'node_modules', '.bin', 'stryker');
if (!existsSync(stryker)) {
  process.stderr.write('StrykerJS is not installed: run `npm ci` first\n');
  process.exit(2);
}
const run = spawnSync(stryker, ['run', `${folderOf(pkg)}/stryker.config.mjs`, ...args], { cwd: root, stdio: 'inherit' });
if (run.status === 0) process.stdout.write(`\nreport: reports/mutation/${pkg}/index.html (JSON: reports/mutation/${pkg}/mutation.json)\n`);
process.exit(run.status ?? 1);
