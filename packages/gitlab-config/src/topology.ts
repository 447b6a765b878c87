import { isSingleNodeSize, type GitLabSize } from '@gitlab-aws/core';
import { validateTopology } from './topology-validation';

/**
 * The data contract between the infrastructure (which creates the nodes, load balancers, buckets
 * and managed services) and this package (which turns each node into its GitLab role at boot).
 * Everything here is known at synth time: private IPs are assigned by the infrastructure, not
 * looked up, so the rendered gitlab.rb and user data are deterministic.
 */

/**
 * Roles a Linux-package node can have. In 10k and up "redis" is GitLab's persistent Redis cluster
 * (queues, shared state, sessions) and "redis-cache" its separate cache cluster, each with Sentinel.
 * "all-in-one" is 1k's only node: every service of the package on one host.
 */
export const NODE_ROLES = [
  'all-in-one',
  'rails',
  'sidekiq',
  'gitaly',
  'praefect',
  'praefect-postgres',
  'postgres',
  'pgbouncer',
  'consul',
  'redis',
  'redis-cache',
  'monitoring',
] as const;
export type NodeRole = (typeof NODE_ROLES)[number];

/**
 * Object-storage data types, one bucket each (the names GET uses). No "registry": the container
 * registry is not enabled (it needs its own host name, certificate and listener), so it gets no
 * bucket and no storage settings.
 */
export const BUCKET_TYPES = [
  'artifacts',
  'backups',
  'dependency-proxy',
  'lfs',
  'mr-diffs',
  'packages',
  'terraform-state',
  'uploads',
  'ci-secure-files',
] as const;
export type BucketType = (typeof BUCKET_TYPES)[number];

export const APPLICATION_TIERS = ['linux-package', 'kubernetes'] as const;
export type ApplicationTier = (typeof APPLICATION_TIERS)[number];

/** True when Rails and Sidekiq run from the Helm chart (Cloud Native Hybrid), not on nodes here. */
export function onKubernetes(t: Pick<GitLabTopologyInput, 'applicationTier'>): boolean {
  return t.applicationTier === 'kubernetes';
}

/**
 * The node role that serves GitLab's web, API and Git SSH behind the external load balancer, and
 * whose seed node migrates, publishes the shared files and runs the daily backup: "rails", or in
 * a single-node size (1k) the all-in-one node, which takes every one of those duties.
 */
export function applicationRole(t: Pick<GitLabTopologyInput, 'size'>): Extract<NodeRole, 'rails' | 'all-in-one'> {
  return isSingleNodeSize(t.size) ? 'all-in-one' : 'rails';
}

/**
 * The node role whose seed node creates the first-boot secrets and the RDS "gitlab" login: the
 * application role's seed node (see applicationRole), or with the application tier on Kubernetes,
 * Gitaly's seed node (the one stateful role every size has; the chart's own jobs cannot read the
 * RDS master secret).
 */
export function bootstrapRole(t: Pick<GitLabTopologyInput, 'applicationTier' | 'size'>): NodeRole {
  return onKubernetes(t) ? 'gitaly' : applicationRole(t);
}

export const GITLAB_EDITIONS = ['ee', 'ce'] as const;
export type GitLabEdition = (typeof GITLAB_EDITIONS)[number];

/** One EC2 instance and the role it plays. */
export interface TopologyNode {
  role: NodeRole;
  /** Unique, DNS-label-like name (lowercase letters, digits, '-'); also the Gitaly storage name in 3k. */
  name: string;
  /** Private IPv4 address the infrastructure assigns to the instance's primary interface. */
  privateIp: string;
  availabilityZone: string;
  /**
   * EBS volume ID (or a Terraform reference to it) of the node's data volume, for roles that keep
   * data (see DATA_PATHS). The boot script finds it by this ID and mounts it. Default: none (data
   * stays on the root volume).
   */
  dataVolumeId?: string;
}

/**
 * A managed PostgreSQL endpoint (RDS Multi-AZ DB instance). GitLab and Praefect never log in with
 * its master user: the role's seed node uses the master secret once per boot to create (or
 * re-password) a dedicated login ("gitlab" / "praefect") whose password is a generated secret, so
 * RDS rotating the master password never touches a running GitLab.
 */
export interface ManagedPostgres {
  /** DNS name of the instance endpoint (stable across Multi-AZ failover). */
  host: string;
  /** Default 5432. */
  port?: number;
  /** Database name. Default "gitlabhq_production" (GitLab) or "praefect_production" (Praefect). */
  database?: string;
  /**
   * ARN (or a Terraform reference to it) of the Secrets Manager secret RDS manages for the master
   * user (`manage_master_user_password`), JSON with `username` and `password`. Read only by the
   * seed node, only to manage the dedicated login.
   */
  masterSecretArn: string;
}

/** A managed Redis endpoint (ElastiCache replication group, cluster mode disabled). */
export interface ManagedRedis {
  /** Primary endpoint DNS name. */
  host: string;
  /** Default 6379. */
  port?: number;
  /** In-transit encryption. Default true (rediss://). */
  tls?: boolean;
  /** Secrets Manager secret holding the AUTH token as plain text; omit when AUTH is off. */
  authTokenSecretArn?: string;
}

/** Managed services replacing self-managed roles. */
export interface ManagedEndpoints {
  /** Replaces postgres + pgbouncer + Consul (3k). */
  postgres?: ManagedPostgres;
  /** Replaces praefect-postgres (3k only). */
  praefectPostgres?: ManagedPostgres;
  /** Replaces redis + Sentinel (in 10k and up: the persistent cluster). */
  redis?: ManagedRedis;
  /** Replaces redis-cache + Sentinel (10k and up: the cache cluster, a second replication group). */
  redisCache?: ManagedRedis;
}

/** Where the generated-once secrets live. */
export interface SecretsLocation {
  /**
   * Path prefix, e.g. "/gitlab/prod". Small secrets are SSM SecureString parameters under it
   * ("<prefix>/<name>"); shared files (gitlab-secrets.json, SSH host keys) are Secrets Manager
   * secrets named "<prefix without leading slash>/<name>"; boot status goes to
   * "<prefix>/status/<role>/<node>".
   */
  prefix: string;
  /** KMS key (id, alias or ARN) for the SecureStrings and secrets. Default: the AWS managed keys. */
  kmsKeyId?: string;
}

export interface GitLabTopologyInput {
  size: GitLabSize;
  /** https:// address users reach GitLab at (the external load balancer terminates TLS). */
  externalUrl: string;
  /** AWS region of the nodes and buckets. */
  region: string;
  /** VPC CIDR: trusted proxies, monitoring allow-list and md5 database access. */
  vpcCidr: string;
  /** Default "ee". */
  edition?: GitLabEdition;
  /** Pinned GitLab version, e.g. "19.3.0". */
  version: string;
  nodes: TopologyNode[];
  managed?: ManagedEndpoints;
  /**
   * Networks the load balancers' HTTP health checks come from (the external load balancer's
   * subnets): added to GitLab's monitoring allowlist beside the monitoring node. Default: none.
   */
  healthCheckCidrs?: string[];
  /**
   * DNS name of the internal load balancer: 3k (Praefect 2305, PgBouncer 6432, Rails internal API
   * 80) and any size with several Rails nodes (Rails internal API 80). Default: none.
   */
  internalLoadBalancerDns?: string;
  /** Bucket name per data type. */
  buckets: Record<BucketType, string>;
  secrets: SecretsLocation;
  /**
   * 3k: accept Praefect's database as one node (praefect-postgres) instead of managed.praefectPostgres.
   * GitLab requires an HA database for Praefect in HA setups; this is for test environments.
   * Default false.
   */
  allowSingleNodePraefectDatabase?: boolean;
  /**
   * GitLab's own backup, run daily by the seed Rails node: `cron` in crontab form (minute hour
   * day-of-month month day-of-week, UTC) and local archives kept `keepDays`. Repositories are
   * backed up server-side by Gitaly to the backups bucket. Default: "0 3 * * *", 7 days.
   */
  backups?: { cron: string; keepDays: number };
  /**
   * Where Rails and Sidekiq run. "linux-package": on rails/sidekiq nodes of this topology.
   * "kubernetes" (Cloud Native Hybrid): from GitLab's Helm chart on a cluster, so the topology has
   * no rails, sidekiq or monitoring node; Gitaly calls the internal API at externalUrl (the chart's
   * ingress), and Gitaly's seed node takes over the Rails seed node's first-boot duties that the
   * chart does not do itself: it generates the initial root password and the gitlab database
   * password, and on RDS creates the "gitlab" login. Default "linux-package".
   */
  applicationTier?: ApplicationTier;
  /**
   * Memory (MB) the Redis cache may fill before it evicts the least recently used keys (10k and
   * up, self-managed). GitLab's 10K page sets 13500mb on its 16 GB cache nodes; the infrastructure
   * passes the same share of its node type's memory (REDIS_CACHE_MEMORY_SHARE). Default 13500.
   */
  redisCacheMaxMemoryMb?: number;
  /** How long a node waits for each dependency at boot, in seconds. Default 1800. */
  dependencyTimeoutSeconds?: number;
}

/** A validated topology with defaults applied. Build it with `defineTopology`. */
export interface GitLabTopology extends GitLabTopologyInput {
  edition: GitLabEdition;
  backups: { cron: string; keepDays: number };
  managed: ManagedEndpoints;
  dependencyTimeoutSeconds: number;
  readonly validated: true;
}

export const DEFAULT_DEPENDENCY_TIMEOUT_SECONDS = 1800;
export const DEFAULT_BACKUPS = { cron: '0 3 * * *', keepDays: 7 };

/** Every problem found in a topology, listed together. */
export class TopologyError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid GitLab topology:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'TopologyError';
  }
}

/** Validates the input (throws TopologyError listing every problem) and applies defaults. */
export function defineTopology(input: GitLabTopologyInput): GitLabTopology {
  const problems = validateTopology(input);
  if (problems.length > 0) throw new TopologyError(problems);
  return {
    ...input,
    edition: input.edition ?? 'ee',
    managed: input.managed ?? {},
    dependencyTimeoutSeconds: input.dependencyTimeoutSeconds ?? DEFAULT_DEPENDENCY_TIMEOUT_SECONDS,
    backups: input.backups ?? DEFAULT_BACKUPS,
    validated: true,
  };
}

/** Bucket names "<prefix>-<type>" for every data type (the GET convention). */
export function bucketNamesWithPrefix(prefix: string): Record<BucketType, string> {
  return Object.fromEntries(BUCKET_TYPES.map((t) => [t, `${prefix}-${t}`])) as Record<BucketType, string>;
}

/** The nodes of one role, in topology order (the first one is the role's "seed" node). */
export function nodesOf(topology: GitLabTopologyInput, role: NodeRole): TopologyNode[] {
  return topology.nodes.filter((n) => n.role === role);
}

/** The node named `name`, or a clear error. */
export function nodeNamed(topology: GitLabTopologyInput, name: string): TopologyNode {
  const node = topology.nodes.find((n) => n.name === name);
  if (!node) throw new Error(`no node named "${name}" in the topology (nodes: ${topology.nodes.map((n) => n.name).join(', ')})`);
  return node;
}

/** True for the first node of its role: it runs migrations and publishes shared files. */
export function isSeed(topology: GitLabTopologyInput, node: TopologyNode): boolean {
  return nodesOf(topology, node.role)[0]?.name === node.name;
}
