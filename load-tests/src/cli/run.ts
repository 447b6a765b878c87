import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ENV_VARS } from '../lib/config';
import { plannedSeconds } from '../lib/k6-options';
import { buildPlan } from '../lib/plan';
import { REPORT_FILES } from '../lib/reports';
import { parseSummaryDocument } from '../lib/summary-document';
import { parseArgs, runCli, secondsOption, UsageError } from './args';
import { DEFAULT_OUT_DIR } from './build';
import { loadSuiteEnvironment, WORKSPACE_ROOT } from './environment';
import { findK6 } from './k6-binary';

export const RUN_USAGE = `usage: nx run load-tests:run --environment <name> [--mode mixed|per-endpoint] [--duration <hold, e.g. 600 or 10m>]
         [--ramp-up <s>] [--endpoints a,b] [--unsafe-writes] [--out <folder>]
  Runs the k6 suite against the GitLab of environments/<name>.json. GITLAB_TOKEN must hold a
  personal access token; GITLAB_URL overrides gitlab.externalUrl. Reports go to
  <out>/<env>-<mode>-<timestamp>/ (default out: reports/load-tests).`;

export interface RunDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly root: string;
  readonly bundle: string;
  readonly now: Date;
  readonly log: (line: string) => void;
}

/** "2025-01-31T10-20-30Z": sortable, and safe in file names on every OS. */
export const timestamp = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');

export function runMain(argv: readonly string[], deps: RunDeps): number {
  const { options, positionals } = parseArgs(argv, ['unsafe-writes']);
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
    [ENV_VARS.mode]: options.mode,
    [ENV_VARS.holdSeconds]: secondsOption(options, 'duration'),
    [ENV_VARS.rampUpSeconds]: secondsOption(options, 'ramp-up'),
    [ENV_VARS.endpoints]: options.endpoints,
    [ENV_VARS.unsafeWrites]: options['unsafe-writes'],
  };
  const { file, config } = loadSuiteEnvironment(name, overrides, deps.root);
  const plan = buildPlan(config);
  if (!existsSync(deps.bundle)) throw new Error(`${deps.bundle} is missing: build it with nx run load-tests:build`);

  const outRoot = join(deps.root, options.out ?? join('reports', 'load-tests'));
  const reportDir = join(outRoot, `${name}-${plan.mode}-${timestamp(deps.now)}`);
  mkdirSync(reportDir, { recursive: true });

  const rates = plan.traffic.map((t) => `${t.type} ${t.targetRps}`).join(', ');
  deps.log(`load test ${name}: ${plan.size} ${plan.mode} against ${plan.baseUrl} (${rates} RPS), about ${Math.ceil(plannedSeconds(plan) / 60)} min`);
  if (plan.skipped.length) deps.log(`not run: ${plan.skipped.map((s) => s.name).join(', ')}`);

  // Everything reaches k6 as environment variables (never arguments), so the token stays out of
  // process listings.
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(deps.env)) if (v !== undefined) env[k] = v;
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) env[k] = v;
  env[ENV_VARS.environmentFile] = file;
  env[ENV_VARS.reportDir] = reportDir;
  const args = ['run', deps.bundle];
  const k6Run = spawnSync(k6.path, args, { stdio: 'inherit', env, cwd: deps.root });
  if (k6Run.error) throw new Error(`could not start ${k6.path}: ${k6Run.error.message}`);

  const summary = join(reportDir, REPORT_FILES.summary);
  if (existsSync(summary)) {
    const doc = parseSummaryDocument(summary, readFileSync(summary, 'utf8'));
    deps.log(`verdict: ${doc.verdict.passed ? 'PASSED' : 'FAILED'} (score ${doc.verdict.score}%), reports in ${relative(deps.root, reportDir)}/`);
  } else {
    deps.log(`k6 wrote no summary to ${relative(deps.root, reportDir)}/ (exit ${k6Run.status}): see its output above`);
  }
  return k6Run.status ?? 1;
}

if (require.main === module) {
  runCli(
    () => runMain(process.argv.slice(2), { env: process.env, root: WORKSPACE_ROOT, bundle: join(DEFAULT_OUT_DIR, 'suite.js'), now: new Date(), log: (l) => process.stdout.write(`${l}\n`) }),
    RUN_USAGE,
  );
}
