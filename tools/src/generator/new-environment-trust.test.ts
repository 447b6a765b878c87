import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentValidationError, loadEnvironments } from '@gitlab-aws/core';
import { tempWorkspace } from '../testing/temp-workspace';
import { newEnvironment } from './new-environment';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// Adding an environment never changes authentication logic: the generator writes data only, and
// the hub and the new spoke synthesize the right trust from it. Checked on the real apps.
jest.setTimeout(120_000);

function synthStack(dir: string, app: string, stack: string): Json {
  const outdir = join(dir, 'apps', app, 'cdktf.out');
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], { cwd: join(dir, 'apps', app), encoding: 'utf8', env: { ...process.env, CDKTF_OUTDIR: outdir } });
  if (r.status !== 0) throw new Error(`synth of ${app} failed:\n${r.stderr}`);
  return JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
}
const statements = (text: string) => JSON.parse(text).Statement;

describe('a new environment gets its trust from data alone', () => {
  const dir = tempWorkspace();
  const sources = () => readdirSync(join(dir, 'packages'), { recursive: true }).length;
  const before = sources();
  const hubBefore = loadEnvironments(join(dir, 'environments')).find((e) => e.name === 'devops');
  const accountsBefore = hubBefore?.kind === 'hub' ? (hubBefore.identity?.spokes ?? []).map((s) => s.accountId) : [];
  newEnvironment(dir, { name: 'staging', accountId: '444444444444' });

  it('changes no package code, only environment files and the new app', () => {
    expect(sources()).toBe(before);
  });

  it('makes the hub pipeline roles reach the new spoke roles, and gives them its state prefix', () => {
    const hub = synthStack(dir, 'devops', 'devops-ci-identity');
    // A new spoke is production by default, so only the protected deploy role reaches it, next
    // to every protected spoke listed before; the plain deploy role does not.
    const protectedBefore = hubBefore?.kind === 'hub' ? (hubBefore.identity?.spokes ?? []).filter((s) => s.protected).map((s) => s.accountId) : [];
    expect(statements(hub.resource.aws_iam_role_policy['protected-deploy-role-assume-spokes'].policy)[0].Resource).toEqual([
      ...protectedBefore.map((a) => `arn:aws:iam::${a}:role/gitlab-ci-deploy`),
      'arn:aws:iam::444444444444:role/gitlab-ci-deploy',
    ]);
    expect(statements(hub.resource.aws_iam_role_policy['deploy-role-assume-spokes'].policy)[0].Resource).not.toContain('arn:aws:iam::444444444444:role/gitlab-ci-deploy');
    expect(accountsBefore.length).toBeGreaterThan(protectedBefore.length);
    expect(statements(hub.resource.aws_iam_role_policy['plan-role-assume-spokes'].policy)[0].Resource).toContain('arn:aws:iam::444444444444:role/gitlab-ci-plan');
    // The OIDC trust itself does not depend on the spokes.
    const trust = statements(hub.resource.aws_iam_role['deploy-role'].assume_role_policy);
    expect(trust.map((s: Json) => s.Action)[0]).toEqual('sts:AssumeRoleWithWebIdentity');
    expect(JSON.stringify(trust)).not.toContain('444444444444');
    const state = synthStack(dir, 'devops', 'devops-tfstate');
    const bucketPolicy = statements(state.resource.aws_s3_bucket_policy['state-bucket-policy'].policy);
    const writers = (sid: string) => bucketPolicy.find((s: Json) => s.Sid === sid).Resource;
    expect(writers('ProtectedDeployReadWriteState')).toContain('arn:aws:s3:::gitlab-aws-tfstate-111111111111-eu-west-1/staging/*');
    expect(writers('DeployReadWriteSpokeState')).not.toContain('arn:aws:s3:::gitlab-aws-tfstate-111111111111-eu-west-1/staging/*');
  });

  it('gives the new spoke roles that trust only the hub roles', () => {
    const spoke = synthStack(dir, 'staging', 'staging-ci-roles');
    expect(statements(spoke.resource.aws_iam_role['deploy-role'].assume_role_policy)).toEqual([
      { Sid: 'HubDeployRoleOnly', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/gitlab-ci-hub-deploy-protected' }, Action: ['sts:AssumeRole', 'sts:TagSession'] },
    ]);
    expect(statements(spoke.resource.aws_iam_role['plan-role'].assume_role_policy)).toEqual([
      { Sid: 'HubPlanRoleOnly', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/gitlab-ci-hub-plan' }, Action: ['sts:AssumeRole', 'sts:TagSession'] },
    ]);
    expect(spoke.provider.aws[0].assume_role[0].role_arn).toContain('arn:aws:iam::444444444444:role/gitlab-ci-deploy');
  });

  it('leaves the hub file untouched when the new environment is invalid', () => {
    const hubBefore = readFileSync(join(dir, 'environments/devops.json'), 'utf8');
    let error: unknown;
    try {
      newEnvironment(dir, { name: 'uat', accountId: '444444444444', region: 'moon-1' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvironmentValidationError);
    expect((error as Error).message).toContain('environments/uat.json: region');
    expect(readFileSync(join(dir, 'environments/devops.json'), 'utf8')).toBe(hubBefore);
  });
});
