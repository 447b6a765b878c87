import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { PolicyStatement } from '../iam/policy-document';

/**
 * What AWS answers when a role with an allow-everything identity policy and `boundary` (or with
 * `identity` as its only policy) calls `action` on `resource`: @cloud-copilot/iam-simulate, with
 * context keys the action supports. Throws when the engine cannot evaluate the request.
 */
export async function decide(opts: { principal?: string; resourceAccount?: string; resourcePolicy?: PolicyStatement[]; identity?: PolicyStatement[]; boundary?: PolicyStatement[]; action: string; resource: string; context?: Record<string, string> }): Promise<string> {
  const doc = (s: PolicyStatement[]) => ({ Version: '2012-10-17', Statement: s });
  const result = await runSimulation(
    {
      request: { principal: opts.principal ?? 'arn:aws:iam::222222222222:role/gitlab-ci-deploy', action: opts.action, resource: { resource: opts.resource, accountId: opts.resourceAccount ?? '222222222222' }, contextVariables: opts.context ?? {} },
      identityPolicies: opts.identity?.length === 0 ? [] : [{ name: 'identity', policy: doc(opts.identity ?? [{ Effect: 'Allow', Action: '*', Resource: '*' }]) }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(opts.resourcePolicy ? { resourcePolicy: doc(opts.resourcePolicy) } : {}),
      ...(opts.boundary ? { permissionBoundaryPolicies: [{ name: 'boundary', policy: doc(opts.boundary) }] } : {}),
    },
    {},
  );
  if (result.resultType !== 'single') throw new Error(`not evaluated: ${JSON.stringify(result)}`);
  const dropped = result.result.ignoredContextKeys ?? [];
  if (dropped.length) throw new Error(`not evaluated: the engine dropped ${dropped.join(', ')}`);
  return result.overallResult;
}
