import { Testing } from 'cdktf';
import { TEST_HUB, TEST_HUB_IDENTITY, TEST_SPOKE, testEnvironment } from '@gitlab-aws/core';
import { SpokeRolesStack } from './spoke-roles-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function synth(overrides: Record<string, unknown> = {}): Json {
  return JSON.parse(Testing.synth(new SpokeRolesStack(Testing.app(), { environment: testEnvironment(TEST_SPOKE, overrides) })));
}
const trust = (json: Json, role: string) => JSON.parse(json.resource.aws_iam_role[role].assume_role_policy);

describe('SpokeRolesStack', () => {
  it('trusts the deploy role of a protected (production) spoke to the hub protected deploy role alone, and the plan role to the hub plan role alone', () => {
    const json = synth();
    expect(trust(json, 'deploy-role')).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'HubDeployRoleOnly', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/gitlab-ci-hub-deploy-protected' }, Action: ['sts:AssumeRole', 'sts:TagSession'] },
      ],
    });
    expect(trust(json, 'plan-role').Statement).toEqual([
      { Sid: 'HubPlanRoleOnly', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/gitlab-ci-hub-plan' }, Action: ['sts:AssumeRole', 'sts:TagSession'] },
    ]);
    expect(json.resource.aws_iam_role['deploy-role']).toMatchObject({ name: 'gitlab-ci-deploy', max_session_duration: 3600 });
    expect(json.resource.aws_iam_role['plan-role']).toMatchObject({ name: 'gitlab-ci-plan', max_session_duration: 3600 });
  });

  it('trusts the deploy role of a non-production spoke to the hub deploy role', () => {
    expect(trust(synth({ guardrails: { production: false } }), 'deploy-role').Statement[0].Principal).toEqual({ AWS: 'arn:aws:iam::111111111111:role/gitlab-ci-hub-deploy' });
  });

  it('gives the deploy role AdministratorAccess and the plan role only its plan policy by default (no ReadOnlyAccess)', () => {
    const json = synth();
    const attachments = Object.values(json.resource.aws_iam_role_policy_attachment as Json).map((a) => [a.role, a.policy_arn]);
    expect(attachments).toEqual([['${aws_iam_role.deploy-role.name}', 'arn:aws:iam::aws:policy/AdministratorAccess']]);
    expect(json.resource.aws_iam_role_policy['plan-role-plan-policy']).toMatchObject({ role: '${aws_iam_role.plan-role.name}', name: 'plan-read-no-secrets' });
  });

  it('adds the ExternalId and organization conditions, the boundary and the policies the file asks for', () => {
    const json = synth({
      roles: { externalId: 'acme-ci-7f3a' },
      identity: {
        principalOrgId: 'o-a1b2c3d4e5',
        permissionsBoundary: 'arn:aws:iam::222222222222:policy/ci-boundary',
        deployPolicies: ['PowerUserAccess', 'arn:aws:iam::222222222222:policy/ci-iam'],
        planPolicies: ['ViewOnlyAccess', 'ViewOnlyAccess'],
        maxSessionSeconds: 1800,
      },
    });
    for (const role of ['deploy-role', 'plan-role']) {
      expect(trust(json, role).Statement[0].Condition).toEqual({ StringEquals: { 'sts:ExternalId': 'acme-ci-7f3a', 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } });
    }
    expect(json.resource.aws_iam_role['deploy-role']).toMatchObject({ permissions_boundary: 'arn:aws:iam::222222222222:policy/ci-boundary', max_session_duration: 1800 });
    // Every role of a spoke stack carries the deploy boundary (core's DeployBoundaryAspect), the plan role too.
    expect(json.resource.aws_iam_role['plan-role'].permissions_boundary).toBe('arn:aws:iam::222222222222:policy/ci-boundary');
    expect(Object.values(json.resource.aws_iam_role_policy_attachment as Json).map((a) => a.policy_arn)).toEqual([
      'arn:aws:iam::aws:policy/PowerUserAccess',
      'arn:aws:iam::222222222222:policy/ci-iam',
      'arn:aws:iam::aws:policy/ViewOnlyAccess',
    ]);
  });

  it('uses the partition of the region for AWS managed policies', () => {
    const json = synth({ region: 'us-gov-west-1' });
    expect(json.resource.aws_iam_role_policy_attachment['deploy-role-policy-0'].policy_arn).toBe('arn:aws-us-gov:iam::aws:policy/AdministratorAccess');
  });

  it('is deployed with the spoke deploy role like every spoke stack (bootstrap aside)', () => {
    expect(synth().provider.aws[0].assume_role[0].role_arn).toContain('arn:aws:iam::222222222222:role/gitlab-ci-deploy');
  });

  it('refuses a hub environment', () => {
    expect(() => new SpokeRolesStack(Testing.app(), { environment: testEnvironment(TEST_HUB, { identity: TEST_HUB_IDENTITY }) })).toThrow('environment "devops" is a hub');
  });
});

describe('deploy-role boundary', () => {
  it('caps the deploy role with a boundary of its own when the environment names none', () => {
    const json = synth();
    expect(json.resource.aws_iam_role['deploy-role'].permissions_boundary).toBe('${aws_iam_policy.deploy-boundary.arn}');
    expect(json.resource.aws_iam_role['plan-role'].permissions_boundary).toBe('arn:aws:iam::222222222222:policy/gitlab-ci-deploy-boundary');
    expect(json.resource.aws_iam_policy['deploy-boundary'].name).toBe('gitlab-ci-deploy-boundary');
    // What the boundary allows and denies is tested in deploy-boundary.test.ts by evaluation.
    expect(JSON.parse(json.resource.aws_iam_policy['deploy-boundary'].policy).Statement.length).toBeGreaterThan(1);
  });

  it('uses the environment\'s boundary instead when it names one', () => {
    const json = synth({ identity: { permissionsBoundary: 'arn:aws:iam::222222222222:policy/org-boundary' } });
    expect(json.resource.aws_iam_role['deploy-role'].permissions_boundary).toBe('arn:aws:iam::222222222222:policy/org-boundary');
    expect(json.resource.aws_iam_policy).toBeUndefined();
  });
});
