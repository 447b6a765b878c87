import { isHaSize } from '@gitlab-aws/core';
import type { GitLabTopology, TopologyNode } from '../topology';
import { nodesOf } from '../topology';
import { call, secret, set } from '../ruby';
import { clusterOfRole, DEFAULT_REDIS_CACHE_MAX_MEMORY_MB, PORTS, redisCluster } from '../wiring';
import { consulSettings } from './common';

/**
 * Redis: one standalone node (poc/2k), or in 3k and up primary + replicas with Redis Sentinel on
 * the same nodes (GitLab's current layout; the Consul nodes no longer run Sentinel). From 10k up
 * the "redis" nodes are the persistent cluster and the "redis-cache" nodes a second cluster with
 * its own Sentinel master name and password, run as an LRU cache (GitLab's 10K page).
 */
export function redisRb(t: GitLabTopology, node: TopologyNode): string[] {
  const cluster = redisCluster(t, clusterOfRole(node.role));
  const password = secret(cluster.passwordSecret);
  const lines = [
    set("redis['bind']", '0.0.0.0'),
    set("redis['port']", PORTS.redis),
    set("redis['password']", password),
    set("redis_exporter['listen_address']", `0.0.0.0:${PORTS.redisExporter}`),
  ];
  if (cluster.role === 'redis-cache') {
    lines.push(
      '# The cache cluster evicts the least recently used keys once full (the persistent one never evicts)',
      set("redis['maxmemory']", `${t.redisCacheMaxMemoryMb ?? DEFAULT_REDIS_CACHE_MAX_MEMORY_MB}mb`),
      set("redis['maxmemory_policy']", 'allkeys-lru'),
      set("redis['maxmemory_samples']", 5),
    );
  }
  if (!isHaSize(t.size)) return [call('roles', ['redis_master_role']), ...lines];
  const members = nodesOf(t, cluster.role);
  const primary = members[0];
  return [
    call('roles', [primary.name === node.name ? 'redis_master_role' : 'redis_replica_role', 'redis_sentinel_role']),
    ...lines,
    '# Sentinel (on every Redis node of this cluster) may promote any replica later; this is the first primary',
    set("redis['master_name']", cluster.masterName),
    set("redis['master_ip']", primary.privateIp),
    set("redis['master_port']", PORTS.redis),
    set("redis['master_password']", password),
    '# Redis Sentinel: a majority of the cluster\'s nodes must agree before a failover',
    set("sentinel['bind']", '0.0.0.0'),
    set("sentinel['port']", PORTS.sentinel),
    set("sentinel['quorum']", Math.floor(members.length / 2) + 1),
  ];
}

/** Consul server (3k with Patroni): the PostgreSQL leader's service record and PgBouncer's watcher. */
export function consulRb(t: GitLabTopology): string[] {
  return [call('roles', ['consul_role']), ...consulSettings(t, { server: true })];
}
