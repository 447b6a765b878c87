import { hubRoleFor, type ConditionBlock, type PolicyStatement, type SpokeEnvironmentConfig } from '@gitlab-aws/core';

/** Which spoke role: "deploy" (trusted by the hub deploy role, or its protected twin) or "plan" (trusted by the hub plan role). */
export type SpokeRole = 'deploy' | 'plan';

/**
 * Trust policy of a spoke role: exactly one principal, the hub role of the same kind (never the hub
 * account as a whole, never "*"); for a protected spoke's deploy role that is the hub's protected
 * deploy role. Allowed sts:AssumeRole and sts:TagSession (session tags), with the ExternalId and
 * organization conditions the spoke's file asks for.
 */
export function spokeTrustStatements(env: SpokeEnvironmentConfig, role: SpokeRole): PolicyStatement[] {
  const hubRole = hubRoleFor(env, role).arn;
  const equals: Record<string, string> = {};
  if (env.roles.externalId) equals['sts:ExternalId'] = env.roles.externalId;
  if (env.identity.principalOrgId) equals['aws:PrincipalOrgID'] = env.identity.principalOrgId;
  const condition: ConditionBlock | undefined = Object.keys(equals).length ? { StringEquals: equals } : undefined;
  return [
    {
      Sid: role === 'deploy' ? 'HubDeployRoleOnly' : 'HubPlanRoleOnly',
      Effect: 'Allow',
      Principal: { AWS: hubRole },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      ...(condition ? { Condition: condition } : {}),
    },
  ];
}
