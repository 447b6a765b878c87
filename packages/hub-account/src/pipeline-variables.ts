import { deployKindOf, hubPipelineRoleArns, spokeEntryRoleArns } from '@gitlab-aws/core';
import type { HubWithIdentity } from './hub-config';

/** A GitLab CI/CD variable the pipeline reads. Values here are never secret (role ARNs, regions). */
export interface PipelineVariable {
  readonly key: string;
  readonly value: string;
  /** GitLab environment scope: "*" or a spoke's environment name. */
  readonly scope: string;
  /** Only pipelines on protected refs see it. */
  readonly protected: boolean;
  /** Hidden in job logs. */
  readonly masked: boolean;
  readonly description: string;
}

/** Variable names the repository's .gitlab-ci.yml relies on. */
export const PIPELINE_VARIABLE_NAMES = {
  hubDeployRole: 'AWS_HUB_DEPLOY_ROLE_ARN',
  hubPlanRole: 'AWS_HUB_PLAN_ROLE_ARN',
  region: 'AWS_DEFAULT_REGION',
  spokeDeployRole: 'AWS_SPOKE_DEPLOY_ROLE_ARN',
  spokePlanRole: 'AWS_SPOKE_PLAN_ROLE_ARN',
} as const;

/**
 * The variables for OIDC pipelines: the hub roles for every scope (the deploy role only on protected
 * refs, so an unprotected branch never even sees it), and per spoke environment scope its region
 * and role ARNs.
 */
export function pipelineVariables(hub: HubWithIdentity): PipelineVariable[] {
  const n = PIPELINE_VARIABLE_NAMES;
  const roles = hubPipelineRoleArns(hub);
  const legacy = hub.identity.staticKeys.enabled;
  const vars: PipelineVariable[] = [
    { key: n.hubDeployRole, value: roles.deploy, scope: '*', protected: true, masked: false, description: 'Hub role deploy jobs assume with their ID token' },
    { key: n.hubPlanRole, value: roles.plan, scope: '*', protected: false, masked: false, description: 'Hub role merge-request plans assume with their ID token' },
    // With static keys it travels with them, protected and masked as the legacy setup expects.
    { key: n.region, value: hub.region, scope: '*', protected: legacy, masked: legacy, description: 'Region of the hub (STS, state bucket)' },
  ];
  for (const spoke of hub.identity.spokes) {
    const arns = spokeEntryRoleArns(spoke);
    vars.push(
      { key: n.region, value: spoke.region, scope: spoke.environment, protected: false, masked: false, description: `Region of ${spoke.environment}` },
      { key: n.spokeDeployRole, value: arns.deploy, scope: spoke.environment, protected: true, masked: false, description: `Role the hub deploy role assumes in ${spoke.environment}` },
      // A protected spoke's deploy job signs in to the protected hub role instead (environment scope wins over "*").
      ...(deployKindOf(spoke) === 'protectedDeploy'
        ? [{ key: n.hubDeployRole, value: roles.protectedDeploy, scope: spoke.environment, protected: true, masked: false, description: `Hub role deploys of protected ${spoke.environment} assume (protected release tags only)` }]
        : []),
      { key: n.spokePlanRole, value: arns.plan, scope: spoke.environment, protected: false, masked: false, description: `Read-only role the hub plan role assumes in ${spoke.environment}` },
    );
  }
  return vars;
}
