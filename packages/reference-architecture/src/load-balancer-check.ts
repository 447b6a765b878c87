import type { GitLabTopology } from '@gitlab-aws/gitlab-config';
import { listeningPorts } from '@gitlab-aws/gitlab-config';
import { nodeRoleOf } from './gitlab-topology';
import type { LoadBalancerTarget } from './load-balancers';

/**
 * Target groups whose port no node of the target role listens on, as sentences. A load balancer
 * that forwards there passes health checks never and traffic nowhere (POC's old 443 pass-through).
 */
export function unservedTargets(targets: readonly LoadBalancerTarget[], topology: GitLabTopology): string[] {
  const served = listeningPorts(topology);
  return targets
    .filter((t) => !(served[nodeRoleOf(t.role)] ?? []).includes(t.port))
    .map((t) => `${t.loadBalancer} target group "${t.name}" forwards to ${nodeRoleOf(t.role)}:${t.port}, where the GitLab configuration listens on nothing (${nodeRoleOf(t.role)} serves ${(served[nodeRoleOf(t.role)] ?? []).join(', ') || 'no ports'})`);
}
