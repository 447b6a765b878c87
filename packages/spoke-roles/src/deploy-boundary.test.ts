import { testEnvironment, TEST_SPOKE, type SpokeEnvironmentConfig } from '@gitlab-aws/core';
import { decide } from '@gitlab-aws/core/src/testing/iam-decide';
import {
  BOUNDARY_POLICY_ACTIONS,
  BOUNDARY_REMOVAL_ACTIONS,
  BOUNDED_ROLE_ACTIONS,
  CI_ROLE_ACTIONS,
  deployBoundaryStatements,
  IDENTITY_PROVIDER_ACTIONS,
  USER_AND_GROUP_ACTIONS,
} from './deploy-boundary';

// The boundary judged by what a role under it (with AdministratorAccess) may do, one action at a time,
// so every Deny action is individually significant.
const env = testEnvironment(TEST_SPOKE) as SpokeEnvironmentConfig;
const boundary = deployBoundaryStatements(env);
const BOUNDARY = 'arn:aws:iam::222222222222:policy/gitlab-ci-deploy-boundary';
const APP_ROLE = 'arn:aws:iam::222222222222:role/app-role';
const run = (action: string, resource: string, context: Record<string, string> = {}) => decide({ boundary, action, resource, context });

/** A resource of the type each IAM action acts on. */
function resourceFor(action: string): string {
  if (/Group/.test(action)) return 'arn:aws:iam::222222222222:group/admins';
  if (/OpenIDConnect/.test(action)) return 'arn:aws:iam::222222222222:oidc-provider/gitlab.com';
  if (/SAML/.test(action)) return 'arn:aws:iam::222222222222:saml-provider/corp';
  if (/Policy(Version)?$/.test(action) && !/Role|User/.test(action)) return 'arn:aws:iam::222222222222:policy/app-policy';
  if (/Role/.test(action)) return APP_ROLE;
  return 'arn:aws:iam::222222222222:user/someone';
}

describe('deploy boundary, evaluated', () => {
  it('names the spoke\'s own boundary and CI roles', () => {
    expect(boundary.find((s) => s.Sid === 'RolesOnlyWithThisBoundary')?.Condition).toEqual({ StringNotEquals: { 'iam:PermissionsBoundary': BOUNDARY } });
  });

  it.each(BOUNDED_ROLE_ACTIONS)('%s: only on roles that carry this boundary', async (action) => {
    expect(await run(action, APP_ROLE)).toBe('ExplicitlyDenied');
    expect(await run(action, APP_ROLE, { 'iam:PermissionsBoundary': 'arn:aws:iam::222222222222:policy/other' })).toBe('ExplicitlyDenied');
    expect(await run(action, APP_ROLE, { 'iam:PermissionsBoundary': BOUNDARY })).toBe('Allowed');
  });

  it.each([...BOUNDARY_REMOVAL_ACTIONS, ...IDENTITY_PROVIDER_ACTIONS, ...USER_AND_GROUP_ACTIONS])('%s: never', async (action) => {
    expect(await run(action, resourceFor(action), /Boundary$/.test(action) ? { 'iam:PermissionsBoundary': BOUNDARY } : {})).toBe('ExplicitlyDenied');
  });

  it.each(CI_ROLE_ACTIONS)('%s: never on the CI roles, even with the boundary', async (action) => {
    // Tagging carries no iam:PermissionsBoundary key; every other action here does.
    const ctx: Record<string, string> = /tag/i.test(action) ? {} : { 'iam:PermissionsBoundary': BOUNDARY };
    for (const role of ['gitlab-ci-deploy', 'gitlab-ci-plan']) {
      expect(await run(action, `arn:aws:iam::222222222222:role/${role}`, ctx)).toBe('ExplicitlyDenied');
    }
    expect(await run(action, APP_ROLE, ctx)).toBe('Allowed');
  });

  it.each(BOUNDARY_POLICY_ACTIONS)('%s: never on the boundary itself', async (action) => {
    expect(await run(action, BOUNDARY)).toBe('ExplicitlyDenied');
    expect(await run(action, 'arn:aws:iam::222222222222:policy/app-policy')).toBe('Allowed');
  });

  it.each([
    ['organizations:LeaveOrganization', '*'],
    ['account:PutAlternateContact', 'arn:aws:account::222222222222:account'],
  ])('%s: never', async (action, resource) => {
    expect(await run(action, resource)).toBe('ExplicitlyDenied');
  });

  it('leaves deployments alone: networks, buckets, roles with the boundary', async () => {
    expect(await run('ec2:CreateVpc', 'arn:aws:ec2:eu-west-1:222222222222:vpc/vpc-0a1b2c3d4e5f60718')).toBe('Allowed');
    expect(await run('s3:CreateBucket', 'arn:aws:s3:::dev-web-assets')).toBe('Allowed');
    expect(await run('iam:CreatePolicy', 'arn:aws:iam::222222222222:policy/app-policy')).toBe('Allowed');
  });

  it('uses the environment\'s own boundary ARN in the condition when it names one', () => {
    const own = testEnvironment(TEST_SPOKE, { identity: { permissionsBoundary: 'arn:aws:iam::222222222222:policy/org-boundary' } }) as SpokeEnvironmentConfig;
    expect(deployBoundaryStatements(own).find((s) => s.Sid === 'RolesOnlyWithThisBoundary')?.Condition).toEqual({ StringNotEquals: { 'iam:PermissionsBoundary': 'arn:aws:iam::222222222222:policy/org-boundary' } });
  });
});
