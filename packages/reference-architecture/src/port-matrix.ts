import { CHART_INGRESS_NODE_PORTS, type GitLabNodeRole } from '@gitlab-aws/core';
import { webRole, type ArchitecturePlan } from './architecture-plan';

/**
 * A security group of the architecture: one per role (also when the role is RDS or ElastiCache),
 * one per load balancer, and "consulMembers", which every node running a Consul agent joins.
 * "kubernetes" is the EKS cluster's security group (hybrid), which EKS creates and every managed
 * node carries: a caller of the stateful roles, and on it only the chart NGINX's NodePorts, from
 * the external load balancer.
 */
export type SecurityGroupName = GitLabNodeRole | 'externalLb' | 'internalLb' | 'consulMembers' | 'kubernetes';

/** One opening: `port` on members of `to`, from members of `from` (a group) or from CIDRs. */
export interface PortRule {
  readonly to: SecurityGroupName;
  /** A group, or address ranges (`label` names them in resource IDs when one port has several CIDR rules; default "cidr"). */
  readonly from: SecurityGroupName | { readonly cidrs: readonly string[]; readonly label?: string };
  readonly port: number;
  readonly protocol: 'tcp' | 'udp';
  readonly purpose: string;
}

/** The port matrix of one environment, and who belongs to which group. */
export interface PortMatrix {
  readonly rules: readonly PortRule[];
  /** Groups each role's nodes (or managed service) carry. */
  readonly membership: Readonly<Partial<Record<GitLabNodeRole, readonly SecurityGroupName[]>>>;
  /** Groups that exist in this environment. */
  readonly groups: readonly SecurityGroupName[];
}

/** Ports GitLab's components listen on (GitLab's port table). */
export const PORTS = {
  http: 80,
  https: 443,
  gitSsh: 22,
  nginxStatus: 8060,
  workhorse: 9229,
  pumaMetrics: 8080,
  gitlabExporter: 9168,
  sidekiqMetrics: 8082,
  /** Gitaly's plain port: not opened (Gitaly listens only with TLS, on gitalyTls). */
  gitaly: 8075,
  gitalyTls: 9999,
  gitalyMetrics: 9236,
  /** Praefect's plain port: not opened (Praefect listens only with TLS, on praefectTls). */
  praefect: 2305,
  praefectTls: 3305,
  praefectMetrics: 9652,
  postgres: 5432,
  postgresExporter: 9187,
  patroniApi: 8008,
  pgbouncer: 6432,
  pgbouncerExporter: 9188,
  consulRpc: 8300,
  consulSerfLan: 8301,
  consulHttp: 8500,
  redis: 6379,
  sentinel: 26379,
  redisExporter: 9121,
  prometheus: 9090,
  nodeExporter: 9100,
} as const;

/**
 * Exactly the openings the environment needs, derived from its roles: each port from exactly the
 * groups that call it. Issue-7's gitlab.rb templates are checked against this data, and the
 * security groups are built from it, so the two cannot drift.
 */
export interface PortMatrixOptions {
  /**
   * Hybrid: the NAT gateways' public addresses as /32 ranges. Gitaly calls the internal API at
   * the external URL, leaving the VPC through NAT and coming back through the external load
   * balancer's public address, so the load balancer admits them on 443. Default: none.
   */
  readonly natCidrs?: readonly string[];
}

export function portMatrix(plan: Pick<ArchitecturePlan, 'size' | 'roles' | 'hybrid' | 'gitalyCluster' | 'internalLoadBalancer' | 'consulMembers' | 'allowedCidrs'>, options: PortMatrixOptions = {}): PortMatrix {
  const ha = plan.size.ha;
  const deployment = new Map(plan.roles.map((r) => [r.role, r.deployment]));
  const hybrid = plan.hybrid;
  const has = (r: GitLabNodeRole | 'kubernetes') => (r === 'kubernetes' ? hybrid : deployment.has(r));
  const onEc2 = (r: GitLabNodeRole) => deployment.get(r) === 'ec2';
  const rules: PortRule[] = [];
  const open = (to: SecurityGroupName, from: PortRule['from'] | (GitLabNodeRole | 'kubernetes')[], ports: number[], purpose: string, protocol: 'tcp' | 'udp' = 'tcp') => {
    const sources = Array.isArray(from) ? from.filter(has) : [from];
    for (const f of sources) for (const port of ports) rules.push({ to, from: f, port, protocol, purpose });
  };
  // Who calls the stateful roles: the Rails and Sidekiq nodes, or (hybrid) the chart's pods on the cluster's nodes.
  const clients: (GitLabNodeRole | 'kubernetes')[] = hybrid ? ['kubernetes'] : ['rails', 'sidekiq'];

  // Users: web, the redirect from http, and Git over SSH, only through the external load balancer.
  open('externalLb', { cidrs: plan.allowedCidrs }, [PORTS.https, PORTS.http, PORTS.gitSsh], 'users');
  if (hybrid) {
    // The load balancer forwards to the chart NGINX's NodePorts on the cluster's nodes (the
    // cluster security group), and admits Gitaly's internal API calls, which come back through NAT.
    open('kubernetes', 'externalLb', [CHART_INGRESS_NODE_PORTS.http, CHART_INGRESS_NODE_PORTS.https, CHART_INGRESS_NODE_PORTS.gitlabShell], "the redirect to https and health checks, web (TLS again to NGINX) and Git SSH to the chart NGINX's NodePorts");
    if (options.natCidrs?.length) open('externalLb', { cidrs: options.natCidrs, label: 'nat' }, [PORTS.https], "Gitaly's internal API calls at the external URL, through the NAT gateways");
    // Only the RDS login creation moves from Rails to Gitaly's seed node.
    if (deployment.get('postgres') === 'rds') open('postgres', ['gitaly'], [PORTS.postgres], "Gitaly's seed node creates the gitlab login on RDS");
  } else {
    // 1k: the all-in-one node; nothing else is opened on it (its services talk over local sockets).
    open(webRole(plan.roles), 'externalLb', [PORTS.http, PORTS.gitSsh], 'web (TLS ends at the load balancer) and Git SSH from the external load balancer');
  }
  // Gitaly calls the Rails internal API (authorization of Git pushes, hooks) over plain HTTP: through
  // the internal load balancer where there is one, else straight to Rails.
  // (Hybrid: through the chart's ingress, outside the VPC, so no rule.)
  if (!hybrid && plan.internalLoadBalancer) {
    open('internalLb', ['gitaly'], [PORTS.http], 'GitLab internal API through the internal load balancer');
    open('rails', 'internalLb', [PORTS.http], 'GitLab internal API from the internal load balancer');
  } else if (!hybrid) {
    open('rails', ['gitaly'], [PORTS.http], 'GitLab internal API');
  }

  // Gitaly and Praefect listen only with TLS (certificates from the environment's internal CA).
  if (plan.gitalyCluster) {
    open('internalLb', clients, [PORTS.praefectTls], 'Praefect (TLS) through the internal load balancer');
    open('praefect', 'internalLb', [PORTS.praefectTls], 'Praefect (TLS) from the internal load balancer');
    open('gitaly', ['praefect'], [PORTS.gitalyTls], 'Praefect to Gitaly (TLS)');
    open('gitaly', ['gitaly'], [PORTS.gitalyTls], 'Gitaly replication (TLS)');
    open('praefectPostgres', ['praefect'], [PORTS.postgres], "Praefect's database");
  } else {
    open('gitaly', clients, [PORTS.gitalyTls], 'Rails and Sidekiq to Gitaly (TLS)');
  }

  if (has('pgbouncer')) {
    open('internalLb', clients, [PORTS.pgbouncer], 'PgBouncer through the internal load balancer');
    open('pgbouncer', 'internalLb', [PORTS.pgbouncer], 'PgBouncer from the internal load balancer');
    open('postgres', ['pgbouncer'], [PORTS.postgres], 'PgBouncer to the primary');
    // GitLab runs migrations on the leader directly, not through PgBouncer; the seed Rails node finds it through the Patroni API.
    if (onEc2('postgres')) {
      open('postgres', ['rails'], [PORTS.postgres, PORTS.patroniApi], 'migrations on the Patroni leader');
      // Database Load Balancing: reads go to every Patroni member through the PgBouncer it runs locally.
      open('postgres', clients, [PORTS.pgbouncer], 'Database Load Balancing (reads through the local PgBouncer)');
    }
  } else {
    open('postgres', clients, [PORTS.postgres], 'Rails and Sidekiq to PostgreSQL');
  }
  if (onEc2('postgres') && ha) {
    open('postgres', ['postgres'], [PORTS.postgres, PORTS.patroniApi], 'Patroni replication and API');
  }

  // 10k and up: the cache cluster ("redisCache") gets the same openings as the persistent one.
  for (const [role, what] of [['redis', 'Redis'], ['redisCache', 'Redis cache']] as const) {
    if (!has(role)) continue;
    open(role, clients, [PORTS.redis], `Rails and Sidekiq to ${what}`);
    // HA: Redis Sentinel on every node of the cluster (GitLab's current layout), asked by the clients.
    if (onEc2(role) && ha) {
      open(role, [role], [PORTS.redis, PORTS.sentinel], 'replication, Sentinel monitoring and Sentinel gossip');
      open(role, clients, [PORTS.sentinel], `Redis Sentinel (on the ${what} nodes)`);
    }
  }

  if (plan.consulMembers.length) {
    open('consul', 'consulMembers', [PORTS.consulRpc], 'Consul agents to servers');
    open('consulMembers', 'consulMembers', [PORTS.consulSerfLan], 'Consul gossip', 'tcp');
    open('consulMembers', 'consulMembers', [PORTS.consulSerfLan], 'Consul gossip', 'udp');
    open('consul', ['monitoring'], [PORTS.consulHttp], 'Prometheus scrapes Consul metrics');
  }

  if (has('monitoring')) {
    open('monitoring', clients, [PORTS.prometheus], 'GitLab reads Prometheus');
    const scrape = (to: GitLabNodeRole, ports: number[]) => onEc2(to) && open(to, ['monitoring'], ports, 'Prometheus scrape');
    scrape('rails', [PORTS.nginxStatus, PORTS.workhorse, PORTS.pumaMetrics, PORTS.gitlabExporter]);
    scrape('sidekiq', [PORTS.sidekiqMetrics]);
    scrape('gitaly', [PORTS.gitalyMetrics]);
    scrape('praefect', [PORTS.praefectMetrics]);
    scrape('postgres', [PORTS.postgresExporter, ...(onEc2('postgres') && ha ? [PORTS.patroniApi] : [])]);
    scrape('praefectPostgres', [PORTS.postgresExporter]);
    scrape('pgbouncer', [PORTS.pgbouncerExporter]);
    scrape('redis', [PORTS.redisExporter]);
    scrape('redisCache', [PORTS.redisExporter]);
    for (const role of plan.roles.filter((r) => r.deployment === 'ec2' && r.role !== 'monitoring')) scrape(role.role, [PORTS.nodeExporter]);
  }

  const membership: Partial<Record<GitLabNodeRole, SecurityGroupName[]>> = {};
  for (const r of plan.roles) membership[r.role] = plan.consulMembers.includes(r.role) ? [r.role, 'consulMembers'] : [r.role];
  const groups: SecurityGroupName[] = [...plan.roles.map((r) => r.role), 'externalLb', ...(plan.internalLoadBalancer ? (['internalLb'] as const) : []), ...(plan.consulMembers.length ? (['consulMembers'] as const) : [])];
  return { rules, membership, groups };
}

/** An endpoint of a flow: a role, a load balancer, or (hybrid) the cluster's nodes. */
export type Endpoint = GitLabNodeRole | 'externalLb' | 'internalLb' | 'kubernetes';

/** Groups an endpoint carries: a role's groups, or a load balancer's (the cluster's) own. */
function groupsOf(matrix: PortMatrix, who: Endpoint): readonly SecurityGroupName[] {
  return who === 'externalLb' || who === 'internalLb' || who === 'kubernetes' ? [who] : (matrix.membership[who] ?? []);
}

/** True when the matrix lets `from` open `port` on `to` directly (no load balancer hop implied). */
export function isAllowed(matrix: PortMatrix, from: Endpoint, to: Endpoint, port: number, protocol: 'tcp' | 'udp' = 'tcp'): boolean {
  const fromGroups = groupsOf(matrix, from);
  const toGroups = groupsOf(matrix, to);
  return matrix.rules.some((r) => r.port === port && r.protocol === protocol && toGroups.includes(r.to) && typeof r.from === 'string' && fromGroups.includes(r.from));
}

/** True when a client in `cidr`'s range is let in on `port` of `to` by a CIDR rule. */
export function isOpenToCidr(matrix: PortMatrix, to: SecurityGroupName, port: number, cidr: string): boolean {
  return matrix.rules.some((r) => r.to === to && r.port === port && typeof r.from === 'object' && r.from.cidrs.includes(cidr));
}
