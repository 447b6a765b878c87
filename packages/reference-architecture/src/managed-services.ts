import { Construct } from 'constructs';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { ElasticacheParameterGroup } from '@cdktf/provider-aws/lib/elasticache-parameter-group';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group';
import { fitName, type GitLabNodeRole, type ResourceNames } from '@gitlab-aws/core';
import type { RolePlan } from './architecture-plan';
import { kebab } from './node-placement';
import { preventDestroy } from './protect';

/** PostgreSQL major version for RDS (what current GitLab releases require). */
export const POSTGRES_VERSION = '16';
export const REDIS_VERSION = '7.1';
/**
 * One Redis holds GitLab's cache, sessions and Sidekiq queues together (or, from 10k up, the
 * persistent cluster holds all but the cache): evicting keys would drop jobs and log users out, so
 * Redis refuses writes when full instead (size it with headroom).
 */
export const REDIS_EVICTION_POLICY = 'noeviction';
/** The separate cache cluster (10k and up) is an LRU cache, as GitLab's Redis docs ask for it. */
export const REDIS_CACHE_EVICTION_POLICY = 'allkeys-lru';

/** Per ElastiCache role: resource id, eviction policy and description. "redis" keeps its original ids and description (no change to running groups). */
const REPLICATION_GROUPS: Partial<Record<GitLabNodeRole, { id: string; parameterGroup: string; policy: string; description: string }>> = {
  redis: { id: 'redis', parameterGroup: 'redis7', policy: REDIS_EVICTION_POLICY, description: 'GitLab Redis (cache, sessions, queues)' },
  redisCache: { id: 'redis-cache', parameterGroup: 'redis7-cache', policy: REDIS_CACHE_EVICTION_POLICY, description: 'GitLab Redis cache (10k and up: an LRU cache)' },
};

export interface ManagedServicesProps {
  readonly roles: readonly RolePlan[];
  readonly subnetIds: readonly string[];
  readonly availabilityZones: readonly string[];
  readonly securityGroupIds: (role: GitLabNodeRole) => string[];
  readonly kmsKeyArn: string;
  readonly names: ResourceNames;
  /** Multi-AZ RDS, ElastiCache failover (HA sizes). */
  readonly ha: boolean;
  readonly backupRetentionDays: number;
  readonly protect: boolean;
}

/**
 * The master users are administrators only: the seed node uses them once per boot to create the
 * dedicated "gitlab" / "praefect" logins GitLab and Praefect use, so their 7-day rotation by RDS
 * never touches a running GitLab.
 */
const DATABASES: Partial<Record<GitLabNodeRole, { dbName: string; username: string }>> = {
  postgres: { dbName: 'gitlabhq_production', username: 'gitlab_admin' },
  praefectPostgres: { dbName: 'praefect_production', username: 'praefect_admin' },
};

/**
 * The components an environment chose as AWS managed services: RDS PostgreSQL (a Multi-AZ DB
 * instance in HA sizes, never Aurora) for GitLab and Praefect, ElastiCache Redis (not cluster mode;
 * replicas with automatic failover in HA sizes). Master passwords are managed by RDS in Secrets
 * Manager, so none appears in the configuration or state; GitLab never logs in with them.
 */
export class ManagedServices extends Construct {
  readonly databases: Partial<Record<GitLabNodeRole, DbInstance>> = {};
  redis?: ElasticacheReplicationGroup;
  /** 10k and up: the second replication group, for the cache. */
  redisCache?: ElasticacheReplicationGroup;

  constructor(scope: Construct, id: string, props: ManagedServicesProps) {
    super(scope, id);
    const { names } = props;
    const rds = props.roles.filter((r) => r.deployment === 'rds');
    if (rds.length) {
      const subnets = new DbSubnetGroup(this, 'db-subnets', { name: names.name('db'), subnetIds: [...props.subnetIds], description: 'GitLab databases: private subnets' });
      for (const role of rds) {
        const db = DATABASES[role.role]!;
        const id = kebab(role.role);
        const instance = new DbInstance(this, id, {
          identifier: names.name(id),
          engine: 'postgres',
          engineVersion: POSTGRES_VERSION,
          instanceClass: role.instanceType,
          allocatedStorage: role.dataVolume?.sizeGiB ?? 100,
          maxAllocatedStorage: (role.dataVolume?.sizeGiB ?? 100) * 4,
          storageType: 'gp3',
          storageEncrypted: true,
          kmsKeyId: props.kmsKeyArn,
          multiAz: props.ha,
          dbSubnetGroupName: subnets.name,
          vpcSecurityGroupIds: props.securityGroupIds(role.role),
          publiclyAccessible: false,
          dbName: db.dbName,
          username: db.username,
          manageMasterUserPassword: true,
          masterUserSecretKmsKeyId: props.kmsKeyArn,
          backupRetentionPeriod: props.backupRetentionDays,
          copyTagsToSnapshot: true,
          deletionProtection: props.protect,
          skipFinalSnapshot: false,
          finalSnapshotIdentifier: names.name(`${id}-final`),
          autoMinorVersionUpgrade: true,
          performanceInsightsEnabled: true,
          performanceInsightsKmsKeyId: props.kmsKeyArn,
          tags: { GitLabRole: role.role },
        });
        preventDestroy(props.protect, instance);
        this.databases[role.role] = instance;
      }
    }
    const caches = props.roles.filter((r) => r.deployment === 'elasticache');
    if (caches.length) {
      const subnets = new ElasticacheSubnetGroup(this, 'redis-subnets', { name: names.name('redis'), subnetIds: [...props.subnetIds], description: 'GitLab Redis: private subnets' });
      for (const redis of caches) {
        const g = REPLICATION_GROUPS[redis.role]!;
        const parameters = new ElasticacheParameterGroup(this, `${g.id}-parameters`, {
          name: names.name(g.parameterGroup),
          family: 'redis7',
          description: 'GitLab Redis: explicit eviction policy',
          parameter: [{ name: 'maxmemory-policy', value: g.policy }],
        });
        const replicated = redis.count > 1;
        const group = new ElasticacheReplicationGroup(this, g.id, {
          replicationGroupId: fitName(names.name(g.id), 40),
          description: g.description,
          engine: 'redis',
          engineVersion: REDIS_VERSION,
          nodeType: redis.instanceType,
          numCacheClusters: redis.count,
          automaticFailoverEnabled: replicated,
          multiAzEnabled: replicated,
          preferredCacheClusterAzs: Array.from({ length: redis.count }, (_, i) => props.availabilityZones[i % props.availabilityZones.length]),
          port: 6379,
          parameterGroupName: parameters.name,
          subnetGroupName: subnets.name,
          securityGroupIds: props.securityGroupIds(redis.role),
          atRestEncryptionEnabled: 'true',
          kmsKeyId: props.kmsKeyArn,
          transitEncryptionEnabled: true,
          snapshotRetentionLimit: props.backupRetentionDays,
          finalSnapshotIdentifier: names.name(`${g.id}-final`),
          autoMinorVersionUpgrade: 'true',
          tags: { GitLabRole: redis.role },
        });
        preventDestroy(props.protect, group);
        if (redis.role === 'redisCache') this.redisCache = group;
        else this.redis = group;
      }
    }
  }
}
