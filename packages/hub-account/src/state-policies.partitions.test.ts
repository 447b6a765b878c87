import { policyJson, TEST_HUB, TEST_HUB_IDENTITY, testEnvironment } from '@gitlab-aws/core';
import { decide } from '@gitlab-aws/core/src/testing/iam-decide';
import { statementIdProblems } from '@gitlab-aws/core/src/testing/statement-ids';
import type { HubWithIdentity } from './hub-config';
import { stateBucketStatements, stateKeyStatements } from './state-policies';

// The state policies beyond the one-open-one-protected hub of state-policies.test.ts: hubs with one
// kind of spoke only, other partitions, and statement names.
const hubWith = (spokes: object[], overrides: Record<string, unknown> = {}) =>
  testEnvironment(TEST_HUB, { identity: { ...TEST_HUB_IDENTITY, spokes }, ...overrides }) as HubWithIdentity;
const OPEN = { environment: 'dev', accountId: '222222222222', region: 'eu-west-1' };
const GUARDED = { environment: 'prod', accountId: '333333333333', region: 'eu-west-1', protected: true };
const role = (name: string) => `arn:aws:iam::111111111111:role/${name}`;

function onState(statements: ReturnType<typeof stateBucketStatements>, roleArn: string, action: string, key: string) {
  return decide({
    principal: roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/') + '/s',
    resourceAccount: '111111111111',
    identity: [],
    resourcePolicy: statements,
    action,
    resource: `arn:aws:s3:::state-bucket/${key}`,
    context: { 'aws:PrincipalArn': roleArn, 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3' },
  });
}

describe('state bucket policy of a hub with one kind of spoke', () => {
  it('only non-protected spokes: a valid policy in which the protected deploy role writes nothing', async () => {
    const statements = stateBucketStatements(hubWith([OPEN]), 'state-bucket');
    expect(() => policyJson(statements)).not.toThrow();
    expect(await onState(statements, role('gitlab-ci-hub-deploy'), 's3:PutObject', 'dev/dev-baseline.tfstate')).toBe('Allowed');
    expect(await onState(statements, role('gitlab-ci-hub-deploy-protected'), 's3:PutObject', 'dev/dev-baseline.tfstate')).toBe('ImplicitlyDenied');
  });

  it('only protected spokes: a valid policy in which the deploy role writes nothing', async () => {
    const statements = stateBucketStatements(hubWith([GUARDED]), 'state-bucket');
    expect(() => policyJson(statements)).not.toThrow();
    expect(await onState(statements, role('gitlab-ci-hub-deploy-protected'), 's3:PutObject', 'prod/prod-baseline.tfstate')).toBe('Allowed');
    expect(await onState(statements, role('gitlab-ci-hub-deploy'), 's3:PutObject', 'prod/prod-baseline.tfstate')).toBe('ImplicitlyDenied');
  });
});

describe('state key policy in other partitions', () => {
  const viaService = (hub: HubWithIdentity) => stateKeyStatements(hub).filter((s) => s.Condition).map((s) => s.Condition!.StringEquals['kms:ViaService']);

  it('names the S3 endpoint of the region, with the .cn suffix in China', () => {
    expect(viaService(hubWith([{ ...OPEN, region: 'cn-north-1' }], { region: 'cn-north-1' }))).toEqual(['s3.cn-north-1.amazonaws.com.cn', 's3.cn-north-1.amazonaws.com.cn']);
    expect(viaService(hubWith([{ ...OPEN, region: 'us-gov-west-1' }], { region: 'us-gov-west-1' }))).toEqual(['s3.us-gov-west-1.amazonaws.com', 's3.us-gov-west-1.amazonaws.com']);
    expect(viaService(hubWith([OPEN]))).toEqual(['s3.eu-west-1.amazonaws.com', 's3.eu-west-1.amazonaws.com']);
  });

  it('lets the account root administer the key in its own partition', () => {
    expect(stateKeyStatements(hubWith([], { region: 'cn-north-1' }))[0].Principal).toEqual({ AWS: 'arn:aws-cn:iam::111111111111:root' });
  });
});

describe('state policies name every statement', () => {
  const hub = hubWith([OPEN, GUARDED]);
  it.each([
    ['bucket policy', stateBucketStatements(hub, 'state-bucket')],
    ['key policy', stateKeyStatements(hub)],
  ])('%s', (_, statements) => {
    expect(statementIdProblems(statements)).toEqual([]);
  });
});
