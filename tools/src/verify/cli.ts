import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ALLOW_GITLAB_ENV, exitRulesFromEnv, verificationProblems } from './report';
import { stackLine } from './format';
import { PlanProgress } from './progress';
import { verifySynthOutput } from './verify';
import { WORKERS_ENV } from './worker-count';

/** Set to 0 to let Terraform start the AWS provider for every command, as plain Terraform does. */
const SHARED_PROVIDER_ENV = 'VERIFY_SHARED_PROVIDER';
/** Set to 0 to attach plans to the shared provider process directly, every schema passed whole. */
const SCHEMA_PROXY_ENV = 'VERIFY_SCHEMA_PROXY';

const USAGE = `usage: tsx tools/src/verify/cli.ts <cdktf.out> [--report FILE] [--plan-json] [--concurrency N] [--allow-registry] [--allow-gitlab-not-planned]

Plans every synthesized stack offline with the real Terraform binary and the providers in the local
filesystem mirror (TF_PROVIDER_MIRROR, the Terraform CLI config, or a search of the usual places).
Exits 1 when a stack failed or was not planned. Stacks that need the GitLab provider may be left
not planned only with --allow-gitlab-not-planned (or ${ALLOW_GITLAB_ENV}=1), for machines where
no GitLab provider is reachable; a missing Terraform or AWS provider always fails.

Stacks are planned by workers, one per core as far as memory allows (--concurrency or
${WORKERS_ENV} to choose); each worker plans against its own AWS provider process, started once,
unless ${SHARED_PROVIDER_ENV}=0. A schema proxy in front of each provider process keeps its schema
and gives each plan only the schemas of the types its stack uses, unless ${SCHEMA_PROXY_ENV}=0.`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      report: { type: 'string' },
      'plan-json': { type: 'boolean', default: false },
      concurrency: { type: 'string' },
      'allow-registry': { type: 'boolean', default: process.env.TF_PROVIDER_REGISTRY === '1' },
      'allow-gitlab-not-planned': { type: 'boolean', default: exitRulesFromEnv(process.env).allowGitlabNotPlanned },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || positionals.length !== 1) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const outdir = resolve(positionals[0]);
  const reportFile = values.report ? resolve(values.report) : join(outdir, '..', '.verify', 'report.json');
  const concurrency = values.concurrency ? Number(values.concurrency) : undefined;
  if (concurrency !== undefined && !(concurrency >= 1)) {
    process.stderr.write(`--concurrency: expected a whole number of at least 1, got "${values.concurrency}"\n`);
    return 2;
  }
  // A previous run's results go first: if this run stops early (no synth output), nothing stale stays behind.
  const planJsonDir = join(dirname(reportFile), 'plans');
  rmSync(reportFile, { force: true });
  if (values['plan-json']) rmSync(planJsonDir, { recursive: true, force: true });
  const progress = new PlanProgress();
  const tickSeconds = Number(process.env.VERIFY_PROGRESS_SECONDS ?? 10);
  const ticker = setInterval(() => {
    const line = progress.tick();
    if (line) process.stdout.write(`${line}\n`);
  }, tickSeconds * 1000);
  const report = await verifySynthOutput({
    outdir,
    ...(concurrency ? { concurrency } : {}),
    shareProviders: process.env[SHARED_PROVIDER_ENV] !== '0',
    schemaProxy: process.env[SCHEMA_PROXY_ENV] !== '0',
    onNote: (line) => process.stdout.write(`${line}\n`),
    allowRegistry: values['allow-registry'],
    // Another CLI config and plugin cache (tests): never the workspace's shared one.
    ...(process.env.VERIFY_CACHE_DIR ? { cacheDir: resolve(process.env.VERIFY_CACHE_DIR) } : {}),
    ...(values['plan-json'] ? { planJsonDir } : {}),
    onStackStart: (stack) => process.stdout.write(`${progress.start(stack)}\n`),
    onStack: (r) => {
      progress.finish(r.stack);
      process.stdout.write(`${stackLine(r)}\n`);
    },
  }).finally(() => clearInterval(ticker));
  mkdirSync(dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
  const counts = (s: string) => report.stacks.filter((r) => r.status === s).length;
  process.stdout.write(
    `${report.stacks.length} stacks: ${counts('planned')} planned, ${counts('failed')} failed, ${counts('not-planned')} not planned (${(report.wallMs / 1000).toFixed(1)}s); report: ${reportFile}\n`,
  );
  const rules = { allowGitlabNotPlanned: values['allow-gitlab-not-planned'] };
  if (rules.allowGitlabNotPlanned) process.stdout.write(`GitLab-provider and chart (helm/kubernetes) stacks may be not planned here (--allow-gitlab-not-planned / ${ALLOW_GITLAB_ENV}=1)\n`);
  const problems = verificationProblems(report, rules);
  for (const p of problems) process.stderr.write(`verification FAILED: ${p}\n`);
  return problems.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`verification error: ${e.message}\n`);
    process.exit(1);
  },
);
