import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ALLOW_GITLAB_ENV, type VerificationReport } from '../verify/report';
import { readSynthOutput } from '../verify/synthesized-stacks';
import { chooseWorkers, machineShare } from '../verify/worker-count';
import { environmentApps, readJsonIfExists } from '../workspace/environment-apps';
import { NX_ONE_SHOT_ENV } from '../workspace/nx-env';
import { workspaceRoot } from '../workspace/root';
import { GITLAB_SIZES, UNBUILT_SIZES } from '@gitlab-aws/core';
import { bareTerraform } from './bare-terraform';
import { measure, peakSampler } from './process-tree';
import { timeSizeStacks } from './size-stacks';
import { freshClone } from './fresh-clone';

const USAGE = `usage: npm run bench -- [--env NAME ...]
       npm run bench -- --sizes 5k,10k,50k
       npm run bench -- --fresh-clone

Times, in one run on this machine, for the environments (all by default): a cold synth +
verification through Nx with an empty cache (as npm start runs it), a repeat with nothing changed
(Nx cache), and the yardstick, bare Terraform: init + plan of each stack the verifier planned,
Terraform starting the provider itself, one stack at a time and at the verifier's parallelism.
Prints the figures, the ratio verifier / bare Terraform at equal parallelism, peak memory and the
machine's load average (other work on the machine skews every figure). Asserts nothing.

--sizes times only the gitlab stack of each named size (GitLab's table, built in a temporary
folder): synth, then Terraform init and plan offline. Sizes the project refuses say why.

--fresh-clone clones this workspace's HEAD into a temporary folder and times what a new user's
first npm start does there: the install (npm ci, from npm's cache when it holds the packages) and
the rest (validation, synth, offline plans, summary), separately.`;

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const load = () => `load average ${loadavg().map((l) => l.toFixed(2)).join(', ')}`;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { env: { type: 'string', multiple: true }, sizes: { type: 'string', multiple: true }, 'fresh-clone': { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.sizes) return benchSizes(values.sizes.flatMap((v) => v.split(',')).filter(Boolean));
  if (values['fresh-clone']) return benchFreshClone(workspaceRoot());
  const root = workspaceRoot();
  const apps = environmentApps(root).filter((a) => !values.env || values.env.includes(a.name));
  if (apps.length === 0) {
    process.stderr.write(`no environment app matches --env ${values.env?.join(', ')}\n`);
    return 2;
  }
  const names = apps.map((a) => a.name).join(',');
  const nx = join(root, 'node_modules', '.bin', 'nx');
  // A fresh, empty Nx cache: the first run is truly cold, the second finds what the first stored.
  // (Nx keeps its record of cached tasks in the workspace-data folder, so that moves too.)
  const benchDir = mkdtempSync(join(tmpdir(), 'bench-'));
  // As npm start: GitLab-provider and chart stacks may stay not planned where their providers are not installed.
  const env = { ...process.env, [ALLOW_GITLAB_ENV]: process.env[ALLOW_GITLAB_ENV] ?? '1', ...NX_ONE_SHOT_ENV, NX_CACHE_DIRECTORY: join(benchDir, 'cache'), NX_WORKSPACE_DATA_DIRECTORY: join(benchDir, 'data') };
  // The plan tasks choose their workers the same way (worker-count.ts), so this is their parallelism.
  const share = machineShare(root, { ...process.env, NX_TASK_TARGET_PROJECT: 'bench' });
  const perTask = chooseWorkers(share, process.env);
  const parallelism = share.processes * perTask.workers;
  process.stdout.write(`benchmark: ${names} on ${cpus().length} cores; ${load()}\n`);
  process.stdout.write(`verifier: ${share.processes} parallel Nx plan tasks x ${perTask.reason}\n`);

  process.stdout.write('1/4 cold synth + verification (nx run-many -t plan, empty cache)\n');
  for (const app of apps) rmSync(join(app.dir, 'cdktf.out'), { recursive: true, force: true });
  const cold = await measure(nx, ['run-many', '-t', 'plan', '--projects', names], { cwd: root, env });
  if (cold.code !== 0) {
    process.stderr.write('the cold run failed: run `npm start` to see why\n');
    return 1;
  }
  // The repeat a user sees: npm start itself (npm, the install check, validation, Nx restoring every
  // task from the cache, the summary), on the cache the cold run filled.
  process.stdout.write('2/4 repeat, nothing changed: npm start on the cache the cold run filled\n');
  const warm = await measure('npm', ['start'], { cwd: root, env });

  const reports = apps.map((a) => readJsonIfExists<VerificationReport>(join(a.dir, '.verify', 'report.json'))!);
  const all = reports.flatMap((r) => r.stacks);
  const resources = all.reduce((n, st) => n + st.resources, 0);
  const plannedNames = new Set(all.filter((st) => st.status === 'planned').map((st) => st.stack));
  const planned = apps.flatMap((a) => readSynthOutput(join(a.dir, 'cdktf.out'))).filter((st) => plannedNames.has(st.name));
  const synthMs = apps.reduce((n, a) => n + (readJsonIfExists<{ ms: number }>(join(a.dir, 'cdktf.out', 'synth-meta.json'))?.ms ?? 0), 0);

  const bareOpts = { workRoot: join(benchDir, 'bare'), cacheDir: join(benchDir, 'terraform') };
  process.stdout.write(`3/4 bare terraform init + plan, ${planned.length} stacks one at a time\n`);
  const sequential = await bareTerraform(planned, { ...bareOpts, parallelism: 1 });
  process.stdout.write(`4/4 bare terraform init + plan, ${parallelism} stacks at a time\n`);
  const peak = peakSampler(process.pid);
  const parallel = await bareTerraform(planned, { ...bareOpts, parallelism });
  const bareParallelPeak = peak();
  rmSync(benchDir, { recursive: true, force: true });

  const failedBare = [...new Set([...sequential.failed, ...parallel.failed])];
  const rows: [string, string][] = [
    ['environments / stacks / resources', `${apps.length} / ${all.length} / ${resources} (${planned.length} stacks planned)`],
    ['synth, summed over environments', s(synthMs)],
    ['bare terraform init + plan, sequential', s(sequential.wallMs)],
    [`bare terraform init + plan, ${parallelism} at a time`, `${s(parallel.wallMs)}, peak memory ${mb(bareParallelPeak)}`],
    ['verifier cold: synth + init + plan + plan JSON (Nx)', `${s(cold.wallMs)}, peak memory ${mb(cold.peakTreeRssBytes)}`],
    ['repeat, nothing changed: npm start (Nx cache)', `${s(warm.wallMs)}, peak memory ${mb(warm.peakTreeRssBytes)}${warm.code === 0 ? '' : ' (it failed: run npm start to see why)'}`],
    [`ratio verifier cold / bare terraform, both ${parallelism} at a time`, `${(cold.wallMs / parallel.wallMs).toFixed(2)}x`],
  ];
  if (failedBare.length) rows.push(['bare terraform failed on (figures not comparable)', failedBare.join(', ')]);
  rows.push(['per environment', '']);
  for (const [i, app] of apps.entries()) {
    const synth = readJsonIfExists<{ ms: number }>(join(app.dir, 'cdktf.out', 'synth-meta.json'));
    const r = reports[i];
    const n = r.stacks.reduce((sum, st) => sum + st.resources, 0);
    rows.push([`  ${app.name}: ${r.stacks.length} stacks, ${n} resources`, `synth ${synth ? s(synth.ms) : '-'}, verification ${s(r.wallMs)} (cold run)`]);
  }
  const width = Math.max(...rows.map((r) => r[0].length));
  process.stdout.write(`${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n${load()}\n`);
  return 0;
}

async function benchSizes(sizes: string[]): Promise<number> {
  const unknown = sizes.filter((x) => !(GITLAB_SIZES as readonly string[]).includes(x) && !UNBUILT_SIZES[x]);
  if (unknown.length) {
    process.stderr.write(`--sizes: unknown size ${unknown.join(', ')}: use ${GITLAB_SIZES.join(', ')}\n`);
    return 2;
  }
  process.stdout.write(`gitlab stack per size on ${cpus().length} cores (synth in-process, then terraform init + plan offline)\n`);
  const timings = await timeSizeStacks(sizes);
  const rows: [string, string][] = timings.map((t) => [
    t.size,
    t.notBuilt ? `not built: ${t.notBuilt}` : `${t.resources ?? '?'} resources, synth ${s(t.synthMs!)}, init ${t.initMs === undefined ? '-' : s(t.initMs)}, plan ${t.planMs === undefined ? '-' : s(t.planMs)} (${t.status})`,
  ]);
  const width = Math.max(...rows.map((r) => r[0].length));
  process.stdout.write(`${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`);
  return timings.every((t) => t.notBuilt || t.status === 'planned') ? 0 : 1;
}

async function benchFreshClone(root: string): Promise<number> {
  process.stdout.write(`fresh clone of HEAD to the end of npm start, on ${cpus().length} cores; ${load()}\n`);
  const run = await freshClone(root, (step) => process.stdout.write(`${step}\n`));
  const rows: [string, string][] = [
    ['install (npm ci of what npm start needs)', `${s(run.install.wallMs)}, peak memory ${mb(run.install.peakTreeRssBytes)}`],
    ['npm start after the install (validate, synth, plan, summary)', `${s(run.start.wallMs)}, peak memory ${mb(run.start.peakTreeRssBytes)}`],
    ['fresh clone to the end of npm start', s(run.install.wallMs + run.start.wallMs)],
  ];
  if (run.install.code !== 0 || run.start.code !== 0) rows.push(['failed', `install exit ${run.install.code}, npm start exit ${run.start.code}: see ${run.dir}`]);
  const width = Math.max(...rows.map((r) => r[0].length));
  process.stdout.write(`${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n${load()}\n`);
  return run.install.code === 0 && run.start.code === 0 ? 0 : 1;
}

main().then((code) => process.exit(code));
