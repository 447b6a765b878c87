import { CHART_INGRESS_NODE_PORTS, isHaSize } from '@gitlab-aws/core';
import type { GitLabTopology, NodeRole } from './topology';
import { applicationRole, bootstrapRole, NODE_ROLES, nodesOf, onKubernetes } from './topology';
import type { Peer } from './wiring';
import {
  consulMembers,
  gitalyEndpoint,
  loadBalancingHosts,
  metricsPorts,
  patroniMembers,
  PORTS,
  praefectDatabase,
  prometheusEndpoint,
  railsDatabase,
  railsInternalApi,
  railsRedis,
  redisCluster,
  redisClusters,
} from './wiring';

export type Protocol = 'tcp' | 'udp';

/** One network flow the rendered configuration makes (or a load balancer forwards). */
export interface Connection {
  fromRole: Peer;
  toRole: Peer;
  port: number;
  protocol: Protocol;
  /** Why, e.g. "database", "Patroni replication". Several purposes are joined with "; ". */
  purpose: string;
}

/**
 * A flow the infrastructure's security groups allow: traffic from instances of `fromRole` (the
 * source security group) to `toRole` on `port` (to `toPort` when a range).
 */
export interface AllowedRule {
  fromRole: Peer;
  toRole: Peer;
  port: number;
  toPort?: number;
  protocol: Protocol;
}

export interface Disagreement {
  /** not-allowed: the configuration needs a flow no rule allows. not-needed: a rule allows a flow nothing uses. */
  kind: 'not-allowed' | 'not-needed';
  fromRole: Peer;
  toRole: Peer;
  port: number;
  toPort?: number;
  protocol: Protocol;
  message: string;
}

/**
 * Every flow between roles, load balancers and managed services that the rendered gitlab.rb files
 * make, plus what the load balancers forward. Calls to AWS APIs (S3, SSM, Secrets Manager) and to
 * the package repository go through endpoints/NAT and are not listed.
 */
export function connections(t: GitLabTopology): Connection[] {
  const out = new Map<string, Connection>();
  const has = (role: NodeRole) => nodesOf(t, role).length > 0;
  const add = (fromRole: Peer, toRole: Peer, port: number, purpose: string, protocol: Protocol = 'tcp') => {
    const key = `${fromRole}|${toRole}|${port}|${protocol}`;
    const existing = out.get(key);
    if (!existing) out.set(key, { fromRole, toRole, port, protocol, purpose });
    // Stryker disable next-line StringLiteral: equivalent today, no topology gives one flow two purposes (Redis's two are written as one)
    else if (!existing.purpose.split('; ').includes(purpose)) existing.purpose += `; ${purpose}`;
  };

  const hybrid = onKubernetes(t);
  // Users reach Rails through the external load balancer (TLS ends there); in hybrid, the load
  // balancer forwards to the NodePorts of the chart's NGINX ingress controller on the cluster's nodes.
  if (!hybrid) {
    add('external-lb', applicationRole(t), PORTS.http, 'web and API (TLS terminated at the load balancer)');
    add('external-lb', applicationRole(t), PORTS.ssh, 'Git over SSH');
  } else {
    // Web traffic is encrypted again to NGINX's HTTPS NodePort, so NGINX itself sees https and
    // passes X-Forwarded-Proto: https on to Workhorse and Rails.
    add('external-lb', 'kubernetes', CHART_INGRESS_NODE_PORTS.https, "web and API to the chart's NGINX HTTPS NodePort (TLS again from the load balancer)");
    add('external-lb', 'kubernetes', CHART_INGRESS_NODE_PORTS.http, "plain HTTP to the chart's NGINX NodePort, which redirects to https; the load balancers' health checks");
    add('external-lb', 'kubernetes', CHART_INGRESS_NODE_PORTS.gitlabShell, "Git over SSH to the chart's NGINX NodePort");
  }

  // Rails and Sidekiq: on their nodes, or the chart's pods on the cluster's nodes.
  const apps: Peer[] = hybrid ? ['kubernetes'] : (['rails', 'sidekiq'] as const).filter(has);
  const db = railsDatabase(t);
  const gitaly = gitalyEndpoint(t);
  const prometheus = prometheusEndpoint(t);
  for (const app of apps) {
    add(app, db.peer, db.port, 'database');
    for (const cluster of redisClusters(t)) {
      const redis = railsRedis(t, cluster);
      const what = cluster === 'cache' ? 'Redis cache' : 'Redis';
      if (redis.kind === 'direct') add(app, redis.endpoint.peer, redis.endpoint.port, what);
      else {
        for (const s of redis.sentinels) add(app, s.peer, s.port, `${what} Sentinel`);
        for (const m of redis.masters) add(app, m.peer, m.port, `${what} (primary named by Sentinel)`);
      }
    }
    add(app, gitaly.peer, gitaly.port, isHaSize(t.size) ? 'Gitaly Cluster (Praefect)' : 'Gitaly');
    if (prometheus) add(app, prometheus.peer, prometheus.port, 'Prometheus queries');
  }
  for (const app of apps) for (const r of loadBalancingHosts(t)) add(app, r.peer, r.port, 'Database Load Balancing (reads through the local PgBouncer)');
  if (patroniMembers(t).length > 0 && has('rails')) {
    add('rails', 'postgres', PORTS.patroniApi, 'seed node finds the Patroni leader');
    add('rails', 'postgres', PORTS.postgres, 'seed node migrates directly on the leader');
  }

  // Hybrid on RDS: Gitaly's seed node creates the "gitlab" login with the master secret.
  if (hybrid && t.managed.postgres) add(bootstrapRole(t), 'managed-postgres', t.managed.postgres.port ?? PORTS.postgres, 'seed node creates the gitlab login on RDS');

  // Load balancer backends.
  if (gitaly.peer === 'internal-lb') add('internal-lb', 'praefect', PORTS.praefectTls, 'Praefect behind the internal load balancer (TLS)');
  if (db.peer === 'internal-lb') add('internal-lb', 'pgbouncer', PORTS.pgbouncer, 'PgBouncer behind the internal load balancer');

  // Git storage.
  // Hybrid: Gitaly reaches the internal API at the external URL, through NAT and the external load
  // balancer's public address (a CIDR rule for the NAT gateways' addresses, not a flow between groups).
  if (has('gitaly') && !hybrid) {
    const api = railsInternalApi(t);
    add('gitaly', api.peer, api.port, 'GitLab Shell internal API');
    if (api.peer === 'internal-lb') add('internal-lb', 'rails', api.port, 'Rails internal API behind the internal load balancer');
  }
  if (has('praefect')) {
    add('praefect', 'gitaly', PORTS.gitalyTls, 'Praefect routes to Gitaly (TLS)');
    add('gitaly', 'gitaly', PORTS.gitalyTls, 'Gitaly Cluster replication (TLS)');
    const pdb = praefectDatabase(t);
    add('praefect', pdb.peer, pdb.port, "Praefect's database");
  }

  // PostgreSQL HA.
  if (has('pgbouncer')) add('pgbouncer', 'postgres', PORTS.postgres, 'PgBouncer to the Patroni leader');
  if (patroniMembers(t).length > 0) {
    add('postgres', 'postgres', PORTS.postgres, 'Patroni replication');
    add('postgres', 'postgres', PORTS.patroniApi, 'Patroni REST API');
  }

  // Consul: agents to servers (RPC), and LAN gossip between every member.
  const members = consulMembers(t);
  for (const from of members) {
    add(from, 'consul', PORTS.consulServerRpc, 'Consul RPC');
    for (const to of members) {
      add(from, to, PORTS.consulSerfLan, 'Consul gossip', 'tcp');
      add(from, to, PORTS.consulSerfLan, 'Consul gossip', 'udp');
    }
  }

  // Redis replication and Sentinel within each cluster (3k and up, self-managed).
  for (const role of redisClusters(t).map((c) => redisCluster(t, c).role)) {
    if (isHaSize(t.size) && has(role)) {
      add(role, role, PORTS.redis, 'Redis replication; Sentinel monitors Redis');
      add(role, role, PORTS.sentinel, 'Sentinels talk to each other');
    }
  }

  // Prometheus scrapes every node's exporter and each role's metrics.
  if (prometheus) {
    for (const role of NODE_ROLES.filter(has)) {
      add('monitoring', role, PORTS.nodeExporter, 'node exporter');
      for (const port of metricsPorts(t, role)) add('monitoring', role, port, 'metrics');
    }
  }
  return [...out.values()];
}

/**
 * The ports each role's rendered configuration serves (listens on) besides its metrics: what a load
 * balancer may forward to. Rails serves NGINX on 80 (TLS ends at the load balancer) and sshd on 22.
 */
export function listeningPorts(t: GitLabTopology): Partial<Record<NodeRole, number[]>> {
  const out: Partial<Record<NodeRole, number[]>> = {};
  const present = (role: NodeRole) => nodesOf(t, role).length > 0;
  const serve = (role: NodeRole, ...ports: number[]) => {
    if (present(role)) out[role] = [...(out[role] ?? []), ...ports];
  };
  serve('rails', PORTS.http, PORTS.ssh);
  // 1k: NGINX and sshd behind the external load balancer; every other service on loopback or its socket.
  serve('all-in-one', PORTS.http, PORTS.ssh);
  serve('gitaly', PORTS.gitalyTls);
  serve('praefect', PORTS.praefectTls);
  serve('postgres', PORTS.postgres, ...(patroniMembers(t).length ? [PORTS.patroniApi, PORTS.pgbouncer] : []));
  serve('praefect-postgres', PORTS.postgres);
  serve('pgbouncer', PORTS.pgbouncer);
  serve('redis', PORTS.redis, ...(isHaSize(t.size) ? [PORTS.sentinel] : []));
  serve('redis-cache', PORTS.redis, PORTS.sentinel);
  serve('consul', PORTS.consulServerRpc, PORTS.consulSerfLan);
  serve('monitoring', PORTS.prometheus);
  for (const role of NODE_ROLES) if (out[role]) out[role] = [...new Set([...out[role]!, ...metricsPorts(t, role), PORTS.nodeExporter])];
  return out;
}

const covers = (rule: AllowedRule, c: Connection) =>
  rule.fromRole === c.fromRole && rule.toRole === c.toRole && rule.protocol === c.protocol && c.port >= rule.port && c.port <= (rule.toPort ?? rule.port);

const describe = (d: { fromRole: string; toRole: string; port: number; toPort?: number; protocol: string }) =>
  `${d.fromRole} -> ${d.toRole} ${d.protocol}/${d.port}${d.toPort !== undefined && d.toPort !== d.port ? `-${d.toPort}` : ''}`;

/**
 * Compares the flows the configuration needs with the flows the security groups allow. Returns
 * every disagreement: needed but not allowed (GitLab would fail at runtime) and allowed but not
 * needed (a rule wider than necessary).
 */
export function checkConnections(needed: Connection[], allowed: AllowedRule[]): Disagreement[] {
  const notAllowed: Disagreement[] = needed
    .filter((c) => !allowed.some((r) => covers(r, c)))
    .map((c) => ({ kind: 'not-allowed', fromRole: c.fromRole, toRole: c.toRole, port: c.port, protocol: c.protocol, message: `${describe(c)} (${c.purpose}) is not allowed by any security group rule` }));
  const notNeeded: Disagreement[] = allowed
    .filter((r) => !needed.some((c) => covers(r, c)))
    .map((r) => ({ kind: 'not-needed', ...r, message: `${describe(r)} is allowed but no rendered configuration uses it` }));
  return [...notAllowed, ...notNeeded];
}

/** Throws, listing every flow the configuration needs that the security groups do not allow. */
export function assertConnectionsAllowed(needed: Connection[], allowed: AllowedRule[]): void {
  const missing = checkConnections(needed, allowed).filter((d) => d.kind === 'not-allowed');
  if (missing.length > 0) {
    throw new Error(`security groups do not allow flows the GitLab configuration needs:\n${missing.map((d) => `  - ${d.message}`).join('\n')}`);
  }
}
