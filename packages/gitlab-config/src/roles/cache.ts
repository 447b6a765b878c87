import { isHaSize } from '@gitlab-aws/core';
import type { GitLabTopology, TopologyNode } from '../topology';
import { nodesOf } from '../topology';
import { call, secret, set } from '../ruby';
import { PORTS, REDIS_MASTER_NAME } from '../wiring';
import { consulSettings } from './common';

/**
 * Redis: one standalone node (poc/2k), or in 3k primary + replicas with Redis Sentinel on the same
 * nodes (GitLab's current layout; the Consul nodes no longer run Sentinel).
 */
export function redisRb(t: GitLabTopology, node: TopologyNode): string[] {
  const lines = [
    set("redis['bind']", '0.0.0.0'),
    set("redis['port']", PORTS.redis),
    set("redis['password']", secret('redis-password')),
    set("redis_exporter['listen_address']", `0.0.0.0:${PORTS.redisExporter}`),
  ];
  if (!isHaSize(t.size)) return [call('roles', ['redis_master_role']), ...lines];
  const members = nodesOf(t, 'redis');
  const primary = members[0];
  return [
    call('roles', [primary.name === node.name ? 'redis_master_role' : 'redis_replica_role', 'redis_sentinel_role']),
    ...lines,
    '# Sentinel (on every Redis node) may promote any replica later; this is the first primary',
    set("redis['master_name']", REDIS_MASTER_NAME),
    set("redis['master_ip']", primary.privateIp),
    set("redis['master_port']", PORTS.redis),
    set("redis['master_password']", secret('redis-password')),
    '# Redis Sentinel: a majority of the Redis nodes must agree before a failover',
    set("sentinel['bind']", '0.0.0.0'),
    set("sentinel['port']", PORTS.sentinel),
    set("sentinel['quorum']", Math.floor(members.length / 2) + 1),
  ];
}

/** Consul server (3k with Patroni): the PostgreSQL leader's service record and PgBouncer's watcher. */
export function consulRb(t: GitLabTopology): string[] {
  return [call('roles', ['consul_role']), ...consulSettings(t, { server: true })];
}
