import { isHaSize } from '@gitlab-aws/core';
import type { GitLabTopology, TopologyNode } from '../topology';
import { isSeed } from '../topology';
import type { RubyValue } from '../ruby';
import { call, redisUrlWithSecret, secret, set } from '../ruby';
import { RDS_CA_BUNDLE_PATH, RDS_SSLMODE } from '../rds-ca';
import { GITLAB_DB_USER, gitalyEndpoint, loadBalancingHosts, patroniMembers, PORTS, prometheusEndpoint, railsDatabase, railsRedis, redisClusters, redisCluster, VIRTUAL_STORAGE } from '../wiring';

/** File the boot script writes (seed Rails, 3k Patroni) while migrations run against the leader. */
export const DB_DIRECT_HOST_FILE = '/etc/gitlab-node/db-direct-host';

/** What Rails and Sidekiq share: database, Redis, Gitaly, object storage, monitoring. */
export function applicationSettings(t: GitLabTopology, node: TopologyNode): string[] {
  return [
    call('external_url', t.externalUrl),
    ...databaseSettings(t, node),
    ...redisSettings(t),
    ...gitalySettings(t),
    ...objectStorageSettings(t),
    '# Health and metrics endpoints: the monitoring node, loopback and the load balancers\' health checks only',
    set("gitlab_rails['monitoring_whitelist']", monitoringAllowlist(t)),
    ...(prometheusEndpoint(t) ? [set("gitlab_rails['prometheus_address']", `${prometheusEndpoint(t)!.host}:${PORTS.prometheus}`)] : []),
  ];
}

/** Who may read /-/readiness, /-/metrics and friends: never the whole VPC. */
export function monitoringAllowlist(t: GitLabTopology): string[] {
  const monitoring = prometheusEndpoint(t);
  return [...(monitoring ? [`${monitoring.host}/32`] : []), '127.0.0.0/8', ...(t.healthCheckCidrs ?? [])];
}

function databaseSettings(t: GitLabTopology, node: TopologyNode): string[] {
  const db = railsDatabase(t);
  const lines = [
    `# PostgreSQL (${db.managed ? 'managed: RDS' : isHaSize(t.size) ? 'PgBouncer behind the internal load balancer' : 'the PostgreSQL node'})`,
    set("postgresql['enable']", false),
    set("gitlab_rails['db_host']", db.host),
    set("gitlab_rails['db_port']", db.port),
    set("gitlab_rails['db_database']", db.database),
    // Always GitLab's own login, on RDS too: never the RDS master user, whose password RDS rotates.
    set("gitlab_rails['db_username']", GITLAB_DB_USER),
    set("gitlab_rails['db_password']", secret('gitlab-db-password')),
  ];
  if (db.managed) {
    lines.push(
      '# TLS to RDS, checking its certificate against the RDS CA bundle the boot script installs',
      set("gitlab_rails['db_sslmode']", RDS_SSLMODE),
      set("gitlab_rails['db_sslrootcert']", RDS_CA_BUNDLE_PATH),
    );
  }
  const readers = loadBalancingHosts(t);
  if (readers.length > 0) {
    lines.push(
      '# Database Load Balancing: reads spread over every Patroni member through its local PgBouncer (port db_port)',
      set("gitlab_rails['db_load_balancing']", { hosts: readers.map((r) => r.host) }),
    );
  }
  if (node.role === 'rails' && isSeed(t, node) && patroniMembers(t).length > 0) {
    lines.push(
      '# Migrations bypass PgBouncer: while the boot script migrates, it points this node at the Patroni leader',
      `db_direct_host = '${DB_DIRECT_HOST_FILE}'`,
      'if File.exist?(db_direct_host)',
      "  gitlab_rails['db_host'] = File.read(db_direct_host).strip",
      `  gitlab_rails['db_port'] = ${PORTS.postgres}`,
      'end',
    );
  }
  return lines;
}

function redisSettings(t: GitLabTopology): string[] {
  const lines = [set("redis['enable']", false), ...persistentRedisSettings(t)];
  if (redisClusters(t).includes('cache')) lines.push(...cacheRedisSettings(t));
  return lines;
}

/** The main Redis settings: the only Redis below 10k, the persistent cluster (every class but the cache) from 10k up. */
function persistentRedisSettings(t: GitLabTopology): string[] {
  const r = railsRedis(t);
  const c = redisCluster(t, 'persistent');
  const split = redisClusters(t).length > 1;
  if (r.kind === 'sentinel') {
    return [
      split ? '# Persistent Redis (queues, shared state, sessions, Action Cable) through Sentinel on its nodes' : '# Redis through Sentinel (on the Redis nodes)',
      set("redis['master_name']", c.masterName),
      set("redis['master_password']", secret(c.passwordSecret)),
      set("gitlab_rails['redis_sentinels']", r.sentinels.map((s) => ({ host: s.host, port: s.port }))),
    ];
  }
  const lines = [
    `# ${split ? 'Persistent Redis' : 'Redis'} (${r.endpoint.peer === c.managedPeer ? 'managed: ElastiCache' : 'the Redis node'})`,
    set("gitlab_rails['redis_host']", r.endpoint.host),
    set("gitlab_rails['redis_port']", r.endpoint.port),
    set("gitlab_rails['redis_ssl']", r.tls),
  ];
  if (r.password) lines.push(set("gitlab_rails['redis_password']", secret(c.passwordSecret)));
  return lines;
}

/** 10k and up: the cache class on its own cluster, as GitLab's 10K page configures it. */
function cacheRedisSettings(t: GitLabTopology): string[] {
  const r = railsRedis(t, 'cache');
  const c = redisCluster(t, 'cache');
  if (r.kind === 'sentinel') {
    return [
      '# Redis cache cluster through Sentinel on its nodes (the URL names the Sentinel master)',
      set("gitlab_rails['redis_cache_instance']", redisUrlWithSecret('redis', c.passwordSecret, c.masterName)),
      set("gitlab_rails['redis_cache_sentinels']", r.sentinels.map((s) => ({ host: s.host, port: s.port }))),
    ];
  }
  const scheme = r.tls ? 'rediss' : 'redis';
  const hostPort = `${r.endpoint.host}:${r.endpoint.port}`;
  return [
    `# Redis cache cluster (${r.endpoint.peer === c.managedPeer ? 'managed: ElastiCache' : 'its node'})`,
    set("gitlab_rails['redis_cache_instance']", r.password ? redisUrlWithSecret(scheme, c.passwordSecret, hostPort) : `${scheme}://${hostPort}`),
  ];
}

function gitalySettings(t: GitLabTopology): string[] {
  const g = gitalyEndpoint(t);
  const storages: RubyValue = {
    [VIRTUAL_STORAGE]: {
      gitaly_address: `tls://${g.host}:${g.port}`,
      gitaly_token: secret(isHaSize(t.size) ? 'praefect-external-token' : 'gitaly-token'),
    },
  };
  return [
    isHaSize(t.size) ? '# Gitaly Cluster: Praefect behind the internal load balancer' : '# Gitaly',
    set("gitaly['enable']", false),
    set("gitlab_rails['repositories_storages']", storages),
    set("gitlab_shell['secret_token']", secret('gitlab-shell-token')),
  ];
}

/** Bucket settings for every data type, through the instance profile (no keys). */
export function objectStorageSettings(t: GitLabTopology): string[] {
  const connection = { provider: 'AWS', region: t.region, use_iam_profile: true };
  const objects: Record<string, string> = {
    artifacts: t.buckets.artifacts,
    external_diffs: t.buckets['mr-diffs'],
    lfs: t.buckets.lfs,
    uploads: t.buckets.uploads,
    packages: t.buckets.packages,
    dependency_proxy: t.buckets['dependency-proxy'],
    terraform_state: t.buckets['terraform-state'],
  };
  return [
    '# Object storage: one S3 bucket per data type, read and written with the instance profile',
    set("gitlab_rails['object_store']['enabled']", true),
    set("gitlab_rails['object_store']['proxy_download']", false),
    set("gitlab_rails['object_store']['connection']", connection),
    ...Object.entries(objects).map(([type, bucket]) => set(`gitlab_rails['object_store']['objects']['${type}']['bucket']`, bucket)),
    set("gitlab_rails['backup_upload_connection']", connection),
    set("gitlab_rails['backup_upload_remote_directory']", t.buckets.backups),
    set("gitlab_rails['ci_secure_files_object_store_enabled']", true),
    set("gitlab_rails['ci_secure_files_object_store_remote_directory']", t.buckets['ci-secure-files']),
    set("gitlab_rails['ci_secure_files_object_store_connection']", connection),
  ];
}
