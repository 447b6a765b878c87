import type { GitLabNodeRole, GitLabSize } from '@gitlab-aws/core';

/** A data volume of a role: gp3, encrypted, separate from the root volume so it can be backed up and kept. */
export interface DataVolumeSpec {
  readonly sizeGiB: number;
  readonly iops: number;
  /** MiB/s. */
  readonly throughput: number;
}

/** One row of GitLab's reference-architecture table, as built on AWS. */
export interface RoleSpec {
  readonly count: number;
  /** EC2 type from GitLab's table. */
  readonly instanceType: string;
  /** vCPU and memory as GitLab's table states them; overrides are checked against these. */
  readonly vCpu: number;
  readonly memoryGiB: number;
  readonly dataVolume?: DataVolumeSpec;
  /** The class used when the component is an AWS managed service (RDS or ElastiCache). */
  readonly managedClass?: string;
}

export interface SizeSpec {
  readonly size: GitLabSize;
  readonly users: number;
  /** Request rates GitLab tests the size at (per second). */
  readonly targets: { readonly api: number; readonly web: number; readonly gitPull: number; readonly gitPush: number };
  readonly availabilityZones: 2 | 3;
  /** HA: every stateful role redundant, spread one node per zone. */
  readonly ha: boolean;
  /** NAT gateways: one per zone, or one in all. */
  readonly natGateways: 'per-az' | 'single';
  /**
   * GitLab's rows. From 10K up `redisCache` is the separate Redis cache cluster and `redis` the
   * persistent one (3 nodes with Sentinel each); below, `redis` holds everything.
   */
  readonly roles: Readonly<Partial<Record<GitLabNodeRole, RoleSpec>>>;
  /** What GitLab's table lists for load balancers (HAProxy nodes); here they are AWS load balancers. */
  readonly loadBalancers: { readonly external: string; readonly internal?: string };
  /** The GitLab page and docs commit the rows come from. */
  readonly source: string;
}

/** Root volume of every node (GiB, gp3). */
export const ROOT_VOLUME_GIB = 50;

/** Gitaly needs SSD with at least 8,000 read IOPS (GitLab's Gitaly requirements). */
const GITALY_DISK: DataVolumeSpec = { sizeGiB: 500, iops: 8000, throughput: 500 };
const POSTGRES_DISK: DataVolumeSpec = { sizeGiB: 200, iops: 3000, throughput: 125 };
const SMALL_DISK: DataVolumeSpec = { sizeGiB: 50, iops: 3000, throughput: 125 };
const PROMETHEUS_DISK: DataVolumeSpec = { sizeGiB: 100, iops: 3000, throughput: 125 };
/** 1K's one volume for /var/opt/gitlab: Gitaly's repositories need its IOPS, PostgreSQL, Redis and Prometheus share it. */
const ALL_IN_ONE_DISK: DataVolumeSpec = { sizeGiB: 500, iops: 8000, throughput: 500 };

/** Docs commits of GitLab's reference-architecture pages (gitlab-org/gitlab master, 18.x era; read from a GitHub mirror). */
const PAGES = 'docs.gitlab.com/administration/reference_architectures';
const S_2K_3K = 'gitlab-org/gitlab doc/administration/reference_architectures at commit 24f563e7738e37f84d028da8378c74d559f8e23d';
const S_5K_10K = 'gitlab-org/gitlab doc/administration/reference_architectures at commit 49b8c89639ee86f1597e49be9d48990e6ccaa919';
const S_25K_50K = S_2K_3K;
/**
 * 1K: the page as docs.gitlab.com serves it (18.x era); no mirror commit of the current table was at
 * hand, and the older commits of 1k_users.md that were said 8 vCPU with 7.2 GB (n1-highcpu-8).
 */
const S_1K = 'page as served on docs.gitlab.com, 18.x era, no docs commit: "8 vCPU, 16 GB memory", AWS c5.2xlarge, target load API 20, Web 2, Git pull 2, Git push 1 RPS';

const row = (count: number, instanceType: string, vCpu: number, memoryGiB: number, extra: Partial<RoleSpec> = {}): RoleSpec => ({ count, instanceType, vCpu, memoryGiB, ...extra });

const TWO_K_ROLES = {
  postgres: row(1, 'm5.large', 2, 8, { dataVolume: POSTGRES_DISK, managedClass: 'db.m5.large' }),
  redis: row(1, 'm5.large', 2, 8, { dataVolume: SMALL_DISK, managedClass: 'cache.r6g.large' }),
  gitaly: row(1, 'm5.xlarge', 4, 16, { dataVolume: GITALY_DISK }),
  sidekiq: row(1, 'm5.xlarge', 4, 16),
  rails: row(2, 'c5.2xlarge', 8, 16),
  monitoring: row(1, 'c5.large', 2, 4, { dataVolume: PROMETHEUS_DISK }),
} satisfies Partial<Record<GitLabNodeRole, RoleSpec>>;

/**
 * GitLab's reference architectures, declared once. 1K (one all-in-one node) and 2K to 50K follow GitLab's published tables (AWS
 * column; `source` names page and docs commit); vCPU and memory are the EC2 type's. Data volumes are
 * the project's choice (GitLab's tables give no disk sizes). POC is 2K without redundancy: one Rails
 * node with the CPU of 2K's two, so it still serves about 40 RPS.
 */
export const SIZES: Readonly<Record<GitLabSize, SizeSpec>> = {
  // 1K: one all-in-one node; GitLab's table has no load balancer, the AWS one here ends TLS as in every size.
  '1k': {
    size: '1k',
    users: 1000,
    targets: { api: 20, web: 2, gitPull: 2, gitPush: 1 },
    availabilityZones: 2,
    ha: false,
    natGateways: 'single',
    roles: { allInOne: row(1, 'c5.2xlarge', 8, 16, { dataVolume: ALL_IN_ONE_DISK }) },
    loadBalancers: { external: 'none in GitLab\'s table (an AWS NLB or ALB here, for TLS)' },
    source: `${PAGES}/1k_users (${S_1K})`,
  },
  poc: {
    size: 'poc',
    users: 2000,
    targets: { api: 40, web: 4, gitPull: 4, gitPush: 1 },
    availabilityZones: 2,
    ha: false,
    natGateways: 'single',
    roles: { ...TWO_K_ROLES, rails: row(1, 'c5.4xlarge', 16, 32) },
    loadBalancers: { external: 'c5n.xlarge' },
    source: `the project's reduction of ${PAGES}/2k_users (${S_2K_3K})`,
  },
  '2k': {
    size: '2k',
    users: 2000,
    targets: { api: 40, web: 4, gitPull: 4, gitPush: 1 },
    availabilityZones: 2,
    ha: false,
    natGateways: 'per-az',
    roles: TWO_K_ROLES,
    loadBalancers: { external: 'c5n.xlarge' },
    source: `${PAGES}/2k_users (${S_2K_3K})`,
  },
  '3k': {
    size: '3k',
    users: 3000,
    targets: { api: 60, web: 6, gitPull: 6, gitPush: 1 },
    availabilityZones: 3,
    ha: true,
    natGateways: 'per-az',
    roles: {
      consul: row(3, 'c5.large', 2, 4),
      postgres: row(3, 'm5.large', 2, 8, { dataVolume: POSTGRES_DISK, managedClass: 'db.m5.large' }),
      pgbouncer: row(3, 'c5.large', 2, 4),
      redis: row(3, 'm5.large', 2, 8, { dataVolume: SMALL_DISK, managedClass: 'cache.r6g.large' }),
      gitaly: row(3, 'm5.xlarge', 4, 16, { dataVolume: GITALY_DISK }),
      praefect: row(3, 'c5.large', 2, 4),
      praefectPostgres: row(1, 'c5.large', 2, 4, { dataVolume: SMALL_DISK, managedClass: 'db.m5.large' }),
      sidekiq: row(2, 'm5.xlarge', 4, 16),
      rails: row(3, 'c5.2xlarge', 8, 16),
      monitoring: row(1, 'c5.large', 2, 4, { dataVolume: PROMETHEUS_DISK }),
    },
    loadBalancers: { external: 'c5n.xlarge', internal: 'c5n.xlarge' },
    source: `${PAGES}/3k_users (${S_2K_3K})`,
  },
  // 5K: 3K's components on bigger machines, one combined Redis with Sentinel. Sidekiq is 2 x 4 vCPU
  // since GitLab MR !133835 (older pages said 4 x 2 vCPU).
  '5k': {
    size: '5k',
    users: 5000,
    targets: { api: 100, web: 10, gitPull: 10, gitPush: 2 },
    availabilityZones: 3,
    ha: true,
    natGateways: 'per-az',
    roles: {
      consul: row(3, 'c5.large', 2, 4),
      postgres: row(3, 'm5.xlarge', 4, 16, { dataVolume: POSTGRES_DISK, managedClass: 'db.m5.xlarge' }),
      pgbouncer: row(3, 'c5.large', 2, 4),
      redis: row(3, 'm5.large', 2, 8, { dataVolume: SMALL_DISK, managedClass: 'cache.r6g.large' }),
      gitaly: row(3, 'm5.2xlarge', 8, 32, { dataVolume: GITALY_DISK }),
      praefect: row(3, 'c5.large', 2, 4),
      praefectPostgres: row(1, 'c5.large', 2, 4, { dataVolume: SMALL_DISK, managedClass: 'db.m5.large' }),
      sidekiq: row(2, 'm5.xlarge', 4, 16),
      rails: row(3, 'c5.4xlarge', 16, 32),
      monitoring: row(1, 'c5.large', 2, 4, { dataVolume: PROMETHEUS_DISK }),
    },
    loadBalancers: { external: 'c5n.xlarge', internal: 'c5n.xlarge' },
    source: `${PAGES}/5k_users (${S_5K_10K})`,
  },
  // 10K and up: Redis split into cache (redisCache) and persistent (redis), 3 nodes with Sentinel each.
  '10k': {
    size: '10k',
    users: 10000,
    targets: { api: 200, web: 20, gitPull: 20, gitPush: 4 },
    availabilityZones: 3,
    ha: true,
    natGateways: 'per-az',
    roles: {
      consul: row(3, 'c5.large', 2, 4),
      postgres: row(3, 'm5.2xlarge', 8, 32, { dataVolume: POSTGRES_DISK, managedClass: 'db.m5.2xlarge' }),
      pgbouncer: row(3, 'c5.large', 2, 4),
      redis: row(3, 'm5.xlarge', 4, 16, { dataVolume: SMALL_DISK, managedClass: 'cache.r6g.xlarge' }),
      gitaly: row(3, 'm5.4xlarge', 16, 64, { dataVolume: GITALY_DISK }),
      praefect: row(3, 'c5.large', 2, 4),
      praefectPostgres: row(1, 'c5.large', 2, 4, { dataVolume: SMALL_DISK, managedClass: 'db.m5.large' }),
      sidekiq: row(4, 'm5.xlarge', 4, 16),
      rails: row(3, 'c5.9xlarge', 36, 72),
      monitoring: row(1, 'c5.xlarge', 4, 8, { dataVolume: PROMETHEUS_DISK }),
      redisCache: row(3, 'm5.xlarge', 4, 16, { dataVolume: SMALL_DISK, managedClass: 'cache.r6g.xlarge' }),
    },
    loadBalancers: { external: 'c5n.xlarge', internal: 'c5n.xlarge' },
    source: `${PAGES}/10k_users (${S_5K_10K})`,
  },
  '25k': {
    size: '25k',
    users: 25000,
    targets: { api: 500, web: 50, gitPull: 50, gitPush: 10 },
    availabilityZones: 3,
    ha: true,
    natGateways: 'per-az',
    roles: {
      consul: row(3, 'c5.large', 2, 4),
      postgres: row(3, 'm5.4xlarge', 16, 64, { dataVolume: POSTGRES_DISK, managedClass: 'db.m5.4xlarge' }),
      pgbouncer: row(3, 'c5.large', 2, 4),
      redis: row(3, 'm5.xlarge', 4, 16, { dataVolume: SMALL_DISK, managedClass: 'cache.r6g.xlarge' }),
      gitaly: row(3, 'm5.8xlarge', 32, 128, { dataVolume: GITALY_DISK }),
      praefect: row(3, 'c5.xlarge', 4, 8),
      praefectPostgres: row(1, 'c5.large', 2, 4, { dataVolume: SMALL_DISK, managedClass: 'db.m5.large' }),
      sidekiq: row(4, 'm5.xlarge', 4, 16),
      rails: row(5, 'c5.9xlarge', 36, 72),
      monitoring: row(1, 'c5.xlarge', 4, 8, { dataVolume: PROMETHEUS_DISK }),
      redisCache: row(3, 'm5.xlarge', 4, 16, { dataVolume: SMALL_DISK, managedClass: 'cache.r6g.xlarge' }),
    },
    loadBalancers: { external: 'c5n.2xlarge', internal: 'c5n.2xlarge' },
    source: `${PAGES}/25k_users (${S_25K_50K})`,
  },
  '50k': {
    size: '50k',
    users: 50000,
    targets: { api: 1000, web: 100, gitPull: 100, gitPush: 20 },
    availabilityZones: 3,
    ha: true,
    natGateways: 'per-az',
    roles: {
      consul: row(3, 'c5.large', 2, 4),
      postgres: row(3, 'm5.8xlarge', 32, 128, { dataVolume: POSTGRES_DISK, managedClass: 'db.m5.8xlarge' }),
      pgbouncer: row(3, 'c5.large', 2, 4),
      redis: row(3, 'm5.xlarge', 4, 16, { dataVolume: SMALL_DISK, managedClass: 'cache.r6g.xlarge' }),
      gitaly: row(3, 'm5.16xlarge', 64, 256, { dataVolume: GITALY_DISK }),
      praefect: row(3, 'c5.xlarge', 4, 8),
      praefectPostgres: row(1, 'c5.large', 2, 4, { dataVolume: SMALL_DISK, managedClass: 'db.m5.large' }),
      sidekiq: row(4, 'm5.xlarge', 4, 16),
      rails: row(12, 'c5.9xlarge', 36, 72),
      monitoring: row(1, 'c5.xlarge', 4, 8, { dataVolume: PROMETHEUS_DISK }),
      redisCache: row(3, 'm5.xlarge', 4, 16, { dataVolume: SMALL_DISK, managedClass: 'cache.r6g.xlarge' }),
    },
    loadBalancers: { external: 'c5.4xlarge', internal: 'c5.4xlarge' },
    source: `${PAGES}/50k_users (${S_25K_50K})`,
  },
};

/** Roles that hold a quorum or a replica set: in an HA size no two of their nodes share a zone. */
export const HA_ROLES: readonly GitLabNodeRole[] = ['consul', 'postgres', 'pgbouncer', 'redis', 'redisCache', 'gitaly', 'praefect'];
/** Roles that need an odd count of at least 3 in an HA size (self-managed Redis and Redis cache too: Sentinel runs on their nodes). */
export const QUORUM_ROLES: readonly GitLabNodeRole[] = ['consul', 'praefect'];
