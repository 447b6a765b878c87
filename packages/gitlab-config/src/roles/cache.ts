import type { GitLabTopology, TopologyNode } from '../topology';
import { nodesOf } from '../topology';
import { call, secret, set } from '../ruby';
import { PORTS, REDIS_MASTER_NAME } from '../wiring';
import { consulSettings } from './common';

/** Redis: one standalone node (poc/2k) or primary + replicas watched by Sentinel (3k). */
export function redisRb(t: GitLabTopology, node: TopologyNode): string[] {
  const lines = [
    set("redis['bind']", '0.0.0.0'),
    set("redis['port']", PORTS.redis),
    set("redis['password']", secret('redis-password')),
    set("redis_exporter['listen_address']", `0.0.0.0:${PORTS.redisExporter}`),
  ];
  if (t.size !== '3k') return [call('roles', ['redis_master_role']), ...lines];
  const primary = nodesOf(t, 'redis')[0];
  return [
    call('roles', [primary.name === node.name ? 'redis_master_role' : 'redis_replica_role']),
    ...lines,
    '# Sentinel (on the Consul nodes) may promote any replica later; this is the first primary',
    set("redis['master_name']", REDIS_MASTER_NAME),
    set("redis['master_ip']", primary.privateIp),
    set("redis['master_port']", PORTS.redis),
    set("redis['master_password']", secret('redis-password')),
  ];
}

/** Consul server (3k), with Redis Sentinel co-located when Redis is self-managed. */
export function consulRb(t: GitLabTopology): string[] {
  const servers = nodesOf(t, 'consul');
  const sentinel = nodesOf(t, 'redis').length > 0;
  const lines = [call('roles', sentinel ? ['consul_role', 'redis_sentinel_role'] : ['consul_role']), ...consulSettings(t, { server: true })];
  if (sentinel) {
    lines.push(
      '# Redis Sentinel: a majority of the Consul nodes must agree before a failover',
      set("sentinel['bind']", '0.0.0.0'),
      set("sentinel['port']", PORTS.sentinel),
      set("sentinel['quorum']", Math.floor(servers.length / 2) + 1),
      set("redis['master_name']", REDIS_MASTER_NAME),
      set("redis['master_ip']", nodesOf(t, 'redis')[0].privateIp),
      set("redis['port']", PORTS.redis),
      set("redis['master_password']", secret('redis-password')),
    );
  }
  return lines;
}
