import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
// Deep imports: the package entry points load cdktf, the provider bindings and the rule pack, which
// cost more than the rest of a cached repeat; the main job needs only validation and report text.
import { loadEnvironments } from '@gitlab-aws/core/src/environment/loader';
import { EnvironmentValidationError } from '@gitlab-aws/core/src/environment/problems';
import { formatReport, REPORT_FILE, type GuardrailReport } from '@gitlab-aws/policy/src/report-text';
import { ALLOW_GITLAB_ENV, exitRulesFromEnv, type VerificationReport } from '../verify/report';
import { clearPreviousResults } from './previous-results';
import { readSynthOutput } from '../verify/synthesized-stacks';
import { environmentApps, readJsonIfExists } from '../workspace/environment-apps';
import { NX_ONE_SHOT_ENV } from '../workspace/nx-env';
import { workspaceRoot } from '../workspace/root';
import { renderGuardrails, renderSummary, summaryFailed, type EnvironmentResult } from './summary';
import { renderUrls, urlOutputs } from './urls';

/**
 * The main job: validate every environment file together, synthesize every environment app and
 * plan each stack offline (through Nx, so unchanged environments come from the cache), then print
 * one table.
 */
function main(): number {
  // From the working folder, not this file's: the job may run from a bundle under node_modules, which
  // in a copy of the workspace can be a link to another workspace's.
  const root = workspaceRoot(process.cwd());
  const start = Date.now();
  process.stdout.write('1/3 validating environment files\n');
  try {
    const envs = loadEnvironments(join(root, 'environments'), { displayRoot: root });
    process.stdout.write(`    ${envs.length} valid: ${envs.map((e) => `${e.name} (${e.kind})`).join(', ')}\n`);
  } catch (e) {
    if (!(e instanceof EnvironmentValidationError)) throw e;
    process.stderr.write(`${e.message}\n`);
    return 1;
  }
  const apps = environmentApps(root);
  clearPreviousResults(root, apps);
  // npm start runs where no GitLab provider may be installed: it says so explicitly, and a value
  // the caller set (0 to fail instead) wins.
  const env = { ...process.env, ...NX_ONE_SHOT_ENV, [ALLOW_GITLAB_ENV]: process.env[ALLOW_GITLAB_ENV] ?? '1' };
  const rules = exitRulesFromEnv(env);
  if (rules.allowGitlabNotPlanned) process.stdout.write(`    stacks that need only the GitLab provider, or only the chart stack's helm and kubernetes providers, may be reported not planned when those are not installed (${ALLOW_GITLAB_ENV}=1; set it to 0 to fail instead)\n`);

  process.stdout.write(`2/3 synthesizing and planning offline: ${apps.map((a) => a.name).join(', ')} (nx run-many -t plan)\n`);
  const nx = spawnSync(
    join(root, 'node_modules', '.bin', 'nx'),
    ['run-many', '-t', 'plan', '--projects', apps.map((a) => a.name).join(','), '--outputStyle=stream'],
    { cwd: root, stdio: 'inherit', env },
  );

  process.stdout.write(`3/3 summary (${((Date.now() - start) / 1000).toFixed(1)}s in all)\n\n`);
  const results: EnvironmentResult[] = apps.map((app) => {
    const meta = readJsonIfExists<{ ms: number }>(join(app.dir, 'cdktf.out', 'synth-meta.json'));
    const report = readJsonIfExists<VerificationReport>(join(app.dir, '.verify', 'report.json'));
    const guardrails = readJsonIfExists<GuardrailReport>(join(app.dir, 'cdktf.out', REPORT_FILE));
    if (guardrails) writeEnvironmentReports(root, app.name, guardrails, report);
    const synthWarnings = synthAnnotations(join(app.dir, 'cdktf.out', 'manifest.json'));
    return {
      environment: app.name,
      ...(meta ? { synthMs: meta.ms } : {}),
      ...(report ? { report } : {}),
      ...(guardrails ? { guardrails } : {}),
      ...(synthWarnings.length ? { synthWarnings } : {}),
    };
  });
  process.stdout.write(`${renderSummary(results)}\n\n${renderGuardrails(results)}\n`);
  const outdirs = apps.map((a) => join(a.dir, 'cdktf.out')).filter((d) => existsSync(join(d, 'manifest.json')));
  const urls = renderUrls(urlOutputs(outdirs.flatMap((d) => readSynthOutput(d))));
  if (urls) process.stdout.write(`\n${urls}\n`);
  process.stdout.write(`\nPer environment: reports/<env>/architecture.md (Mermaid diagram), reports/<env>/guardrails.txt (findings, cost lines); plan JSON for Infracost in apps/<env>/.verify/plans/\n`);
  return nx.status !== 0 || summaryFailed(results, rules) ? 1 : 0;
}

/** reports/<env>/architecture.md and guardrails.txt, from the synth's guardrail report. */
function writeEnvironmentReports(root: string, env: string, guardrails: GuardrailReport, plan?: VerificationReport): void {
  const dir = join(root, 'reports', env);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'architecture.md'), guardrails.architecture);
  const plans = (plan?.stacks ?? []).filter((s) => s.planJson).map((s) => `plan JSON: ${relative(root, s.planJson!)}`);
  writeFileSync(join(dir, 'guardrails.txt'), `${formatReport(guardrails, { all: true, cost: true })}\n${plans.length ? `\n${plans.join('\n')}\n` : ''}`);
}

/** Warnings stacks recorded at synth (cdktf writes them into the manifest; only its CLI prints them). */
function synthAnnotations(manifestFile: string): { stack: string; message: string }[] {
  type Manifest = { stacks?: Record<string, { annotations?: { level: string; message: string }[] }> };
  const manifest = readJsonIfExists<Manifest>(manifestFile);
  return Object.entries(manifest?.stacks ?? {}).flatMap(([stack, s]) =>
    (s.annotations ?? []).filter((a) => a.level === '@cdktf/warn').map((a) => ({ stack, message: a.message })),
  );
}

process.exit(main());
