import type { ArchitecturePlan } from './architecture-plan';
import type { NodePlan } from './node-placement';
import type { ObjectStorageType } from './object-storage';
import { PORTS, type PortMatrix } from './port-matrix';

/** A stable address: a name in the environment's private zone and a port. */
export interface ServiceAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * The infrastructure as built, fixed at synth time: every node's name and address, the service
 * addresses in the private zone, the buckets and the port matrix. A custom user-data hook gets it
 * (the default configuration uses the GitLabTopology of @gitlab-aws/gitlab-config instead).
 */
export interface NodeLayout {
  readonly plan: ArchitecturePlan;
  readonly nodes: readonly NodePlan[];
  readonly matrix: PortMatrix;
  readonly region: string;
  readonly buckets: Readonly<Record<ObjectStorageType, string>>;
  /**
   * database: what Rails connects to (PgBouncer behind the internal LB in 3k, the node in 2k, RDS when managed);
   * redis: the node (the first one is the initial primary; 3k and up clients use the Sentinels on the Redis nodes) or ElastiCache's primary;
   * redisCache: the same for the separate cache cluster of 10k and up;
   * praefect and praefectDatabase in 3k; gitaly without Gitaly Cluster.
   */
  readonly endpoints: Readonly<Partial<Record<'database' | 'redis' | 'redisCache' | 'praefect' | 'praefectDatabase' | 'gitaly', ServiceAddress>>>;
}

/** Endpoint names in the private zone, from the plan alone. */
export function serviceEndpoints(plan: ArchitecturePlan): NodeLayout['endpoints'] {
  const zone = plan.internalDomain;
  const role = (r: string) => plan.roles.find((p) => p.role === r);
  const at = (host: string, port: number): ServiceAddress => ({ host: `${host}.${zone}`, port });
  const endpoints: Partial<Record<keyof NodeLayout['endpoints'], ServiceAddress>> = {};
  const db = role('postgres');
  if (db) endpoints.database = db.deployment === 'rds' ? at('postgres', 5432) : role('pgbouncer') ? at('pgbouncer', 6432) : at('postgres-1', 5432);
  const redis = role('redis');
  if (redis) endpoints.redis = redis.deployment === 'elasticache' ? at('redis', 6379) : at('redis-1', 6379);
  const cache = role('redisCache');
  if (cache) endpoints.redisCache = cache.deployment === 'elasticache' ? at('redis-cache', 6379) : at('redis-cache-1', 6379);
  if (plan.gitalyCluster) {
    endpoints.praefect = at('praefect', PORTS.praefectTls);
    endpoints.praefectDatabase = role('praefectPostgres')?.deployment === 'rds' ? at('praefect-postgres', 5432) : at('praefect-postgres-1', 5432);
  } else if (role('gitaly')) {
    endpoints.gitaly = at('gitaly-1', PORTS.gitalyTls);
  }
  return endpoints;
}
