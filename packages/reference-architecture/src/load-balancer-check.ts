import { CHART_INGRESS_NODE_PORTS } from '@gitlab-aws/core';
import type { GitLabTopology } from '@gitlab-aws/gitlab-config';
import { listeningPorts } from '@gitlab-aws/gitlab-config';
import { nodeRoleOf } from './gitlab-topology';
import type { LoadBalancerTarget } from './load-balancers';

/** The ports the EKS nodes serve to load balancers: the chart NGINX's NodePorts (chart values set them). */
const KUBERNETES_SERVED = [CHART_INGRESS_NODE_PORTS.http, CHART_INGRESS_NODE_PORTS.https, CHART_INGRESS_NODE_PORTS.gitlabShell];

/**
 * Target groups whose port no node of the target role listens on, as sentences. A load balancer
 * that forwards there passes health checks never and traffic nowhere (POC's old 443 pass-through).
 */
export function unservedTargets(targets: readonly LoadBalancerTarget[], topology: GitLabTopology): string[] {
  const served = listeningPorts(topology);
  const servedBy = (t: LoadBalancerTarget): { who: string; ports: readonly number[] } =>
    t.role === 'kubernetes' ? { who: 'kubernetes', ports: KUBERNETES_SERVED } : { who: nodeRoleOf(t.role), ports: served[nodeRoleOf(t.role)] ?? [] };
  return targets
    .filter((t) => !servedBy(t).ports.includes(t.port))
    .map((t) => {
      const { who, ports } = servedBy(t);
      return `${t.loadBalancer} target group "${t.name}" forwards to ${who}:${t.port}, where the GitLab configuration listens on nothing (${who} serves ${ports.join(', ') || 'no ports'})`;
    });
}
