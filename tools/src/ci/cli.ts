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
import { awsProfile, signedInEnvironment, writeProfile, type PipelineRoleKind } from './aws-profile';
import { generate } from './generate';
import { gitlabTokenProblem } from './gitlab-token';
import { holdsSecrets } from './secret-state';
import { nxArgs, nxRange } from './git-range';
import { casesFromJest, casesFromVerification, junitXml, type JestJson } from './junit';
import { NX_ONE_SHOT_ENV } from '../workspace/nx-env';

/** The commands .gitlab-ci.yml runs; each explains itself in the job log. */
export const COMMANDS = {
  affected: 'affected -t <target...>: nx affected for this pipeline\'s range (run-many when there is none)',
  generate: 'generate <file>: write the child pipeline (plan or deploy jobs of the affected environments)',
  deploy: 'deploy <environment>: sign in (deploy role) and deploy a spoke environment',
  'live-plan': 'live-plan <environment>: sign in (plan role) and plan a spoke against its account, read-only',
  'aws-profile': 'aws-profile deploy|plan: write the AWS profile for the hub role and print the shell lines to use it',
  junit: 'junit <folder>: JUnit XML from the jest results and offline plan reports',
} as const;

const root = workspaceRoot();
const nxBin = join(root, 'node_modules', '.bin', 'nx');
const nxEnv = { ...process.env, ...NX_ONE_SHOT_ENV };

function run(cmd: string, args: string[], options: SpawnSyncOptions = {}): number {
  process.stdout.write(`$ ${[cmd.replace(`${root}/`, ''), ...args].join(' ')}\n`);
  return spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: nxEnv, ...options }).status ?? 1;
}

/**
 * Signs in for a job and returns the environment to run Terraform with: the hub role through the
 * job's ID token, no other credentials. Throws (the job fails) when sign-in is not possible.
 */
function signIn(role: PipelineRoleKind): NodeJS.ProcessEnv {
  // Outside the project folder, so no artifact or cache path can pick it up.
  const dir = join(tmpdir(), `gitlab-ci-aws-${process.env.CI_JOB_ID ?? process.pid}`);
  const profile = awsProfile(role, process.env, dir);
  writeProfile(profile, dir);
  process.stdout.write(`signed in: ${role} role through ${Object.keys(profile.files).some((f) => f.endsWith('/credentials')) ? 'static keys' : 'the job ID token (OIDC)'}\n`);
  return { ...signedInEnvironment(profile, dir, nxEnv), TF_VAR_pipeline_role: role, TF_IN_AUTOMATION: '1' };
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
  const terraform = findTerraform();
  if (!terraform) throw new Error('no Terraform binary on PATH (or TERRAFORM_BINARY): .ci/install-terraform installs the pinned one');
  const signedIn = signIn('plan');
  if (run(nxBin, ['run', `${name}:synth`]) !== 0) return 1;
  const outDir = join(dir, '.verify', 'live');
  mkdirSync(outDir, { recursive: true });
  let status = 0;
  for (const stack of readSynthOutput(join(dir, 'cdktf.out'))) {
    if (stack.requiredProviders.some((p) => !p.key.endsWith('/hashicorp/aws'))) {
      process.stdout.write(`${stack.name}: not an AWS-only stack, not planned here\n`);
      continue;
    }
    if (holdsSecrets(stack.dir)) {
      // The plan role is denied state that holds secrets (docs/identity.md); deploys plan these stacks.
      process.stdout.write(`${stack.name}: its state holds secrets, which the plan role may not read: not planned here\n`);
      continue;
    }
    const env = signedIn;
    const init = spawnSync(terraform.path, ['init', '-input=false', '-no-color'], { cwd: stack.dir, env, encoding: 'utf8' });
    const plan = init.status === 0 ? spawnSync(terraform.path, ['plan', '-input=false', '-no-color', '-lock=false'], { cwd: stack.dir, env, encoding: 'utf8' }) : init;
    const text = `${plan.stdout}\n${plan.stderr}`;
    writeFileSync(join(outDir, `${stack.name}.txt`), text);
    process.stdout.write(`${stack.name}: ${plan.status === 0 ? 'planned' : 'FAILED'}\n${text}\n`);
    if (plan.status !== 0) status = 1;
  }
  return status;
}

/** Deploys a spoke: synth, check the GitLab token the GitLab-side stacks need, then cdktf deploy signed in. */
function deploy(name: string): number {
  const dir = spokeApp(name);
  if (!findTerraform()) throw new Error('no Terraform binary on PATH (or TERRAFORM_BINARY): .ci/install-terraform installs the pinned one');
  const env = signIn('deploy');
  if (run(nxBin, ['run', `${name}:synth`]) !== 0) return 1;
  const problem = gitlabTokenProblem(readSynthOutput(join(dir, 'cdktf.out')), process.env);
  if (problem) throw new Error(problem);
  return run(nxBin, ['run', `${name}:deploy`], { env });
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

function main(argv: string[]): number | Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'affected': {
      const targets = args[0] === '-t' ? args.slice(1) : args;
      if (!targets.length) break;
      const range = nxRange(process.env);
      process.stdout.write(`range: ${range.reason}\n`);
      return run(nxBin, nxArgs(range, targets));
    }
    case 'deploy':
      return deploy(args[0]);
    case 'generate':
      if (args.length !== 1) break;
      return generate(args[0]);
    case 'live-plan':
      return livePlan(args[0]);
    case 'aws-profile': {
      if (args[0] !== 'deploy' && args[0] !== 'plan') break;
      // Outside the project folder, so no artifact or cache path can pick it up.
      const dir = join(tmpdir(), `gitlab-ci-aws-${process.env.CI_JOB_ID ?? process.pid}`);
      // For a local shell only; CI jobs sign in inside deploy / live-plan (no eval that could hide a failure).
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
  Promise.resolve()
    .then(() => main(process.argv.slice(2)))
    .then(
      (code) => process.exit(code),
      (e: Error) => {
        process.stderr.write(`${e.message}\n`);
        process.exit(1);
      },
    );
}
