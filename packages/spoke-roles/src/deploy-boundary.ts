import type { Construct } from 'constructs';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { deployBoundaryPolicyName, policyJson, roleArn, spokeDeployBoundaryArn, type PolicyStatement, type SpokeEnvironmentConfig } from '@gitlab-aws/core';
import { suppress } from '@gitlab-aws/policy';

/** Name of the boundary policy the spoke creates when the environment names none. */
export function deployBoundaryName(env: SpokeEnvironmentConfig): string {
  return deployBoundaryPolicyName(env);
}

/** Role changes allowed only on roles that carry this boundary (iam:PermissionsBoundary is the target's boundary). */
export const BOUNDED_ROLE_ACTIONS = [
  'iam:CreateRole',
  'iam:PutRolePermissionsBoundary',
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
  'iam:DeleteRole',
];
/** Never: a boundary once set stays. */
export const BOUNDARY_REMOVAL_ACTIONS = ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary'];
/** Never: who may sign in to the account is the account administrators' business. */
export const IDENTITY_PROVIDER_ACTIONS = [
  'iam:CreateOpenIDConnectProvider',
  'iam:DeleteOpenIDConnectProvider',
  'iam:UpdateOpenIDConnectProviderThumbprint',
  'iam:AddClientIDToOpenIDConnectProvider',
  'iam:RemoveClientIDFromOpenIDConnectProvider',
  'iam:CreateSAMLProvider',
  'iam:UpdateSAMLProvider',
  'iam:DeleteSAMLProvider',
];
/** Never: users, groups and their long-lived credentials or policies. */
export const USER_AND_GROUP_ACTIONS = [
  'iam:CreateUser',
  'iam:CreateAccessKey',
  'iam:UpdateAccessKey',
  'iam:CreateLoginProfile',
  'iam:UpdateLoginProfile',
  'iam:CreateServiceSpecificCredential',
  'iam:UploadSSHPublicKey',
  'iam:UploadSigningCertificate',
  'iam:AttachUserPolicy',
  'iam:PutUserPolicy',
  'iam:PutUserPermissionsBoundary',
  'iam:AddUserToGroup',
  'iam:AttachGroupPolicy',
  'iam:PutGroupPolicy',
];
/** Never on the CI roles themselves (they are changed with administrator credentials). */
export const CI_ROLE_ACTIONS = [
  'iam:UpdateAssumeRolePolicy',
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:DeleteRole',
  'iam:UpdateRole',
  'iam:PutRolePermissionsBoundary',
  'iam:TagRole',
  'iam:UntagRole',
];
/** Never on the boundary policy itself. */
export const BOUNDARY_POLICY_ACTIONS = ['iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:TagPolicy', 'iam:UntagPolicy'];

/**
 * The boundary's statements: everything a deployment needs, but no role without this boundary (so
 * a role it creates cannot outgrow it, and it cannot touch roles that lack it), no boundary
 * removal, no identity providers, no users, groups or long-lived credentials, no account or
 * organization changes, and no change to the CI roles or to this boundary.
 */
export function deployBoundaryStatements(env: SpokeEnvironmentConfig): PolicyStatement[] {
  const boundaryArn = spokeDeployBoundaryArn(env);
  const ciRoles = [roleArn(env, env.accountId, env.roles.deployRoleName), roleArn(env, env.accountId, env.roles.planRoleName)];
  return [
    { Sid: 'CeilingForDeployments', Effect: 'Allow', Action: '*', Resource: '*' },
    {
      Sid: 'RolesOnlyWithThisBoundary',
      Effect: 'Deny',
      Action: BOUNDED_ROLE_ACTIONS,
      Resource: '*',
      Condition: { StringNotEquals: { 'iam:PermissionsBoundary': boundaryArn } },
    },
    { Sid: 'NoBoundaryRemoval', Effect: 'Deny', Action: BOUNDARY_REMOVAL_ACTIONS, Resource: '*' },
    { Sid: 'NoIdentityProviders', Effect: 'Deny', Action: IDENTITY_PROVIDER_ACTIONS, Resource: '*' },
    { Sid: 'NoUsersGroupsOrLongLivedCredentials', Effect: 'Deny', Action: USER_AND_GROUP_ACTIONS, Resource: '*' },
    { Sid: 'NoAccountOrOrganizationChanges', Effect: 'Deny', Action: ['organizations:*', 'account:*'], Resource: '*' },
    { Sid: 'NoChangesToTheCiRoles', Effect: 'Deny', Action: CI_ROLE_ACTIONS, Resource: ciRoles },
    { Sid: 'NoChangesToThisBoundary', Effect: 'Deny', Action: BOUNDARY_POLICY_ACTIONS, Resource: [boundaryArn] },
  ];
}

/**
 * The ceiling of the deploy role when the environment brings no boundary of its own (see
 * deployBoundaryStatements). Every role of a spoke stack carries it (core's DeployBoundaryAspect).
 * The ci-roles stack itself is changed with administrator credentials, as its first deployment is.
 */
export function deployBoundary(scope: Construct, env: SpokeEnvironmentConfig): IamPolicy {
  const policy = new IamPolicy(scope, 'deploy-boundary', {
    name: deployBoundaryName(env),
    description: `Ceiling of ${env.roles.deployRoleName} and every role it creates: no unbounded roles, users, identity providers or self-escalation`,
    policy: policyJson(deployBoundaryStatements(env)),
  });
  suppress(policy, 'GLA-IAM-001', 'A permissions boundary is a ceiling, not a grant: its Allow "*" gives nothing by itself and its Deny statements do the work.');
  return policy;
}
