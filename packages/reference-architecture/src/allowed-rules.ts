import type { GitLabNodeRole } from '@gitlab-aws/core';
import type { AllowedRule, Peer } from '@gitlab-aws/gitlab-config';
import type { RolePlan } from './architecture-plan';
import { nodeRoleOf } from './gitlab-topology';
import type { PortMatrix, SecurityGroupName } from './port-matrix';

const MANAGED_PEER: Partial<Record<GitLabNodeRole, Peer>> = { postgres: 'managed-postgres', praefectPostgres: 'managed-praefect-postgres', redis: 'managed-redis', redisCache: 'managed-redis-cache' };

/** The peer name gitlab-config uses for a role as deployed here (a node role, or the managed service replacing it). */
export function peerOf(role: RolePlan): Peer {
  return role.deployment === 'ec2' ? nodeRoleOf(role.role) : MANAGED_PEER[role.role]!;
}

/**
 * The port matrix as the flows it lets through, in gitlab-config's terms: every rule between two
 * groups becomes one rule per (source member, destination member) pair; the load balancers are
 * peers of their own. CIDR rules (users to the external load balancer) are not flows between
 * GitLab's parts and are left out. A role with a single node also reaches itself: traffic to an
 * instance's own address never leaves it, so no security group is involved.
 */
export function allowedRules(matrix: PortMatrix, roles: readonly RolePlan[]): AllowedRule[] {
  const members = (group: SecurityGroupName): Peer[] => {
    if (group === 'externalLb') return ['external-lb'];
    if (group === 'internalLb') return ['internal-lb'];
    if (group === 'kubernetes') return ['kubernetes'];
    return roles.filter((r) => (matrix.membership[r.role] ?? []).includes(group)).map(peerOf);
  };
  const out = new Map<string, AllowedRule>();
  const add = (rule: AllowedRule) => out.set(`${rule.fromRole}|${rule.toRole}|${rule.port}|${rule.toPort ?? ''}|${rule.protocol}`, rule);
  for (const rule of matrix.rules) {
    if (typeof rule.from !== 'string') continue;
    for (const fromRole of members(rule.from)) for (const toRole of members(rule.to)) add({ fromRole, toRole, port: rule.port, protocol: rule.protocol });
  }
  for (const role of roles.filter((r) => r.deployment === 'ec2' && r.count === 1)) {
    for (const protocol of ['tcp', 'udp'] as const) add({ fromRole: peerOf(role), toRole: peerOf(role), port: 0, toPort: 65535, protocol });
  }
  return [...out.values()];
}
