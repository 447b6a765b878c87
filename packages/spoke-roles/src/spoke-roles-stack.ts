import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import {
  EnvironmentStack,
  managedPolicyArn,
  policyJson,
  spokeDeployRoleArn,
  spokePlanRoleArn,
  type EnvironmentConfig,
  type SpokeEnvironmentConfig,
} from '@gitlab-aws/core';
import { deployBoundary } from './deploy-boundary';
import { planPolicyStatements } from './plan-policy';
import { spokeTrustStatements, type SpokeRole } from './spoke-trust';

export interface SpokeRolesStackProps {
  /** The spoke environment; `roles` names the roles, `identity` sets conditions, boundary and policies. */
  readonly environment: EnvironmentConfig;
}

/**
 * The two roles a spoke offers its hub: the deploy role (the spoke's AWS provider assumes it for
 * every other stack; always under a boundary) and the plan role for merge-request plans (reads
 * what plan refreshes, never a secret). Each trusts only the hub role of the same kind; a protected
 * spoke's deploy role trusts only the hub's protected deploy role. The first deployment of this stack needs the account's administrator
 * credentials, because the provider would otherwise assume the role it creates (docs/identity.md).
 */
export class SpokeRolesStack extends EnvironmentStack {
  readonly roles: Record<SpokeRole, IamRole>;

  constructor(scope: Construct, props: SpokeRolesStackProps) {
    if (props.environment.kind !== 'spoke') {
      throw new Error(`SpokeRolesStack: environment "${props.environment.name}" is a hub; spoke roles belong to spoke environments (kind "spoke")`);
    }
    const env: SpokeEnvironmentConfig = props.environment;
    super(scope, { environment: env, component: 'ci-roles' });
    const settings = env.identity;

    const makeRole = (role: SpokeRole, name: string, policies: string[], description: string, boundaryArn?: string): IamRole => {
      const iamRole = new IamRole(this, `${role}-role`, {
        name,
        description,
        assumeRolePolicy: policyJson(spokeTrustStatements(env, role)),
        maxSessionDuration: settings.maxSessionSeconds,
        ...(boundaryArn ? { permissionsBoundary: boundaryArn } : {}),
      });
      [...new Set(policies)].forEach((p, i) => {
        new IamRolePolicyAttachment(this, `${role}-role-policy-${i}`, { role: iamRole.name, policyArn: managedPolicyArn(env, p) });
      });
      return iamRole;
    };
    // The deploy role always has a ceiling: the environment's own boundary, or the one made here.
    const boundaryArn = settings.permissionsBoundary ? managedPolicyArn(env, settings.permissionsBoundary) : deployBoundary(this, env).arn;
    this.roles = {
      deploy: makeRole('deploy', env.roles.deployRoleName, settings.deployPolicies, `Deploys ${env.name}; assumed by the hub deploy role only`, boundaryArn),
      plan: makeRole('plan', env.roles.planRoleName, settings.planPolicies, `Read-only plans of ${env.name}; assumed by the hub plan role only`),
    };
    new IamRolePolicy(this, 'plan-role-plan-policy', { role: this.roles.plan.name, name: 'plan-read-no-secrets', policy: policyJson(planPolicyStatements()) });

    new TerraformOutput(this, 'deploy_role_arn', { value: spokeDeployRoleArn(env), description: 'Role the hub deploy role assumes here' });
    new TerraformOutput(this, 'plan_role_arn', { value: spokePlanRoleArn(env), description: 'Read-only role the hub plan role assumes here' });
  }
}
