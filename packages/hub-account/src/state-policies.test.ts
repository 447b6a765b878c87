import { TEST_HUB, TEST_HUB_IDENTITY, testEnvironment, type PolicyStatement } from '@gitlab-aws/core';
import { decide } from '@gitlab-aws/core/src/testing/iam-decide';
import type { HubWithIdentity } from './hub-config';
import { PLAN_DENIED_SECRET_READS, PLAN_DENIED_WRITES, stateBucketStatements, stateKeyStatements } from './state-policies';

// The state bucket and key policies judged by what each principal may do (same account: the
// resource policy alone grants), one action at a time.
const spokes = [
  { environment: 'dev', accountId: '222222222222', region: 'eu-west-1' },
  { environment: 'prod', accountId: '333333333333', region: 'eu-west-1', protected: true },
];
const hub = testEnvironment(TEST_HUB, { identity: { ...TEST_HUB_IDENTITY, spokes } }) as HubWithIdentity;
const BUCKET = 'state-bucket';
const bucketPolicy = stateBucketStatements(hub, BUCKET);
const role = (name: string) => `arn:aws:iam::111111111111:role/${name}`;
const DEPLOY = role('gitlab-ci-hub-deploy');
const PROTECTED = role('gitlab-ci-hub-deploy-protected');
const PLAN = role('gitlab-ci-hub-plan');
const BREAK_GLASS = role('gitlab-aws-break-glass');
const ADMIN = role('hub-administrator');

/** A session of `roleArn` acting on `key` (or the bucket, for ""), over TLS 1.3 unless `context` says otherwise. */
function onState(roleArn: string, action: string, key: string, context: Record<string, string> = {}, identity: PolicyStatement[] = []) {
  const session = roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/') + '/s';
  return decide({
    principal: session,
    resourceAccount: '111111111111',
    identity,
    resourcePolicy: bucketPolicy,
    action,
    resource: key ? `arn:aws:s3:::${BUCKET}/${key}` : `arn:aws:s3:::${BUCKET}`,
    context: { 'aws:PrincipalArn': roleArn, 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3', ...context },
  });
}
const ALLOW_ALL: PolicyStatement[] = [{ Effect: 'Allow', Action: '*', Resource: '*' }];

describe('state bucket policy, evaluated', () => {
  it.each(['s3:GetObject', 's3:PutObject', 's3:DeleteObject'])('%s: the deploy role on non-protected spokes only, the protected role on protected spokes only', async (action) => {
    expect(await onState(DEPLOY, action, 'dev/dev-baseline.tfstate')).toBe('Allowed');
    expect(await onState(DEPLOY, action, 'prod/prod-baseline.tfstate')).toBe('ImplicitlyDenied');
    expect(await onState(PROTECTED, action, 'prod/prod-baseline.tfstate')).toBe('Allowed');
    expect(await onState(PROTECTED, action, 'dev/dev-baseline.tfstate')).toBe('ImplicitlyDenied');
    expect(await onState(DEPLOY, action, 'devops/devops-ci-identity.tfstate')).toBe('ImplicitlyDenied');
  });

  it('lets the plan role read state files of every spoke, and nothing of the hub', async () => {
    expect(await onState(PLAN, 's3:GetObject', 'dev/dev-baseline.tfstate')).toBe('Allowed');
    expect(await onState(PLAN, 's3:GetObject', 'prod/prod-ci-roles.tfstate')).toBe('Allowed');
    expect(await onState(PLAN, 's3:GetObject', 'prod/prod-ci-roles.tfstate.tflock')).toBe('ImplicitlyDenied');
    expect(await onState(PLAN, 's3:GetObject', 'devops/devops-ci-identity.tfstate')).toBe('ImplicitlyDenied');
  });

  it.each(PLAN_DENIED_WRITES)('%s: never by the plan role, lock files included', async (action) => {
    expect(await onState(PLAN, action, 'prod/prod-amplify.tfstate.tflock', {}, ALLOW_ALL)).toBe('ExplicitlyDenied');
  });

  it.each(PLAN_DENIED_SECRET_READS)('%s: never by the plan role under <spoke>/secrets/', async (action) => {
    expect(await onState(PLAN, action, 'prod/secrets/prod-amplify.tfstate', {}, ALLOW_ALL)).toBe('ExplicitlyDenied');
    expect(await onState(PROTECTED, action === 's3:GetObject' ? action : 's3:GetObject', 'prod/secrets/prod-amplify.tfstate')).toBe('Allowed');
  });

  it('admits nobody but the pipeline roles and the break-glass role, administrators included', async () => {
    expect(await onState(ADMIN, 's3:GetObject', 'devops/devops-ci-identity.tfstate', {}, ALLOW_ALL)).toBe('ExplicitlyDenied');
    expect(await onState(BREAK_GLASS, 's3:GetObject', 'devops/devops-ci-identity.tfstate', {}, ALLOW_ALL)).toBe('Allowed');
    expect(await onState(BREAK_GLASS, 's3:PutBucketPolicy', '', {}, ALLOW_ALL)).toBe('Allowed');
  });

  it('refuses plain HTTP and TLS below 1.2, even to the break-glass role', async () => {
    expect(await onState(BREAK_GLASS, 's3:GetObject', 'dev/x.tfstate', { 'aws:SecureTransport': 'false' }, ALLOW_ALL)).toBe('ExplicitlyDenied');
    expect(await onState(DEPLOY, 's3:GetObject', 'dev/x.tfstate', { 's3:TlsVersion': '1.1' })).toBe('ExplicitlyDenied');
    expect(await onState(DEPLOY, 's3:GetObject', 'dev/x.tfstate', { 's3:TlsVersion': '1.2' })).toBe('Allowed');
  });

  it('lets every pipeline role list the keys', async () => {
    for (const r of [DEPLOY, PROTECTED, PLAN]) expect(await onState(r, 's3:ListBucket', '')).toBe('Allowed');
  });

  it('grants nothing but the denials while no spoke is listed', async () => {
    const empty = stateBucketStatements({ ...hub, identity: { ...hub.identity, spokes: [] } }, BUCKET);
    expect(empty.every((s) => s.Effect === 'Deny')).toBe(true);
  });
});

describe('state key policy, evaluated', () => {
  const key = 'arn:aws:kms:eu-west-1:111111111111:key/state';
  const keyPolicy = stateKeyStatements(hub);
  const onKey = (roleArn: string, action: string, viaS3: boolean) =>
    decide({
      principal: roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/') + '/s',
      resourceAccount: '111111111111',
      identity: [],
      resourcePolicy: keyPolicy,
      action,
      resource: key,
      context: { 'aws:PrincipalArn': roleArn, ...(viaS3 ? { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } : {}) },
    });

  it.each(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'])('%s: deploy roles through S3 only', async (action) => {
    for (const r of [DEPLOY, PROTECTED]) {
      expect(await onKey(r, action, true)).toBe('Allowed');
      expect(await onKey(r, action, false)).toBe('ImplicitlyDenied');
    }
  });

  it('lets the plan role decrypt and describe through S3, never encrypt or make data keys', async () => {
    expect(await onKey(PLAN, 'kms:Decrypt', true)).toBe('Allowed');
    expect(await onKey(PLAN, 'kms:DescribeKey', true)).toBe('Allowed');
    expect(await onKey(PLAN, 'kms:Decrypt', false)).toBe('ImplicitlyDenied');
    expect(await onKey(PLAN, 'kms:GenerateDataKey', true)).toBe('ImplicitlyDenied');
    expect(await onKey(PLAN, 'kms:Encrypt', true)).toBe('ImplicitlyDenied');
  });

  it('keeps the account root statement alone while no spoke is listed', () => {
    expect(stateKeyStatements({ ...hub, identity: { ...hub.identity, spokes: [] } }).map((s) => s.Sid)).toEqual(['AccountAdministersThroughIam']);
  });
});
