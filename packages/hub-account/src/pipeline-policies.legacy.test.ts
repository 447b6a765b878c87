import { TEST_HUB, TEST_HUB_IDENTITY, testEnvironment, type PolicyStatement } from '@gitlab-aws/core';
import { decide } from '@gitlab-aws/core/src/testing/iam-decide';
import type { HubWithIdentity } from './hub-config';
import { legacySessionStatements } from './pipeline-policies';

// The deploy role's denials for its legacy (static-key) sessions, evaluated: what a legacy session
// and a GitLab (OIDC) session of the same role may still do, per environment and per network.
const SPOKES = [
  { environment: 'dev', accountId: '222222222222', region: 'eu-west-1' },
  { environment: 'qa', accountId: '444444444444', region: 'eu-west-1' },
  { environment: 'prod', accountId: '333333333333', region: 'eu-west-1', protected: true },
];
const CIDR = '203.0.113.0/24';
const VPC = 'vpc-0123456789abcdef0';
const hubWith = (networks: { sourceCidrs?: string[]; sourceVpcs?: string[] }) =>
  testEnvironment(TEST_HUB, { identity: { ...TEST_HUB_IDENTITY, spokes: SPOKES, staticKeys: { enabled: true, environments: ['dev'], ...networks } } }) as HubWithIdentity;
const ALLOW_ALL: PolicyStatement[] = [{ Effect: 'Allow', Action: '*', Resource: '*' }];
const DEPLOY = 'arn:aws:iam::111111111111:role/gitlab-ci-hub-deploy';
const BUCKET = 'arn:aws:s3:::gitlab-aws-tfstate-111111111111-eu-west-1';
const spokeDeploy = (account: string) => `arn:aws:iam::${account}:role/gitlab-ci-deploy`;

/** A session of the hub deploy role named `session` calling `action` on `resource`, from `network`. */
function call(hub: HubWithIdentity, session: string, action: string, resource: string, network: Record<string, string>) {
  return decide({
    principal: `arn:aws:sts::111111111111:assumed-role/gitlab-ci-hub-deploy/${session}`,
    // The hub's account for every resource: the identity side alone decides (a spoke role's trust is another test's).
    resourceAccount: '111111111111',
    identity: [...ALLOW_ALL, ...legacySessionStatements(hub)],
    action,
    resource,
    context: { 'aws:PrincipalArn': DEPLOY, 'aws:userid': `AROAEXAMPLEID:${session}`, 'aws:ViaAWSService': 'false', ...network },
  });
}
const LEGACY = 'legacy-keys-1234';
const OIDC = 'gitlab-ci-42';

describe('legacy sessions of the hub deploy role, evaluated', () => {
  const hub = hubWith({ sourceCidrs: [CIDR], sourceVpcs: [VPC] });
  const listedIp = { 'aws:SourceIp': '203.0.113.7' };

  it("assume only the deploy roles of staticKeys.environments' spokes; a GitLab session of the same role is not held", async () => {
    expect(await call(hub, LEGACY, 'sts:AssumeRole', spokeDeploy('222222222222'), listedIp)).toBe('Allowed');
    expect(await call(hub, LEGACY, 'sts:AssumeRole', spokeDeploy('444444444444'), listedIp)).toBe('ExplicitlyDenied');
    expect(await call(hub, LEGACY, 'sts:TagSession', spokeDeploy('444444444444'), listedIp)).toBe('ExplicitlyDenied');
    expect(await call(hub, LEGACY, 'sts:AssumeRole', 'arn:aws:iam::222222222222:role/gitlab-ci-plan', listedIp)).toBe('ExplicitlyDenied');
    expect(await call(hub, OIDC, 'sts:AssumeRole', spokeDeploy('444444444444'), listedIp)).toBe('Allowed');
  });

  it("reach only the bucket and their environments' state", async () => {
    expect(await call(hub, LEGACY, 's3:GetObject', `${BUCKET}/dev/dev-baseline.tfstate`, listedIp)).toBe('Allowed');
    expect(await call(hub, LEGACY, 's3:ListBucket', BUCKET, listedIp)).toBe('Allowed');
    expect(await call(hub, LEGACY, 's3:PutObject', `${BUCKET}/qa/qa-baseline.tfstate`, listedIp)).toBe('ExplicitlyDenied');
    expect(await call(hub, LEGACY, 's3:GetObject', `${BUCKET}/devops/devops-ci-identity.tfstate`, listedIp)).toBe('ExplicitlyDenied');
    expect(await call(hub, LEGACY, 's3:GetObject', 'arn:aws:s3:::other-bucket/dev/dev-baseline.tfstate', listedIp)).toBe('ExplicitlyDenied');
    expect(await call(hub, OIDC, 's3:GetObject', `${BUCKET}/qa/qa-baseline.tfstate`, listedIp)).toBe('Allowed');
  });

  it('act from a listed CIDR or a listed VPC only, unless an AWS service acts for them', async () => {
    const dev = `${BUCKET}/dev/dev-baseline.tfstate`;
    expect(await call(hub, LEGACY, 's3:GetObject', dev, { 'aws:SourceVpc': VPC })).toBe('Allowed');
    expect(await call(hub, LEGACY, 's3:GetObject', dev, { 'aws:SourceVpc': 'vpc-0fedcba9876543210' })).toBe('ExplicitlyDenied');
    expect(await call(hub, LEGACY, 's3:GetObject', dev, { 'aws:SourceIp': '198.51.100.7' })).toBe('ExplicitlyDenied');
    expect(await call(hub, LEGACY, 's3:GetObject', dev, { 'aws:SourceIp': '198.51.100.7', 'aws:ViaAWSService': 'true' })).toBe('Allowed');
    expect(await call(hub, OIDC, 's3:GetObject', dev, { 'aws:SourceIp': '198.51.100.7' })).toBe('Allowed');
  });

  it('with CIDRs only: a request from a listed address is not held for its missing VPC', async () => {
    const cidrOnly = hubWith({ sourceCidrs: [CIDR] });
    expect(await call(cidrOnly, LEGACY, 's3:GetObject', `${BUCKET}/dev/dev-baseline.tfstate`, listedIp)).toBe('Allowed');
    expect(await call(cidrOnly, LEGACY, 's3:GetObject', `${BUCKET}/dev/dev-baseline.tfstate`, { 'aws:SourceIp': '198.51.100.7' })).toBe('ExplicitlyDenied');
  });

  it('with VPCs only: a request from a listed VPC is not held for its missing address', async () => {
    const vpcOnly = hubWith({ sourceVpcs: [VPC] });
    expect(await call(vpcOnly, LEGACY, 's3:GetObject', `${BUCKET}/dev/dev-baseline.tfstate`, { 'aws:SourceVpc': VPC })).toBe('Allowed');
    expect(await call(vpcOnly, LEGACY, 's3:GetObject', `${BUCKET}/dev/dev-baseline.tfstate`, { 'aws:SourceVpc': 'vpc-0fedcba9876543210' })).toBe('ExplicitlyDenied');
  });
});
