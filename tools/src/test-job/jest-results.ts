import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface JestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTotalTests: number;
  testResults: { name: string; status: string; message: string }[];
}

export interface TestTotals {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** Projects whose report is missing: their jest run did not finish. */
  readonly missing: string[];
  readonly perProject: { project: string; passed: number; failed: number; skipped: number }[];
}

/** Adds up the per-project jest JSON reports (reports/jest/<project>.json). */
export function collectJestResults(dir: string, expected: readonly string[]): TestTotals {
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
  const perProject = files.map((f) => {
    const r = JSON.parse(readFileSync(join(dir, f), 'utf8')) as JestJson;
    // A suite that fails to load counts no test; count it as a failure so it cannot hide.
    const brokenSuites = r.testResults.filter((t) => t.status === 'failed' && /Test suite failed to run/.test(t.message)).length;
    return { project: f.replace(/\.json$/, ''), passed: r.numPassedTests, failed: r.numFailedTests + brokenSuites, skipped: r.numPendingTests };
  });
  const sum = (k: 'passed' | 'failed' | 'skipped') => perProject.reduce((n, p) => n + p[k], 0);
  return {
    passed: sum('passed'),
    failed: sum('failed'),
    skipped: sum('skipped'),
    missing: expected.filter((p) => !perProject.some((r) => r.project === p)),
    perProject,
  };
}
