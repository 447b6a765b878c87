import type { Construct } from 'constructs';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { partitionOf, policyJson, roleArn, type SpokeEnvironmentConfig } from '@gitlab-aws/core';
import { suppress } from '@gitlab-aws/policy';

/** Name of the boundary policy the spoke creates when the environment names none. */
export function deployBoundaryName(env: SpokeEnvironmentConfig): string {
  return `${env.roles.deployRoleName}-boundary`;
}

/**
 * The ceiling of the deploy role when the environment brings no boundary of its own: everything a
 * deployment needs, but no long-lived credentials, no account or organization changes, and no way
 * for a pipeline to widen its own trust, policies or this boundary. (So the ci-roles stack itself
 * is changed with administrator credentials, as its first deployment is.)
 */
export function deployBoundary(scope: Construct, env: SpokeEnvironmentConfig): IamPolicy {
  const partition = partitionOf(env.region);
  const boundaryArn = `arn:${partition}:iam::${env.accountId}:policy/${deployBoundaryName(env)}`;
  const ciRoles = [roleArn(env, env.accountId, env.roles.deployRoleName), roleArn(env, env.accountId, env.roles.planRoleName)];
  const policy = new IamPolicy(scope, 'deploy-boundary', {
    name: deployBoundaryName(env),
    description: `Ceiling of ${env.roles.deployRoleName}: no user credentials, no account changes, no self-escalation`,
    policy: policyJson([
      { Sid: 'CeilingForDeployments', Effect: 'Allow', Action: '*', Resource: '*' },
      {
        Sid: 'NoLongLivedCredentials',
        Effect: 'Deny',
        Action: ['iam:CreateUser', 'iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile', 'iam:CreateServiceSpecificCredential'],
        Resource: '*',
      },
      { Sid: 'NoAccountOrOrganizationChanges', Effect: 'Deny', Action: ['organizations:*', 'account:*'], Resource: '*' },
      {
        Sid: 'NoChangesToTheCiRoles',
        Effect: 'Deny',
        Action: [
          'iam:UpdateAssumeRolePolicy',
          'iam:AttachRolePolicy',
          'iam:DetachRolePolicy',
          'iam:PutRolePolicy',
          'iam:DeleteRolePolicy',
          'iam:DeleteRole',
          'iam:UpdateRole',
          'iam:PutRolePermissionsBoundary',
          'iam:DeleteRolePermissionsBoundary',
        ],
        Resource: ciRoles,
      },
      {
        Sid: 'NoChangesToThisBoundary',
        Effect: 'Deny',
        Action: ['iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion'],
        Resource: [boundaryArn],
      },
    ]),
  });
  suppress(policy, 'GLA-IAM-001', 'A permissions boundary is a ceiling, not a grant: its Allow "*" gives nothing by itself and its Deny statements do the work.');
  return policy;
}
