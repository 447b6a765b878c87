// A recording stand-in for the k6 binary, for tests that run the documented commands (no k6 can
// be installed where the tests run). `k6 run <bundle>` loads the real bundle in Node with the
// recording module stand-ins (test-support/k6-harness.mjs), hands its handleSummary() a summary
// shaped as k6 reports a run of the bundle's plan, writes the files handleSummary returns and
// exits as k6 does: 0 when the verdict passed, 99 when it failed. It sends no request and
// measures nothing: what it proves is the plumbing (environment file, variables, reports, exit
// codes), not a GitLab's performance.
//
// K6_STAND_IN_SHAPE: a RunShape as JSON (e.g. {"ttfbP90":{"api_user":900}}) for an unhealthy run.
// K6_STAND_IN_LOG: a file to which each call appends its arguments (never the environment).
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ENV_VARS, resolveSuiteConfig } from '../lib/config';
import { buildPlan } from '../lib/plan';
import { setupFailureOf } from '../lib/summary-document';
import { k6SummaryFixture, type RunShape } from './fixtures';
import { runBundle } from './harness';

/** Runs the stand-in like `k6 <argv>`; returns k6's exit code. */
export function runK6StandIn(argv: readonly string[], env: NodeJS.ProcessEnv, stdout: (text: string) => void = (t) => process.stdout.write(t)): number {
  if (env.K6_STAND_IN_LOG) appendFileSync(env.K6_STAND_IN_LOG, `${JSON.stringify(argv)}\n`);
  const [command, script] = argv;
  if (command === 'version') {
    stdout('k6 stand-in (not k6)\n');
    return 0;
  }
  if (command !== 'run' || !script) {
    process.stderr.write('k6 stand-in: only "run <script>" is supported\n');
    return 2;
  }
  const envFile = env[ENV_VARS.environmentFile] || resolve(dirname(script), 'environment.json');
  const plan = buildPlan(resolveSuiteConfig(envFile, JSON.parse(readFileSync(envFile, 'utf8')), env));
  const shape: RunShape = env.K6_STAND_IN_SHAPE ? (JSON.parse(env.K6_STAND_IN_SHAPE) as RunShape) : {};
  const data = k6SummaryFixture(plan, { loadShare: 1 / plan.parallelism, ...shape });
  const passEnv = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && (e[0].startsWith('LOAD_TEST_') || e[0].startsWith('GITLAB_'))));
  const out = runBundle({ bundle: resolve(script), env: passEnv, actions: [{ call: 'handleSummary', data }] });
  if (out.initError) {
    process.stderr.write(`level=error msg="${out.initError.replace(/\n/g, '\\n')}"\n`);
    return 107;
  }
  const [summary] = out.results;
  if (summary.error) {
    process.stderr.write(`level=error msg="handleSummary() failed: ${summary.error}"\n`);
    return 107;
  }
  for (const [path, text] of Object.entries(summary.value as Record<string, string>)) {
    if (path === 'stdout') stdout(text);
    else {
      mkdirSync(dirname(resolve(path)), { recursive: true });
      writeFileSync(resolve(path), text);
    }
  }
  if (setupFailureOf(data.setup_data) !== undefined) return 108;
  const passed = (JSON.parse((summary.value as Record<string, string>)[`${(env[ENV_VARS.reportDir] || 'load-test-report').replace(/\/+$/, '')}/summary.json`]) as { verdict: { passed: boolean } }).verdict.passed;
  return passed ? 0 : 99;
}

if (require.main === module) process.exitCode = runK6StandIn(process.argv.slice(2), process.env);
