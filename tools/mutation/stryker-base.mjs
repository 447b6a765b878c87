// Shared StrykerJS settings; each package's stryker.config.mjs names what it mutates.
// Run through `npm run mutation -- <package>` (tools/bin/mutation.mjs), from the repository root.
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * @param {string} pkgDir the package folder, e.g. packages/policy
 * @param {{ mutate: string[], testMatch?: string[] }} options mutate: globs relative to the package
 *   folder ("!" excludes); testMatch: only these tests judge the mutants (jest globs, <rootDir> = the
 *   package folder). Default: every test of the package.
 */
export function strykerConfig(pkgDir, { mutate, testMatch }) {
  const pkg = relative(root, pkgDir);
  const name = pkg.split('/').pop();
  const out = `reports/mutation/${name}`;
  return {
    packageManager: 'npm',
    testRunner: 'jest',
    jest: { configFile: `${pkg}/jest.config.js`, enableFindRelatedTests: true, ...(testMatch ? { config: { testMatch } } : {}) },
    // Workspace imports (@gitlab-aws/*) resolve through node_modules symlinks to the real
    // packages/ folders: a sandbox copy would test the unmutated sources. Mutate in place.
    inPlace: true,
    // ts-jest transpiles without type checks (jest.preset.js), so no file needs "// @ts-nocheck";
    // the default would write it into every source file of the repository during the run.
    disableTypeChecks: false,
    coverageAnalysis: 'perTest',
    checkers: ['typescript'],
    tsconfigFile: `${pkg}/tsconfig.json`,
    concurrency: 1,
    timeoutMS: 10000,
    mutate: mutate.map((g) => (g.startsWith('!') ? `!${pkg}/${g.slice(1)}` : `${pkg}/${g}`)).concat('!**/*.test.ts', '!**/__fixtures__/**'),
    ignorers: ['RuleCrossReferences'],
    plugins: ['@stryker-mutator/jest-runner', '@stryker-mutator/typescript-checker', './tools/mutation/ignorers.mjs'],
    reporters: ['clear-text', 'progress', 'html', 'json'],
    htmlReporter: { fileName: `${out}/index.html` },
    jsonReporter: { fileName: `${out}/mutation.json` },
    incrementalFile: `${out}/stryker-incremental.json`,
    tempDirName: '.stryker-tmp',
    cleanTempDir: 'always',
    // A benchmark, not a gate: the score is reported, the run never fails on it.
    thresholds: { high: 85, low: 70, break: null },
  };
}
