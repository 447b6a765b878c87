import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvironmentFile } from '@gitlab-aws/core';
import { findTerraform } from '../terraform/find-terraform';
import { readSynthOutput } from '../verify/synthesized-stacks';
import type { VerificationReport } from '../verify/report';
import { environmentApps } from '../workspace/environment-apps';
import { workspaceRoot } from '../workspace/root';
import { awsProfile, writeProfile, type PipelineRoleKind } from './aws-profile';
import { nxArgs, nxRange } from './git-range';
import { casesFromJest, casesFromVerification, junitXml, type JestJson } from './junit';

/** The commands .gitlab-ci.yml runs; each explains itself in the job log. */
export const COMMANDS = {
  affected: 'affected -t <target...>: nx affected for this pipeline\'s range (run-many when there is none)',
  deploy: 'deploy <environment>: deploy a spoke environment if this pipeline affects it',
  'live-plan': 'live-plan <environment>: plan a spoke against its account with the read-only roles, if affected',
  'aws-profile': 'aws-profile deploy|plan: write the AWS profile for the hub role and print the shell lines to use it',
  junit: 'junit <folder>: JUnit XML from the jest results and offline plan reports',
} as const;

const root = workspaceRoot();
const nxBin = join(root, 'node_modules', '.bin', 'nx');
const nxEnv = { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' };

function run(cmd: string, args: string[], options: SpawnSyncOptions = {}): number {
  process.stdout.write(`$ ${[cmd.replace(`${root}/`, ''), ...args].join(' ')}\n`);
  return spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: nxEnv, ...options }).status ?? 1;
}

/** Whether this pipeline's range affects a project with the given target. */
function isAffected(project: string, target: string): boolean {
  const range = nxRange(process.env);
  process.stdout.write(`range: ${range.reason}\n`);
  if ('all' in range) return true;
  const out = spawnSync(nxBin, ['show', 'projects', '--affected', `--base=${range.base}`, `--head=${range.head}`, '--withTarget', target, '--json'], {
    cwd: root,
    env: nxEnv,
    encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(`nx show projects failed:\n${out.stderr}`);
  return (JSON.parse(out.stdout) as string[]).includes(project);
}

/** A spoke environment app, or an error that says why this job may not touch it. */
function spokeApp(name: string | undefined): string {
  const app = environmentApps(root).find((a) => a.name === name);
  if (!app) throw new Error(`no environment app named "${name}": expected one of ${environmentApps(root).map((a) => a.name).join(', ')}`);
  if (loadEnvironmentFile(app.environmentFile).kind !== 'spoke') {
    throw new Error(`"${name}" is the hub: the pipeline roles cannot change it; an administrator deploys it (docs/identity.md)`);
  }
  return app.dir;
}

function livePlan(name: string): number {
  const dir = spokeApp(name);
  if (!isAffected(name, 'plan')) return skip(name);
  const terraform = findTerraform();
  if (!terraform) throw new Error('no Terraform binary on PATH (or TERRAFORM_BINARY)');
  if (run(nxBin, ['run', `${name}:synth`]) !== 0) return 1;
  const outDir = join(dir, '.verify', 'live');
  mkdirSync(outDir, { recursive: true });
  let status = 0;
  for (const stack of readSynthOutput(join(dir, 'cdktf.out'))) {
    if (stack.requiredProviders.some((p) => !p.key.endsWith('/hashicorp/aws'))) {
      process.stdout.write(`${stack.name}: not an AWS-only stack, not planned here\n`);
      continue;
    }
    const env = { ...nxEnv, TF_VAR_pipeline_role: 'plan', TF_IN_AUTOMATION: '1' };
    const init = spawnSync(terraform.path, ['init', '-input=false', '-no-color'], { cwd: stack.dir, env, encoding: 'utf8' });
    const plan = init.status === 0 ? spawnSync(terraform.path, ['plan', '-input=false', '-no-color', '-lock-timeout=120s'], { cwd: stack.dir, env, encoding: 'utf8' }) : init;
    const text = `${plan.stdout}\n${plan.stderr}`;
    writeFileSync(join(outDir, `${stack.name}.txt`), text);
    process.stdout.write(`${stack.name}: ${plan.status === 0 ? 'planned' : 'FAILED'}\n${text}\n`);
    if (plan.status !== 0) status = 1;
  }
  return status;
}

function skip(name: string): number {
  process.stdout.write(`${name} is not affected by this pipeline: nothing to do\n`);
  return 0;
}

function junit(folder: string): number {
  mkdirSync(folder, { recursive: true });
  const jestDir = join(root, 'reports', 'jest');
  const jestCases = existsSync(jestDir)
    ? readdirSync(jestDir)
        .filter((f) => f.endsWith('.json'))
        .flatMap((f) => casesFromJest(JSON.parse(readFileSync(join(jestDir, f), 'utf8')) as JestJson, root))
    : [];
  const planCases = environmentApps(root).flatMap((app) => {
    const file = join(app.dir, '.verify', 'report.json');
    return existsSync(file) ? casesFromVerification(JSON.parse(readFileSync(file, 'utf8')) as VerificationReport, app.name) : [];
  });
  writeFileSync(join(folder, 'jest.xml'), junitXml(jestCases));
  writeFileSync(join(folder, 'offline-plans.xml'), junitXml(planCases));
  process.stdout.write(`junit: ${jestCases.length} test cases, ${planCases.length} stack plans in ${folder}\n`);
  return 0;
}

function main(argv: string[]): number {
  const [command, ...args] = argv;
  switch (command) {
    case 'affected': {
      const targets = args[0] === '-t' ? args.slice(1) : args;
      if (!targets.length) break;
      const range = nxRange(process.env);
      process.stdout.write(`range: ${range.reason}\n`);
      return run(nxBin, nxArgs(range, targets));
    }
    case 'deploy': {
      spokeApp(args[0]);
      return isAffected(args[0], 'deploy') ? run(nxBin, ['run', `${args[0]}:deploy`], { env: { ...nxEnv, TF_VAR_pipeline_role: 'deploy' } }) : skip(args[0]);
    }
    case 'live-plan':
      return livePlan(args[0]);
    case 'aws-profile': {
      if (args[0] !== 'deploy' && args[0] !== 'plan') break;
      // Outside the project folder, so no artifact or cache path can pick it up.
      const dir = join(tmpdir(), `gitlab-ci-aws-${process.env.CI_JOB_ID ?? process.pid}`);
      const profile = awsProfile(args[0] as PipelineRoleKind, process.env, dir);
      writeProfile(profile, dir);
      process.stdout.write(`${profile.shell.join('\n')}\n`);
      return 0;
    }
    case 'junit':
      if (args.length === 1) return junit(args[0]);
      break;
  }
  process.stderr.write(`usage: tsx tools/src/ci/cli.ts <command>\n${Object.values(COMMANDS).map((c) => `  ${c}`).join('\n')}\n`);
  return 2;
}

if (require.main === module) {
  try {
    process.exit(main(process.argv.slice(2)));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
}
