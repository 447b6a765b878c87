import type { IamRequest } from '../evaluator';
import type { Scenario } from '../scenario';
import type { ScenarioWorld } from '../world';

/** An identity policy allowing everything: a principal whose own permissions are not what stops it. */
export const ADMIN_POLICY = { name: 'administrator', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };

/** The organization the example spokes require (prod's identity.principalOrgId). */
export const EXAMPLE_ORG = 'o-a1b2c3d4e5';

/** A principal that is not in the synthesized stacks, with administrator rights of its own. */
export function outsider(w: ScenarioWorld, roleArn: string, action: string, resource: string, resourceAccount: string, resourcePolicy: unknown, context: Record<string, string | string[]> = {}): IamRequest {
  return { principal: w.session(roleArn), action, resource, resourceAccount, context, identityPolicies: [ADMIN_POLICY], resourcePolicy };
}

export function scenario(s: Scenario): Scenario {
  return s;
}
