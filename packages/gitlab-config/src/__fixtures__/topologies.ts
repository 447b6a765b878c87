import { isHaSize, type GitLabSize } from '@gitlab-aws/core';
import type { GitLabTopology, GitLabTopologyInput, ManagedEndpoints, NodeRole, TopologyNode } from '../topology';
import { bucketNamesWithPrefix, defineTopology } from '../topology';
import { DATA_PATHS } from '../data-volume';

const AZS = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

/** Node counts per size, as GitLab's reference architectures list them. */
const COUNTS: Partial<Record<GitLabSize, Partial<Record<NodeRole, number>>>> = {
  '1k': { 'all-in-one': 1 },
  poc: { rails: 1, gitaly: 1, postgres: 1, redis: 1, monitoring: 1 },
  '2k': { rails: 2, sidekiq: 1, gitaly: 1, postgres: 1, redis: 1, monitoring: 1 },
  '3k': { consul: 3, postgres: 3, pgbouncer: 3, redis: 3, gitaly: 3, praefect: 3, 'praefect-postgres': 1, sidekiq: 2, rails: 3, monitoring: 1 },
  // 5K: 3K's components on bigger machines (machine types do not change the rendered gitlab.rb).
  '5k': { consul: 3, postgres: 3, pgbouncer: 3, redis: 3, gitaly: 3, praefect: 3, 'praefect-postgres': 1, sidekiq: 2, rails: 3, monitoring: 1 },
  // 10K-50K: Redis split into the persistent ("redis") and the cache ("redis-cache") cluster.
  '10k': { consul: 3, postgres: 3, pgbouncer: 3, redis: 3, 'redis-cache': 3, gitaly: 3, praefect: 3, 'praefect-postgres': 1, sidekiq: 4, rails: 3, monitoring: 1 },
  '25k': { consul: 3, postgres: 3, pgbouncer: 3, redis: 3, 'redis-cache': 3, gitaly: 3, praefect: 3, 'praefect-postgres': 1, sidekiq: 4, rails: 5, monitoring: 1 },
  '50k': { consul: 3, postgres: 3, pgbouncer: 3, redis: 3, 'redis-cache': 3, gitaly: 3, praefect: 3, 'praefect-postgres': 1, sidekiq: 4, rails: 12, monitoring: 1 },
};
const ROLE_OCTET: Record<NodeRole, number> = {
  'all-in-one': 150, consul: 10, postgres: 20, pgbouncer: 30, 'redis-cache': 50, redis: 60, sidekiq: 70, monitoring: 80, gitaly: 90, rails: 100, praefect: 130, 'praefect-postgres': 140,
};

export function nodesFor(size: GitLabSize, managed: ManagedEndpoints = {}): TopologyNode[] {
  const skip = new Set<NodeRole>();
  if (managed.postgres) ['postgres', 'pgbouncer'].forEach((r) => skip.add(r as NodeRole));
  if (managed.redis) skip.add('redis');
  if (managed.redisCache) skip.add('redis-cache');
  if (managed.praefectPostgres) skip.add('praefect-postgres');
  if (size !== 'poc' && size !== '2k' && managed.postgres) skip.add('consul');
  const counts = COUNTS[size];
  if (!counts) throw new Error(`no fixture node counts for size "${size}"`);
  return Object.entries(counts).flatMap(([role, count]) =>
    skip.has(role as NodeRole)
      ? []
      : Array.from({ length: count! }, (_, i) => ({
          role: role as NodeRole,
          name: `${role}-${i + 1}`,
          privateIp: `10.20.${i % 3}.${ROLE_OCTET[role as NodeRole] + Math.floor(i / 3)}`,
          availabilityZone: AZS[i % 3],
          ...(DATA_PATHS[role as NodeRole] ? { dataVolumeId: `vol-${(ROLE_OCTET[role as NodeRole] * 10 + i).toString(16).padStart(17, '0')}` } : {}),
        })),
  );
}

export const RDS: ManagedEndpoints['postgres'] = {
  host: 'gitlab-db.abcdefgh.eu-west-1.rds.amazonaws.com',
  masterSecretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:rds!db-1234-AbCdEf',
};
export const PRAEFECT_RDS: ManagedEndpoints['praefectPostgres'] = {
  host: 'praefect-db.abcdefgh.eu-west-1.rds.amazonaws.com',
  masterSecretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:rds!db-5678-GhIjKl',
};
export const ELASTICACHE: ManagedEndpoints['redis'] = {
  host: 'master.gitlab-redis.abcdef.euw1.cache.amazonaws.com',
  authTokenSecretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:gitlab/prod/redis-auth-MnOpQr',
};

export const ELASTICACHE_CACHE: ManagedEndpoints['redisCache'] = {
  host: 'master.gitlab-redis-cache.abcdef.euw1.cache.amazonaws.com',
  authTokenSecretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:gitlab/prod/redis-cache-auth-StUvWx',
};

export function topologyInput(size: GitLabSize, managed: ManagedEndpoints = {}): GitLabTopologyInput {
  return {
    size,
    externalUrl: 'https://gitlab.example.com',
    region: 'eu-west-1',
    vpcCidr: '10.20.0.0/16',
    version: '19.3.0',
    nodes: nodesFor(size, managed),
    managed,
    ...(size !== 'poc' && size !== '1k' ? { internalLoadBalancerDns: 'gitlab-internal-0123456789.elb.eu-west-1.amazonaws.com' } : {}),
    buckets: bucketNamesWithPrefix('acme-prod-gitlab'),
    secrets: { prefix: '/gitlab/prod' },
    // The self-managed 3k variants render a Praefect PostgreSQL node (a test-only override).
    ...(isHaSize(size) && !managed.praefectPostgres ? { allowSingleNodePraefectDatabase: true } : {}),
  };
}

export const topology = (size: GitLabSize, managed: ManagedEndpoints = {}): GitLabTopology => defineTopology(topologyInput(size, managed));

/** Every variant the tests render: each size self-managed, and the managed-service variants. */
export const VARIANTS: Record<string, () => GitLabTopology> = {
  '1k': () => topology('1k'),
  poc: () => topology('poc'),
  '2k': () => topology('2k'),
  '3k': () => topology('3k'),
  '5k': () => topology('5k'),
  '10k': () => topology('10k'),
  '25k': () => topology('25k'),
  '50k': () => topology('50k'),
  'poc-managed': () => topology('poc', { postgres: RDS, redis: ELASTICACHE }),
  '2k-managed': () => topology('2k', { postgres: RDS, redis: ELASTICACHE }),
  '3k-managed': () => topology('3k', { postgres: RDS, redis: ELASTICACHE, praefectPostgres: PRAEFECT_RDS }),
  '10k-managed': () => topology('10k', { postgres: RDS, redis: ELASTICACHE, redisCache: ELASTICACHE_CACHE, praefectPostgres: PRAEFECT_RDS }),
  '3k-rds-only': () => topology('3k', { postgres: RDS }),
  '3k-elasticache-only': () => topology('3k', { redis: { host: 'master.gitlab-redis.abcdef.euw1.cache.amazonaws.com', tls: true } }),
};
