import { Testing } from 'cdktf';
import { TEST_HUB, TEST_HUB_IDENTITY, TEST_SPOKE, testEnvironment } from '@gitlab-aws/core';
import { SpokeRolesStack } from './spoke-roles-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function synth(overrides: Record<string, unknown> = {}): Json {
  return JSON.parse(Testing.synth(new SpokeRolesStack(Testing.app(), { environment: testEnvironment(TEST_SPOKE, overrides) })));
}
const trust = (json: Json, role: string) => JSON.parse(json.resource.aws_iam_role[role].assume_role_policy);

describe('SpokeRolesStack', () => {
  it('trusts the deploy role to the hub deploy role alone, and the plan role to the hub plan role alone', () => {
    const json = synth();
    expect(trust(json, 'deploy-role')).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'HubDeployRoleOnly', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/gitlab-ci-hub-deploy' }, Action: ['sts:AssumeRole', 'sts:TagSession'] },
      ],
    });
    expect(trust(json, 'plan-role').Statement).toEqual([
      { Sid: 'HubPlanRoleOnly', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/gitlab-ci-hub-plan' }, Action: ['sts:AssumeRole', 'sts:TagSession'] },
    ]);
    expect(json.resource.aws_iam_role['deploy-role']).toMatchObject({ name: 'gitlab-ci-deploy', max_session_duration: 3600 });
    expect(json.resource.aws_iam_role['plan-role']).toMatchObject({ name: 'gitlab-ci-plan', max_session_duration: 3600 });
  });

  it('gives the deploy role AdministratorAccess and the plan role ReadOnlyAccess by default', () => {
    const attachments = Object.values(synth().resource.aws_iam_role_policy_attachment as Json).map((a) => [a.role, a.policy_arn]);
    expect(attachments).toEqual([
      ['${aws_iam_role.deploy-role.name}', 'arn:aws:iam::aws:policy/AdministratorAccess'],
      ['${aws_iam_role.plan-role.name}', 'arn:aws:iam::aws:policy/ReadOnlyAccess'],
    ]);
  });

  it('adds the ExternalId and organization conditions, the boundary and the policies the file asks for', () => {
    const json = synth({
      roles: { externalId: 'acme-ci-7f3a' },
      identity: {
        principalOrgId: 'o-a1b2c3d4e5',
        permissionsBoundary: 'arn:aws:iam::222222222222:policy/ci-boundary',
        deployPolicies: ['PowerUserAccess', 'arn:aws:iam::222222222222:policy/ci-iam'],
        planPolicies: ['ReadOnlyAccess', 'ReadOnlyAccess'],
        maxSessionSeconds: 1800,
      },
    });
    for (const role of ['deploy-role', 'plan-role']) {
      expect(trust(json, role).Statement[0].Condition).toEqual({ StringEquals: { 'sts:ExternalId': 'acme-ci-7f3a', 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } });
    }
    expect(json.resource.aws_iam_role['deploy-role']).toMatchObject({ permissions_boundary: 'arn:aws:iam::222222222222:policy/ci-boundary', max_session_duration: 1800 });
    expect(json.resource.aws_iam_role['plan-role'].permissions_boundary).toBeUndefined();
    expect(Object.values(json.resource.aws_iam_role_policy_attachment as Json).map((a) => a.policy_arn)).toEqual([
      'arn:aws:iam::aws:policy/PowerUserAccess',
      'arn:aws:iam::222222222222:policy/ci-iam',
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
    ]);
  });

  it('uses the partition of the region for AWS managed policies', () => {
    const json = synth({ region: 'us-gov-west-1' });
    expect(json.resource.aws_iam_role_policy_attachment['plan-role-policy-0'].policy_arn).toBe('arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess');
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
    expect(json.resource.aws_iam_role['plan-role'].permissions_boundary).toBeUndefined();
    const doc = JSON.parse(json.resource.aws_iam_policy['deploy-boundary'].policy);
    const denied = (sid: string) => doc.Statement.find((s: Json) => s.Sid === sid);
    expect(denied('NoLongLivedCredentials')).toMatchObject({ Effect: 'Deny', Action: expect.arrayContaining(['iam:CreateUser', 'iam:CreateAccessKey']) });
    expect(denied('NoChangesToTheCiRoles').Resource).toEqual(['arn:aws:iam::222222222222:role/gitlab-ci-deploy', 'arn:aws:iam::222222222222:role/gitlab-ci-plan']);
    expect(denied('NoChangesToThisBoundary').Resource).toEqual(['arn:aws:iam::222222222222:policy/gitlab-ci-deploy-boundary']);
  });

  it('uses the environment\'s boundary instead when it names one', () => {
    const json = synth({ identity: { permissionsBoundary: 'arn:aws:iam::222222222222:policy/org-boundary' } });
    expect(json.resource.aws_iam_role['deploy-role'].permissions_boundary).toBe('arn:aws:iam::222222222222:policy/org-boundary');
    expect(json.resource.aws_iam_policy).toBeUndefined();
  });
});
