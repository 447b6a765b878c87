import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ENV_VARS, SMOKE } from '../lib/config';
import { judgedPhase, plannedSeconds, ttfbMetric } from '../lib/k6-options';
import { findMetric } from '../lib/k6-summary';
import { buildPlan } from '../lib/plan';
import { REPORT_FILES } from '../lib/reports';
import { parseSummaryDocument } from '../lib/summary-document';
import { parseArgs, runCli, secondsOption, UsageError } from './args';
import { buildBundlesSync } from './build';
import { loadSuiteEnvironment, WORKSPACE_ROOT } from './environment';
import { findK6 } from './k6-binary';

export const RUN_USAGE = `usage: nx run load-tests:run --environment <name> [--mode mixed|per-endpoint] [--smoke] [--duration <hold, e.g. 600 or 10m>]
         [--ramp-up <s>] [--endpoints a,b] [--unsafe-writes] [--latency-from <earlier summary.json>] [--out <folder>]
  Runs the k6 suite against the GitLab of environments/<name>.json. GITLAB_TOKEN must hold a
  personal access token; GITLAB_URL overrides gitlab.externalUrl. Reports go to
  <out>/<env>-<mode>-<timestamp>/ (default out: reports/load-tests).`;

/** What each exit code of a run means: k6's own codes, passed through, and the runner's. */
export const EXIT_CODES: Readonly<Record<number, string>> = {
  0: 'passed: every threshold held',
  1: 'the runner failed (e.g. an invalid environment file), or k6 wrote no summary',
  2: 'bad command-line arguments',
  3: 'k6 was not found; nothing was run',
  99: 'failed: a threshold (verdict rule) did not hold',
  100: "setup() timed out",
  104: 'k6 rejected its configuration',
  105: 'stopped from outside (e.g. Ctrl-C)',
  107: 'script error: an exception in the suite (see the error above)',
  108: 'aborted: setup found no usable test data, no load was sent (the cause is in the reports)',
};
export const explainExit = (code: number) => `exit code ${code}: ${EXIT_CODES[code] ?? 'k6 failed (see its output above)'}`;

export interface RunDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly root: string;
  /** Builds the bundle and returns its path (the runner always runs the current sources). */
  readonly build: () => string;
  readonly now: Date;
  readonly log: (line: string) => void;
}

/** "2025-01-31T10-20-30Z": sortable, and safe in file names on every OS. */
export const timestamp = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');

/** Per-endpoint TTFB p95 (else p90) of an earlier run's summary.json, for sizing VU pools. */
export function measuredLatencyFrom(path: string): Record<string, number> {
  const doc = parseSummaryDocument(path, readFileSync(path, 'utf8'));
  const out: Record<string, number> = {};
  for (const e of doc.plan.endpoints) {
    const ttfb = findMetric(doc.k6, ttfbMetric(e.name, judgedPhase(doc.plan)))?.values;
    const ms = ttfb && (ttfb.count ?? 1) > 0 ? (ttfb['p(95)'] ?? ttfb['p(90)']) : undefined;
    if (ms !== undefined && ms > 0) out[e.name] = Math.ceil(ms);
  }
  return out;
}

export function runMain(argv: readonly string[], deps: RunDeps): number {
  const { options, positionals } = parseArgs(argv, ['unsafe-writes', 'smoke']);
  if (options.smoke && options.mode) throw new UsageError('--smoke and --mode exclude each other: a smoke run calls each endpoint once');
  // k6 first: without it nothing else is worth doing (or printing).
  const k6 = findK6(deps.env);
  if (!k6.path) {
    deps.log(k6.problem!);
    return 3;
  }
  const name = options.environment ?? positionals[0];
  if (!name) throw new UsageError('--environment is required: the name of the environment file to test against');
  if (!deps.env[ENV_VARS.token]) throw new UsageError(`${ENV_VARS.token} is not set: export a personal access token (read_api and read_repository; api and write_repository with --unsafe-writes)`);

  const overrides: Record<string, string | undefined> = {
    [ENV_VARS.baseUrl]: deps.env[ENV_VARS.baseUrl],
    [ENV_VARS.mode]: options.smoke ? SMOKE : options.mode,
    [ENV_VARS.holdSeconds]: secondsOption(options, 'duration'),
    [ENV_VARS.rampUpSeconds]: secondsOption(options, 'ramp-up'),
    [ENV_VARS.endpoints]: options.endpoints,
    [ENV_VARS.unsafeWrites]: options['unsafe-writes'],
    [ENV_VARS.measuredLatency]: options['latency-from'] ? JSON.stringify(measuredLatencyFrom(options['latency-from'])) : undefined,
  };
  const { file, config } = loadSuiteEnvironment(name, overrides, deps.root);
  const plan = buildPlan(config);
  const bundle = deps.build();

  const outRoot = join(deps.root, options.out ?? join('reports', 'load-tests'));
  const reportDir = join(outRoot, `${name}-${plan.mode}-${timestamp(deps.now)}`);
  mkdirSync(reportDir, { recursive: true });

  const rates = plan.mode === SMOKE ? `${plan.endpoints.length} endpoints` : `${plan.traffic.map((t) => `${t.type} ${t.targetRps}`).join(', ')} RPS`;
  deps.log(`load test ${name}: ${plan.size} ${plan.mode} against ${plan.baseUrl} (${rates}), ${plan.mode === SMOKE ? 'each endpoint once' : `about ${Math.ceil(plannedSeconds(plan) / 60)} min`}`);
  if (plan.skipped.length) deps.log(`not run: ${plan.skipped.map((s) => s.name).join(', ')}`);

  // Everything reaches k6 as environment variables (never arguments), so the token stays out of
  // process listings.
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(deps.env)) if (v !== undefined) env[k] = v;
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) env[k] = v;
  env[ENV_VARS.environmentFile] = file;
  env[ENV_VARS.reportDir] = reportDir;
  const args = ['run', bundle];
  const k6Run = spawnSync(k6.path, args, { stdio: 'inherit', env, cwd: deps.root });
  if (k6Run.error) throw new Error(`could not start ${k6.path}: ${k6Run.error.message}`);

  let code = k6Run.status ?? 1;
  const summary = join(reportDir, REPORT_FILES.summary);
  if (existsSync(summary)) {
    const doc = parseSummaryDocument(summary, readFileSync(summary, 'utf8'));
    if (doc.verdict.setupError !== undefined) deps.log(`setup failed, no load was sent:\n${doc.verdict.setupError}`);
    deps.log(`verdict: ${doc.verdict.passed ? 'PASSED' : 'FAILED'} (score ${doc.verdict.score}%), reports in ${relative(deps.root, reportDir)}/`);
    // The suite's verdict is the judge: a k6 that exits 0 on a failed verdict still fails the run.
    if (code === 0 && !doc.verdict.passed) {
      deps.log("k6's thresholds held but the verdict failed (see the failed checks above)");
      code = 99;
    }
  } else {
    deps.log(`k6 wrote no summary to ${relative(deps.root, reportDir)}/: see its output above`);
    if (code === 0) code = 1;
  }
  deps.log(explainExit(code));
  return code;
}

if (require.main === module) {
  runCli(
    () => runMain(process.argv.slice(2), { env: process.env, root: WORKSPACE_ROOT, build: () => buildBundlesSync().suite, now: new Date(), log: (l) => process.stdout.write(`${l}\n`) }),
    RUN_USAGE,
  );
}
