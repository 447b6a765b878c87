import { TerraformVariable, type TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { spokeDeployRoleArn, spokePlanRoleArn } from '../naming/arns';
import type { EnvironmentConfig } from '../environment/schema';
import { defaultTags } from './default-tags';

export const PIPELINE_ROLE_VARIABLE = 'pipeline_role';

/**
 * The AWS provider for an environment's account and region. In a spoke it assumes the spoke's
 * deploy role, or its read-only plan role when `TF_VAR_pipeline_role=plan` (merge-request plans);
 * both ARNs are deterministic, so no lookup is needed. A hub uses the caller's own credentials.
 */
export function addAwsProvider(stack: TerraformStack, env: EnvironmentConfig, stackId: string, alias?: string): AwsProvider {
  let assumeRole: AwsProvider['assumeRole'];
  if (env.kind === 'spoke') {
    const role = new TerraformVariable(stack, PIPELINE_ROLE_VARIABLE, {
      type: 'string',
      default: 'deploy',
      description: 'Which spoke role the provider assumes: "deploy" (changes) or "plan" (read-only merge-request plans).',
      validation: [{ condition: `\${contains(["deploy", "plan"], var.${PIPELINE_ROLE_VARIABLE})}`, errorMessage: 'pipeline_role must be "deploy" or "plan".' }],
    });
    assumeRole = [
      {
        roleArn: `\${${role.fqn} == "plan" ? "${spokePlanRoleArn(env)}" : "${spokeDeployRoleArn(env)}"}`,
        sessionName: `gitlab-ci-${env.name}`,
        ...(env.roles.externalId ? { externalId: env.roles.externalId } : {}),
      },
    ];
  }
  return new AwsProvider(stack, alias ? `aws-${alias}` : 'aws', {
    region: env.region,
    allowedAccountIds: [env.accountId],
    defaultTags: [{ tags: defaultTags(env, stackId) }],
    ...(alias ? { alias } : {}),
    ...(assumeRole ? { assumeRole } : {}),
  });
}
