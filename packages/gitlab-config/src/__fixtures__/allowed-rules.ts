import type { AllowedRule, Protocol } from '../connections';
import type { Peer } from '../wiring';

/**
 * Security-group matrices written by hand from the port table of GitLab's reference architectures
 * (domain-facts section 1), the way the infrastructure issue is expected to declare them.
 */
const rule = (fromRole: Peer, toRole: Peer, port: number, protocol: Protocol = 'tcp'): AllowedRule => ({ fromRole, toRole, port, protocol });
const fromApps = (toRole: Peer, port: number) => [rule('rails', toRole, port), rule('sidekiq', toRole, port)];
const scrape = (role: Peer, ...ports: number[]) => [9100, ...ports].map((p) => rule('monitoring', role, p));

export const ALLOWED_2K: AllowedRule[] = [
  rule('external-lb', 'rails', 80),
  rule('external-lb', 'rails', 22),
  ...fromApps('postgres', 5432),
  ...fromApps('redis', 6379),
  ...fromApps('gitaly', 9999),
  ...fromApps('monitoring', 9090),
  // Gitaly -> Rails internal API through the internal load balancer (two Rails nodes).
  rule('gitaly', 'internal-lb', 80),
  rule('internal-lb', 'rails', 80),
  ...scrape('rails', 9229, 8080, 9168, 8060),
  ...scrape('sidekiq', 8082),
  ...scrape('gitaly', 9236),
  ...scrape('postgres', 9187),
  ...scrape('redis', 9121),
  ...scrape('monitoring'),
];

const consulMembers: Peer[] = ['consul', 'postgres', 'pgbouncer'];

export const ALLOWED_3K: AllowedRule[] = [
  // External LB: 80 (TLS ends at the LB), 22 (Git SSH).
  rule('external-lb', 'rails', 80),
  rule('external-lb', 'rails', 22),
  // Internal LB: 6432 (PgBouncer), 3305 (Praefect, TLS).
  ...fromApps('internal-lb', 6432),
  ...fromApps('internal-lb', 3305),
  rule('internal-lb', 'pgbouncer', 6432),
  rule('internal-lb', 'praefect', 3305),
  // Gitaly Cluster over TLS: Praefect -> Gitaly 9999, Gitaly <-> Gitaly 9999, Gitaly -> Rails internal API 80 (internal LB).
  rule('praefect', 'gitaly', 9999),
  rule('gitaly', 'gitaly', 9999),
  rule('gitaly', 'internal-lb', 80),
  rule('internal-lb', 'rails', 80),
  rule('praefect', 'praefect-postgres', 5432),
  // PostgreSQL 5432 and the Patroni API 8008.
  rule('pgbouncer', 'postgres', 5432),
  rule('postgres', 'postgres', 5432),
  rule('postgres', 'postgres', 8008),
  rule('rails', 'postgres', 5432),
  rule('rails', 'postgres', 8008),
  // Database Load Balancing: reads through the PgBouncer on each PostgreSQL node.
  ...fromApps('postgres', 6432),
  // Consul 8300 (server RPC), 8301 TCP+UDP (gossip).
  ...consulMembers.map((m) => rule(m, 'consul', 8300)),
  ...consulMembers.flatMap((a) => consulMembers.flatMap((b) => [rule(a, b, 8301, 'tcp'), rule(a, b, 8301, 'udp')])),
  // Redis 6379 / Sentinel 26379, both on the Redis nodes.
  ...fromApps('redis', 26379),
  ...fromApps('redis', 6379),
  rule('redis', 'redis', 6379),
  rule('redis', 'redis', 26379),
  // Prometheus 9090 and the exporters.
  ...fromApps('monitoring', 9090),
  ...scrape('rails', 9229, 8080, 9168, 8060),
  ...scrape('sidekiq', 8082),
  ...scrape('gitaly', 9236),
  ...scrape('praefect', 9652),
  ...scrape('praefect-postgres', 9187),
  ...scrape('postgres', 9187, 8008),
  ...scrape('pgbouncer', 9188),
  ...scrape('redis', 9121),
  ...scrape('consul', 8500),
  ...scrape('monitoring'),
];

/** 10K and up: 3K's matrix plus the Redis cache cluster, with the same ports as the persistent one. */
export const ALLOWED_10K: AllowedRule[] = [
  ...ALLOWED_3K,
  ...fromApps('redis-cache', 26379),
  ...fromApps('redis-cache', 6379),
  rule('redis-cache', 'redis-cache', 6379),
  rule('redis-cache', 'redis-cache', 26379),
  ...scrape('redis-cache', 9121),
];
