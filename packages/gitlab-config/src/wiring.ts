import { hasRedisCache, isHaSize } from '@gitlab-aws/core';
import type { GitLabTopology, NodeRole } from './topology';
import { nodesOf, onKubernetes } from './topology';

/**
 * Who talks to whom, resolved once from the topology. The gitlab.rb renderers and
 * `connections()` both read these functions, so the connection list cannot drift from what the
 * rendered configuration actually does.
 */

/** Something a node connects to: another role, a load balancer or a managed service. */
export type Peer = NodeRole | 'kubernetes' | 'internal-lb' | 'external-lb' | 'managed-postgres' | 'managed-praefect-postgres' | 'managed-redis' | 'managed-redis-cache';

export interface Endpoint {
  host: string;
  port: number;
  peer: Peer;
}

/** Well-known ports (GitLab reference architectures; docs/gitlab-on-nodes.md lists them). */
export const PORTS = {
  http: 80,
  https: 443,
  ssh: 22,
  postgres: 5432,
  patroniApi: 8008,
  pgbouncer: 6432,
  redis: 6379,
  sentinel: 26379,
  /** Gitaly's and Praefect's TLS ports: the only ones they listen on across the network. */
  gitalyTls: 9999,
  praefectTls: 3305,
  consulServerRpc: 8300,
  consulSerfLan: 8301,
  consulHttp: 8500,
  prometheus: 9090,
  nodeExporter: 9100,
  gitalyMetrics: 9236,
  praefectMetrics: 9652,
  postgresExporter: 9187,
  pgbouncerExporter: 9188,
  redisExporter: 9121,
  workhorseMetrics: 9229,
  pumaMetrics: 8080,
  gitlabExporter: 9168,
  nginxStatus: 8060,
  sidekiqMetrics: 8082,
} as const;

export const REDIS_MASTER_NAME = 'gitlab-redis';
/** Sentinel master names of the two clusters in 10k and up (GitLab's 10K page). */
export const REDIS_PERSISTENT_MASTER_NAME = 'gitlab-redis-persistent';
export const REDIS_CACHE_MASTER_NAME = 'gitlab-redis-cache';
/** GitLab's 10K page lets its 16 GB cache nodes fill 13500 MB: the share used for any cache node type. */
export const REDIS_CACHE_MEMORY_SHARE = 13500 / 16384;
export const DEFAULT_REDIS_CACHE_MAX_MEMORY_MB = 13500;

/** A Redis cluster of the topology: "persistent" (the "redis" role, or the only Redis below 10k) or "cache" (10k and up). */
export type RedisCluster = 'persistent' | 'cache';

/** What tells one Redis cluster apart: its node role, managed endpoint, Sentinel master name and password secret. */
export interface RedisClusterInfo {
  role: Extract<NodeRole, 'redis' | 'redis-cache'>;
  managedPeer: Extract<Peer, 'managed-redis' | 'managed-redis-cache'>;
  masterName: string;
  /** Generated secret (self-managed) or file of the ElastiCache AUTH token. */
  passwordSecret: string;
}

/** The clusters this topology's size has: one below 10k, persistent and cache from 10k up. */
export function redisClusters(t: Pick<GitLabTopology, 'size'>): RedisCluster[] {
  return hasRedisCache(t.size) ? ['persistent', 'cache'] : ['persistent'];
}

/** Role, managed peer, Sentinel master name and password of one cluster (below 10k the one Redis keeps its old master name). */
export function redisCluster(t: Pick<GitLabTopology, 'size'>, cluster: RedisCluster): RedisClusterInfo {
  if (cluster === 'cache') return { role: 'redis-cache', managedPeer: 'managed-redis-cache', masterName: REDIS_CACHE_MASTER_NAME, passwordSecret: 'redis-cache-password' };
  return { role: 'redis', managedPeer: 'managed-redis', masterName: hasRedisCache(t.size) ? REDIS_PERSISTENT_MASTER_NAME : REDIS_MASTER_NAME, passwordSecret: 'redis-password' };
}

/** The cluster a Redis node belongs to. */
export function clusterOfRole(role: NodeRole): RedisCluster {
  return role === 'redis-cache' ? 'cache' : 'persistent';
}

export const GITLAB_DB_NAME = 'gitlabhq_production';
export const PRAEFECT_DB_NAME = 'praefect_production';
/** The logins GitLab and Praefect use (dedicated users, also on RDS). */
export const GITLAB_DB_USER = 'gitlab';
export const PRAEFECT_DB_USER = 'praefect';
export const VIRTUAL_STORAGE = 'default';
export const REPLICATION_FACTOR = 3;

const ips = (t: GitLabTopology, role: NodeRole) => nodesOf(t, role).map((n) => n.privateIp);

/** The database Rails and Sidekiq use: RDS, the internal LB in front of PgBouncer (3k) or the one PostgreSQL node. */
export function railsDatabase(t: GitLabTopology): Endpoint & { database: string; managed: boolean } {
  if (t.managed.postgres) {
    const pg = t.managed.postgres;
    return { host: pg.host, port: pg.port ?? PORTS.postgres, peer: 'managed-postgres', database: pg.database ?? GITLAB_DB_NAME, managed: true };
  }
  if (isHaSize(t.size)) return { host: t.internalLoadBalancerDns!, port: PORTS.pgbouncer, peer: 'internal-lb', database: GITLAB_DB_NAME, managed: false };
  return { host: ips(t, 'postgres')[0], port: PORTS.postgres, peer: 'postgres', database: GITLAB_DB_NAME, managed: false };
}

/**
 * 3k with Patroni: the seed Rails node runs migrations directly against the Patroni leader
 * (GitLab's docs: migrations bypass PgBouncer). It finds the leader through the Patroni API.
 */
export function patroniMembers(t: GitLabTopology): string[] {
  return isHaSize(t.size) && !t.managed.postgres ? ips(t, 'postgres') : [];
}

/**
 * Database Load Balancing (3k with Patroni, as GitLab's 3K page sets it up): Rails and Sidekiq
 * spread read-only queries over every Patroni member through the PgBouncer each member runs
 * locally, on PgBouncer's port (GitLab uses `db_port` for the hosts). Writes keep going through
 * the internal load balancer to the PgBouncer nodes that follow the leader. A static host list,
 * not Consul's `postgresql-ha-replica` service record: the addresses are fixed at synth, and the
 * application nodes then need no Consul agent. Empty with RDS (see docs/gitlab-on-nodes.md).
 */
export function loadBalancingHosts(t: GitLabTopology): Endpoint[] {
  return patroniMembers(t).map((host) => ({ host, port: PORTS.pgbouncer, peer: 'postgres' as const }));
}

export type RedisWiring =
  | { kind: 'direct'; endpoint: Endpoint; tls: boolean; password: boolean }
  | { kind: 'sentinel'; sentinels: Endpoint[]; masters: Endpoint[] };

/** How Rails and Sidekiq reach one Redis cluster (default: the persistent one, the only one below 10k). */
export function railsRedis(t: GitLabTopology, cluster: RedisCluster = 'persistent'): RedisWiring {
  const c = redisCluster(t, cluster);
  const r = cluster === 'cache' ? t.managed.redisCache : t.managed.redis;
  if (r) return { kind: 'direct', endpoint: { host: r.host, port: r.port ?? PORTS.redis, peer: c.managedPeer }, tls: r.tls ?? true, password: !!r.authTokenSecretArn };
  if (isHaSize(t.size)) {
    return {
      kind: 'sentinel',
      // Sentinel runs on every Redis node of the cluster (GitLab's current layout).
      sentinels: ips(t, c.role).map((host) => ({ host, port: PORTS.sentinel, peer: c.role })),
      // Sentinel hands out whichever Redis node is primary, so clients reach every Redis node.
      masters: ips(t, c.role).map((host) => ({ host, port: PORTS.redis, peer: c.role })),
    };
  }
  return { kind: 'direct', endpoint: { host: ips(t, c.role)[0], port: PORTS.redis, peer: c.role }, tls: false, password: true };
}

/** Where Rails and Sidekiq send Git traffic, over TLS: the Praefect LB (3k) or the one Gitaly node. */
export function gitalyEndpoint(t: GitLabTopology): Endpoint {
  if (isHaSize(t.size)) return { host: t.internalLoadBalancerDns!, port: PORTS.praefectTls, peer: 'internal-lb' };
  return { host: ips(t, 'gitaly')[0], port: PORTS.gitalyTls, peer: 'gitaly' };
}

/**
 * Where Gitaly (GitLab Shell, hooks) calls the Rails internal API: plain HTTP on the private
 * network, never the external URL, whose public load balancer a private node would reach only
 * through NAT, from an address the allowed CIDRs do not list. Wherever there is an internal load
 * balancer (3k, and 2k with several Rails nodes): through it, to every Rails node; otherwise (one
 * Rails node, poc) that node.
 */
export function railsInternalApi(t: GitLabTopology): Endpoint {
  // Cloud Native Hybrid: the chart's webservice has no fixed private address, so its ingress (the external URL).
  if (onKubernetes(t)) return { host: new URL(t.externalUrl).hostname, port: PORTS.https, peer: 'kubernetes' };
  if (t.internalLoadBalancerDns) return { host: t.internalLoadBalancerDns!, port: PORTS.http, peer: 'internal-lb' };
  return { host: ips(t, 'rails')[0], port: PORTS.http, peer: 'rails' };
}

/** The internal API URL Gitaly's GitLab Shell calls: plain HTTP on the private network, or the external URL (hybrid). */
export function internalApiUrl(t: GitLabTopology): string {
  if (onKubernetes(t)) return t.externalUrl;
  const api = railsInternalApi(t);
  return `http://${api.host}:${api.port}`;
}

/** Praefect's database: RDS or the Praefect PostgreSQL node. */
export function praefectDatabase(t: GitLabTopology): Endpoint & { database: string; managed: boolean } {
  const pg = t.managed.praefectPostgres;
  if (pg) return { host: pg.host, port: pg.port ?? PORTS.postgres, peer: 'managed-praefect-postgres', database: pg.database ?? PRAEFECT_DB_NAME, managed: true };
  return { host: ips(t, 'praefect-postgres')[0], port: PORTS.postgres, peer: 'praefect-postgres', database: PRAEFECT_DB_NAME, managed: false };
}

/** Consul server addresses (3k with Patroni), empty otherwise. */
export function consulServers(t: GitLabTopology): string[] {
  return ips(t, 'consul');
}

/** Roles that run a Consul agent or server: servers, Patroni nodes and PgBouncer (its watcher). */
export function consulMembers(t: GitLabTopology): NodeRole[] {
  if (consulServers(t).length === 0) return [];
  const roles: NodeRole[] = ['consul'];
  if (nodesOf(t, 'postgres').length > 0) roles.push('postgres');
  if (nodesOf(t, 'pgbouncer').length > 0) roles.push('pgbouncer');
  return roles;
}

/** Prometheus address on the monitoring node, if there is one. */
export function prometheusEndpoint(t: GitLabTopology): Endpoint | undefined {
  const ip = ips(t, 'monitoring')[0];
  return ip ? { host: ip, port: PORTS.prometheus, peer: 'monitoring' } : undefined;
}

/** Rails runs Sidekiq itself when the topology has no Sidekiq nodes (POC, reduced 3k). */
export function railsRunsSidekiq(t: GitLabTopology): boolean {
  return nodesOf(t, 'sidekiq').length === 0;
}

/** Metrics ports Prometheus scrapes per role (besides the node exporter on every node). */
export const METRICS_PORTS: Record<NodeRole, number[]> = {
  // 1k: the node's own Prometheus scrapes its services on loopback; no monitoring node calls in.
  'all-in-one': [],
  rails: [PORTS.workhorseMetrics, PORTS.pumaMetrics, PORTS.gitlabExporter, PORTS.nginxStatus],
  sidekiq: [PORTS.sidekiqMetrics],
  gitaly: [PORTS.gitalyMetrics],
  praefect: [PORTS.praefectMetrics],
  'praefect-postgres': [PORTS.postgresExporter],
  postgres: [PORTS.postgresExporter],
  pgbouncer: [PORTS.pgbouncerExporter],
  consul: [PORTS.consulHttp],
  redis: [PORTS.redisExporter],
  'redis-cache': [PORTS.redisExporter],
  monitoring: [],
};

/** The Rails metrics ports only apply where those processes run; Patroni's API serves its metrics. */
export function metricsPorts(t: GitLabTopology, role: NodeRole): number[] {
  if (role === 'rails' && railsRunsSidekiq(t)) return [...METRICS_PORTS.rails, PORTS.sidekiqMetrics];
  if (role === 'postgres' && patroniMembers(t).length > 0) return [...METRICS_PORTS.postgres, PORTS.patroniApi];
  return METRICS_PORTS[role];
}
