import { hasRedisCache, isHaSize } from '@gitlab-aws/core';
import type { GitLabTopology, NodeRole } from './topology';
import { bootstrapRole, nodesOf } from './topology';
import { consulMembers } from './wiring';

/**
 * GitLab's internal secrets and which roles use them. Nothing here holds a value: values are
 * generated on the first node that needs them, at its first boot, and kept in SSM SecureString
 * (small tokens and passwords) or Secrets Manager (files too large for SSM). Managed services'
 * credentials come from the secrets AWS manages for them.
 */

/** A secret generated once at first boot into an SSM SecureString parameter (create-if-absent). */
export interface GeneratedSecret {
  /** Leaf name: SSM "<prefix>/<name>" and the node's file /etc/gitlab/boot-secrets/<name>. */
  name: string;
  /** hex32 = 32 random bytes as hex; base64-32 = 32 random bytes as base64 (Consul's gossip key format). */
  format: 'hex32' | 'base64-32';
  description: string;
  roles: NodeRole[];
}

/** A value read from a Secrets Manager secret the infrastructure owns (RDS / ElastiCache credentials). */
export interface ManagedSecret {
  /** The node's file /etc/gitlab/boot-secrets/<file>. */
  file: string;
  /** Secret ARN or a Terraform reference to it. */
  secretArn: string;
  /** JSON key inside the secret string; absent = the whole string. */
  jsonKey?: string;
  roles: NodeRole[];
  /** Only the role's seed node reads it (the RDS master secret, to create the dedicated login). */
  seedOnly?: boolean;
}

/** A file shared between nodes of a role through Secrets Manager, published by the role's seed node. */
export interface SharedFile {
  /** Leaf of the Secrets Manager name "<prefix without leading slash>/<name>". */
  name: string;
  description: string;
  /** Roles that read it; the first role's seed node publishes it unless `publishers` says otherwise. */
  roles: NodeRole[];
  /** Roles whose nodes may create it. Default: the first of `roles`. */
  publishers?: NodeRole[];
}

const present = (t: GitLabTopology, roles: NodeRole[]) => roles.filter((r) => nodesOf(t, r).length > 0);

/** Generated secrets this topology needs, with the roles that read them. */
export function generatedSecrets(t: GitLabTopology): GeneratedSecret[] {
  const is3k = isHaSize(t.size);
  const selfPg = !t.managed.postgres;
  const selfRedis = !t.managed.redis;
  // The role whose seed node sets up the database (Rails, or Gitaly when the chart runs Rails).
  const seed = bootstrapRole(t);
  const list: GeneratedSecret[] = [
    { name: 'gitlab-shell-token', format: 'hex32', description: 'GitLab Shell secret shared by Rails, Sidekiq and Gitaly', roles: ['rails', 'sidekiq', 'gitaly'] },
    { name: 'initial-root-password', format: 'hex32', description: 'password of the root user, read by the seed Rails node or the chart when it creates the database', roles: [seed] },
    {
      name: 'gitaly-token',
      format: 'hex32',
      description: is3k ? 'Praefect internal token (Praefect to Gitaly)' : 'Gitaly auth token (Rails and Sidekiq to Gitaly)',
      roles: is3k ? ['praefect', 'gitaly'] : ['rails', 'sidekiq', 'gitaly'],
    },
  ];
  if (is3k) {
    list.push({ name: 'praefect-external-token', format: 'hex32', description: 'Praefect external token (Rails and Sidekiq to Praefect)', roles: ['rails', 'sidekiq', 'praefect'] });
    // Praefect logs in as its own "praefect" user, on RDS too (never with the RDS master user).
    list.push({ name: 'praefect-db-password', format: 'hex32', description: "password of Praefect's database user", roles: ['praefect', 'praefect-postgres'] });
  }
  // Rails and Sidekiq log in as the dedicated "gitlab" user, on RDS too.
  list.push({ name: 'gitlab-db-password', format: 'hex32', description: 'password of the gitlab database user', roles: selfPg ? ['rails', 'sidekiq', 'postgres'] : seed === 'rails' ? ['rails', 'sidekiq'] : [seed] });
  if (selfPg && is3k) {
    list.push(
      { name: 'pgbouncer-password', format: 'hex32', description: 'password of the pgbouncer database user', roles: ['postgres', 'pgbouncer'] },
      { name: 'replication-password', format: 'hex32', description: 'password of the gitlab_replicator user (Patroni replication)', roles: ['postgres'] },
      { name: 'patroni-api-password', format: 'hex32', description: 'basic-auth password of the Patroni REST API', roles: ['postgres'] },
    );
  }
  if (selfRedis) {
    list.push({ name: 'redis-password', format: 'hex32', description: 'Redis password (also the Sentinel master password)', roles: ['rails', 'sidekiq', 'redis'] });
  }
  // 10k and up: the cache cluster has a password of its own (GitLab's 10K page: one per cluster).
  if (hasRedisCache(t.size) && !t.managed.redisCache) {
    list.push({ name: 'redis-cache-password', format: 'hex32', description: 'Redis cache cluster password (also its Sentinel master password)', roles: ['rails', 'sidekiq', 'redis-cache'] });
  }
  const members = consulMembers(t);
  if (members.length > 0) list.push({ name: 'consul-gossip-key', format: 'base64-32', description: 'Consul gossip encryption key', roles: members });
  return list.map((s) => ({ ...s, roles: present(t, s.roles) })).filter((s) => s.roles.length > 0);
}

/**
 * Credentials read from secrets that AWS manages for RDS and ElastiCache. The RDS master secrets
 * are read by the seed node only, to manage GitLab's and Praefect's own logins (DB_BOOTSTRAP).
 */
export function managedSecrets(t: GitLabTopology): ManagedSecret[] {
  const list: ManagedSecret[] = [];
  const master = (prefix: string, arn: string, role: NodeRole): ManagedSecret[] => [
    { file: `${prefix}-master-username`, secretArn: arn, jsonKey: 'username', roles: [role], seedOnly: true },
    { file: `${prefix}-master-password`, secretArn: arn, jsonKey: 'password', roles: [role], seedOnly: true },
  ];
  if (t.managed.postgres) list.push(...master('gitlab-db', t.managed.postgres.masterSecretArn, bootstrapRole(t)));
  if (t.managed.praefectPostgres) list.push(...master('praefect-db', t.managed.praefectPostgres.masterSecretArn, 'praefect'));
  const redis = t.managed.redis;
  if (redis?.authTokenSecretArn) list.push({ file: 'redis-password', secretArn: redis.authTokenSecretArn, roles: ['rails', 'sidekiq'] });
  const cache = t.managed.redisCache;
  if (cache?.authTokenSecretArn) list.push({ file: 'redis-cache-password', secretArn: cache.authTokenSecretArn, roles: ['rails', 'sidekiq'] });
  return list.map((s) => ({ ...s, roles: present(t, s.roles) })).filter((s) => s.roles.length > 0);
}

/**
 * Files the seed Rails node publishes and the other Rails and Sidekiq nodes install before
 * reconfigure. 1k's all-in-one node publishes them too: a replacement instance (or a restore)
 * gets the same encryption keys and SSH host keys back.
 */
export function sharedFiles(t: GitLabTopology): SharedFile[] {
  return [
    { name: 'gitlab-secrets-json', description: '/etc/gitlab/gitlab-secrets.json (Rails encryption keys), identical on all Rails and Sidekiq nodes', roles: present(t, ['rails', 'sidekiq', 'all-in-one']) },
    { name: 'ssh-host-keys', description: "Rails nodes' SSH host keys, identical behind the load balancer", roles: present(t, ['rails', 'all-in-one']) },
  ];
}

/** Full SSM parameter name of a generated secret. */
export const ssmParameterName = (t: GitLabTopology, name: string) => `${t.secrets.prefix}/${name}`;

/** Full Secrets Manager name of a shared file. */
export const sharedSecretName = (t: GitLabTopology, name: string) => `${t.secrets.prefix.replace(/^\//, '')}/${name}`;

/** SSM parameter a node writes its boot status to. */
export const statusParameterName = (t: GitLabTopology, role: NodeRole, node: string) => `${t.secrets.prefix}/status/${role}/${node}`;
