import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { VerificationReport } from '../verify/report';
import { verifySynthOutput } from '../verify/verify';
import { environmentApps, readJsonIfExists } from '../workspace/environment-apps';
import { workspaceRoot } from '../workspace/root';
import { GITLAB_SIZES, UNBUILT_SIZES } from '@gitlab-aws/core';
import { measure } from './process-tree';
import { timeSizeStacks } from './size-stacks';

const USAGE = `usage: npm run bench -- [--env NAME ...]
       npm run bench -- --sizes 5k,10k,50k

Times synth + offline verification of the environments (all by default) through Nx: a cold run
(no cache), a repeat with nothing changed (Nx cache), and the verification alone, one stack at a
time, to separate Terraform's own time from the tool's. Prints figures; asserts nothing.

--sizes times only the gitlab stack of each named size (GitLab's table, built in a temporary
folder): synth, then Terraform init and plan offline. Sizes the project refuses say why.`;

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { env: { type: 'string', multiple: true }, sizes: { type: 'string', multiple: true }, help: { type: 'boolean', default: false } } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.sizes) return benchSizes(values.sizes.flatMap((v) => v.split(',')).filter(Boolean));
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
  const nxDir = mkdtempSync(join(tmpdir(), 'bench-nx-'));
  const env = { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_CACHE_DIRECTORY: join(nxDir, 'cache'), NX_WORKSPACE_DATA_DIRECTORY: join(nxDir, 'data') };
  process.stdout.write(`benchmark: ${names} on ${cpus().length} cores\n`);

  for (const app of apps) rmSync(join(app.dir, 'cdktf.out'), { recursive: true, force: true });
  const cold = await measure(nx, ['run-many', '-t', 'plan', '--projects', names], { cwd: root, env });
  if (cold.code !== 0) {
    process.stderr.write('the cold run failed: run `npm start` to see why\n');
    return 1;
  }
  const warm = await measure(nx, ['run-many', '-t', 'plan', '--projects', names], { cwd: root, env });

  const reports = apps.map((a) => readJsonIfExists<VerificationReport>(join(a.dir, '.verify', 'report.json'))!);
  const stacks = reports.flatMap((r) => r.stacks);
  const resources = stacks.reduce((n, st) => n + st.resources, 0);

  // Verification alone, sequential, so Terraform's own time and ours can be told apart.
  let wrapper = 0;
  let terraform = 0;
  let plan = 0;
  for (const app of apps) {
    const t0 = Date.now();
    const r = await verifySynthOutput({ outdir: join(app.dir, 'cdktf.out'), concurrency: 1, workRoot: join(app.dir, '.verify', 'bench') });
    wrapper += Date.now() - t0;
    for (const st of r.stacks) {
      terraform += (st.initMs ?? 0) + (st.planMs ?? 0);
      plan += st.planMs ?? 0;
    }
  }

  const rows: [string, string][] = [
    ['environments / stacks / resources', `${apps.length} / ${stacks.length} / ${resources}`],
    ['cold synth + verification (Nx, no cache)', s(cold.wallMs)],
    ['  peak memory, whole process tree', mb(cold.peakTreeRssBytes)],
    ['repeat, nothing changed (Nx cache)', s(warm.wallMs)],
    ['  peak memory, whole process tree', mb(warm.peakTreeRssBytes)],
    ['verification alone, one stack at a time', s(wrapper)],
    ['  of which terraform init + plan', `${s(terraform)} (plan alone ${s(plan)})`],
    ['  overhead beyond terraform init + plan', `${s(wrapper - terraform)} = ${((100 * (wrapper - terraform)) / terraform).toFixed(1)}%`],
    ['  overhead beyond terraform plan alone', `${s(wrapper - plan)} = ${((100 * (wrapper - plan)) / plan).toFixed(1)}%`],
  ];
  rows.push(['per environment', '']);
  for (const [i, app] of apps.entries()) {
    const synth = readJsonIfExists<{ ms: number }>(join(app.dir, 'cdktf.out', 'synth-meta.json'));
    const r = reports[i];
    const n = r.stacks.reduce((sum, st) => sum + st.resources, 0);
    rows.push([`  ${app.name}: ${r.stacks.length} stacks, ${n} resources`, `synth ${synth ? s(synth.ms) : '-'}, verification ${s(r.wallMs)} (cold run)`]);
  }
  const width = Math.max(...rows.map((r) => r[0].length));
  process.stdout.write(`${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`);
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

main().then((code) => process.exit(code));
