import { z } from 'zod';
import { cidr } from './primitives';

/** Reference-architecture sizes GitLab publishes (POC is a scaled-down 2K). */
export const GITLAB_SIZES = ['1k', 'poc', '2k', '3k', '5k', '10k', '25k', '50k'] as const;
export type GitLabSize = (typeof GITLAB_SIZES)[number];

/**
 * Sizes built with GitLab's HA layout: Consul, Patroni PostgreSQL behind PgBouncer, Redis with
 * Sentinel, Gitaly Cluster (Praefect) behind the internal load balancer. 5K is 3K on bigger machines.
 */
export const HA_SIZES: readonly GitLabSize[] = ['3k', '5k', '10k', '25k', '50k'];

/** True when `size` uses GitLab's HA layout (see HA_SIZES). */
export function isHaSize(size: GitLabSize): boolean {
  return HA_SIZES.includes(size);
}

/**
 * Sizes GitLab publishes that this project does not build yet, with the missing piece. An
 * environment file naming one is refused with this text rather than built as a wrong architecture.
 */
export const UNBUILT_SIZES: Readonly<Record<string, string>> = {};

/**
 * Sizes GitLab builds as one all-in-one Linux-package node (Rails, Sidekiq, Gitaly, PostgreSQL,
 * Redis, NGINX and monitoring on one host, role "allInOne"): no HA, no Cloud Native Hybrid.
 */
export const SINGLE_NODE_SIZES: readonly GitLabSize[] = ['1k'];

/** True when `size` is one all-in-one node (see SINGLE_NODE_SIZES). */
export function isSingleNodeSize(size: GitLabSize): boolean {
  return SINGLE_NODE_SIZES.includes(size);
}

/**
 * Sizes whose GitLab table splits Redis in two clusters with Sentinel: "redisCache" (the cache,
 * an LRU that may evict) and "redis" (persistent: queues, shared state, sessions, Action Cable).
 */
export const REDIS_SPLIT_SIZES: readonly GitLabSize[] = ['10k', '25k', '50k'];

/** True when `size` runs a separate Redis cache cluster (see REDIS_SPLIT_SIZES). */
export function hasRedisCache(size: GitLabSize): boolean {
  return REDIS_SPLIT_SIZES.includes(size);
}

/** Machine roles of a Linux-package reference architecture, in the order they are built ("redisCache": 10k and up; "allInOne": 1k's only node). */
export const GITLAB_NODE_ROLES = ['allInOne', 'consul', 'postgres', 'pgbouncer', 'redis', 'redisCache', 'gitaly', 'praefect', 'praefectPostgres', 'sidekiq', 'rails', 'monitoring'] as const;
export type GitLabNodeRole = (typeof GITLAB_NODE_ROLES)[number];

/** https:// URL without a trailing slash (the form GitLab, OIDC audiences and k6 expect). */
export const httpsUrl = z
  .string()
  .regex(/^https:\/\/[a-z0-9.-]+(:\d{1,5})?(\/[\w.~-]+)*$/i, {
    error: 'expected an https:// URL without a trailing slash, e.g. "https://gitlab.example.com"',
  });

/**
 * GitLab version the nodes install when the file does not pin one: the newest 19.x release whose
 * gitlab.rb keys the project checks (packages/gitlab-config/src/omnibus/omnibus-keys.json).
 */
export const DEFAULT_GITLAB_VERSION = '19.3.0';

const deployment = z.enum(['linux-package', 'managed'], { error: 'expected "linux-package" (nodes on EC2) or "managed" (an AWS service)' });

/** Change one role's machines; checked against the size's spec by the reference-architecture package. */
const roleOverride = z.strictObject({
  /** EC2 type (e.g. "m6i.xlarge", Graviton "m7g.xlarge"), or for a managed role its class ("db.r6g.large", "cache.r7g.large"). Default: the size's. */
  instanceType: z
    .string()
    .regex(/^((db|cache)\.)?[a-z][a-z0-9-]*\.[a-z0-9]+$/, { error: 'expected an instance type such as "m6i.xlarge", "db.m6i.large" or "cache.r7g.large"' })
    .optional(),
  /** Number of nodes. Default: the size's. */
  count: z.number().int().min(1, { error: 'expected at least 1 node' }).max(9, { error: 'expected at most 9 nodes' }).optional(),
  /** Accept an instance type with less vCPU or memory than the size's spec (tests, cost-cutting). Default: false. */
  allowBelowSpec: z.boolean().default(false),
  /** Size of the data volume in GiB (roles that have one). Default: the size's. */
  dataVolumeGiB: z.number().int().min(20, { error: 'expected at least 20 GiB' }).max(16384, { error: 'expected at most 16384 GiB (gp3 limit)' }).optional(),
});

const instanceOverrides = z.strictObject(Object.fromEntries(GITLAB_NODE_ROLES.map((r) => [r, roleOverride.optional()])) as Record<GitLabNodeRole, z.ZodOptional<typeof roleOverride>>);

const amiSource = z.string().regex(/^(ami-[0-9a-f]{8,17}|\/[\w./-]+)$/, {
  error: 'expected a pinned AMI ID ("ami-0123456789abcdef0") or an SSM parameter path ("/aws/service/canonical/...")',
});

/** How GitLab's stateless parts (Rails, Sidekiq, NGINX, monitoring) run. */
export const GITLAB_DEPLOYMENTS = ['linux-package', 'cloud-native-hybrid'] as const;
export type GitLabDeployment = (typeof GITLAB_DEPLOYMENTS)[number];

/** Sizes an environment file may name (GITLAB_SIZES less UNBUILT_SIZES). */
export const BUILT_SIZES: readonly GitLabSize[] = GITLAB_SIZES.filter((s) => !UNBUILT_SIZES[s]);

/** Sizes GitLab publishes a Cloud Native Hybrid table for (1K has none; POC is one VM by design). */
export const HYBRID_CAPABLE_SIZES: readonly GitLabSize[] = ['2k', '3k', '5k', '10k', '25k', '50k'];

/** The EKS cluster of a Cloud Native Hybrid deployment. */
const kubernetesSection = z.strictObject({
  /** Kubernetes minor version, "1.NN". Default: the version packages/cloud-native-hybrid pins (1.35). */
  version: z.string().regex(/^1\.\d{2}$/, { error: 'expected a Kubernetes minor version such as "1.35"' }).optional(),
  /** Networks that may reach the API server's public endpoint; never 0.0.0.0/0. Default: none (private endpoint only). */
  publicAccessCidrs: z.array(cidr).optional(),
  /** The cluster autoscaler may grow each node pool up to this many times GitLab's node count. Default: 2. */
  maxScaleFactor: z.number().int().min(1, { error: 'expected 1 to 10' }).max(10, { error: 'expected 1 to 10' }).default(2),
  /**
   * A node pool for the k6-operator runners of docs/load-tests.md: labelled and tainted
   * `gitlab.com/node-pool=load-test`, so GitLab's pods never land on it, zero nodes until a run
   * asks for them. Default: off.
   */
  loadTestPool: z
    .strictObject({
      /** Create the pool. Default: false. */
      enabled: z.boolean().default(false),
      /** Instance type of its nodes. Default: c5.xlarge. */
      instanceType: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { error: 'expected an EC2 instance type such as "c5.xlarge"' }).optional(),
      /** Most nodes the autoscaler may start for a run. Default: 4. */
      maxNodes: z.number().int().min(1, { error: 'expected 1 to 50' }).max(50, { error: 'expected 1 to 50' }).optional(),
    })
    .optional(),
});

/**
 * The self-managed GitLab instance an environment runs: its size and its address, and how the
 * reference-architecture package builds it. The load tests derive their target rates from `size`.
 */
export const gitlabSection = z.strictObject({
  /** Reference-architecture size: "1k" (20 RPS, one all-in-one node), "poc", "2k" (40 RPS), "3k" (60 RPS, HA), "5k" (100 RPS, HA), "10k" (200 RPS), "25k" (500 RPS) or "50k" (1000 RPS; HA, Redis split in cache and persistent clusters). A size listed in UNBUILT_SIZES is refused, saying what is missing. */
  // Only built sizes are valid (so the JSON schema lists only those); a published, unbuilt one says what is missing.
  size: z.enum(BUILT_SIZES as unknown as [GitLabSize, ...GitLabSize[]], {
    error: (iss) => {
      const reason = typeof iss.input === 'string' ? UNBUILT_SIZES[iss.input.toLowerCase()] : undefined;
      return reason ? `"${String(iss.input)}" is not built yet: ${reason}` : `expected ${BUILT_SIZES.map((x) => `"${x}"`).join(', ')}`;
    },
  }),
  /** Address users and runners reach GitLab at. */
  externalUrl: httpsUrl,
  /** GitLab Linux package version every node installs and holds, e.g. "19.3.0". Bumping it changes new nodes only (see docs/gitlab-on-nodes.md to roll running ones). Default: DEFAULT_GITLAB_VERSION. */
  version: z.string().regex(/^\d+\.\d+\.\d+$/, { error: 'expected a pinned GitLab version such as "19.3.0" (major.minor.patch)' }).default(DEFAULT_GITLAB_VERSION),
  /**
   * "linux-package": every role on EC2 nodes. "cloud-native-hybrid": Rails, Sidekiq, NGINX and
   * monitoring on EKS from GitLab's Helm chart, the stateful roles on nodes or managed services
   * as before (2k and up: the sizes GitLab publishes a hybrid table for). Default: "linux-package".
   */
  deployment: z.enum(GITLAB_DEPLOYMENTS, { error: 'expected "linux-package" or "cloud-native-hybrid"' }).default('linux-package'),
  /** EKS settings of a "cloud-native-hybrid" deployment. Default: a private cluster at the pinned version. */
  kubernetes: kubernetesSection.optional(),
  /** Enterprise ("ee", runs unlicensed as Free) or Community ("ce") edition. Default: "ee". */
  edition: z.enum(['ee', 'ce'], { error: 'expected "ee" (Enterprise Edition) or "ce" (Community Edition)' }).default('ee'),
  /** Linux-package nodes or AWS managed services for the stateful components. Default: all "linux-package". */
  components: z
    .strictObject({
      /** PostgreSQL (Patroni + PgBouncer + Consul) or RDS PostgreSQL (Multi-AZ DB instance in 3k). Default: "linux-package". */
      database: deployment.default('linux-package'),
      /** Redis (with Sentinel in 3k and up) or ElastiCache Redis (replicas + automatic failover in 3k and up); in 10k and up both the persistent and the cache cluster (a second replication group). Default: "linux-package". */
      redis: deployment.default('linux-package'),
      /** Praefect's PostgreSQL (3k): a node or RDS PostgreSQL. Default: "linux-package". */
      praefectDatabase: deployment.default('linux-package'),
    })
    .default({ database: 'linux-package', redis: 'linux-package', praefectDatabase: 'linux-package' }),
  /**
   * Accept Praefect's database as one Linux-package node in an HA size (3k). GitLab requires a
   * highly available PostgreSQL for Praefect in an HA setup; one node is a single point of failure
   * for all Git traffic. Set it only for a test environment, knowingly (docs/reference-architectures.md).
   * Default: false (use components.praefectDatabase "managed": RDS Multi-AZ).
   */
  allowSingleNodePraefectDatabase: z.boolean().default(false),
  /** Per-role instance type, count and data-volume overrides. Default: none (GitLab's tables). */
  instances: instanceOverrides.default({}),
  /** External load balancer: "nlb" (443 TLS/TCP, 80, 22 on one NLB) or "alb" (HTTPS with least-outstanding-requests, plus an NLB for Git over SSH). Default: "nlb". */
  externalLoadBalancer: z.enum(['nlb', 'alb'], { error: 'expected "nlb" or "alb"' }).default('nlb'),
  /** Networks that may reach the external load balancer (443, 80, 22). Default: network.allowedIngressCidrs. */
  allowedCidrs: z.array(cidr).optional(),
  /** Public DNS and TLS for externalUrl. Default: none (TCP pass-through on 443, no DNS record). */
  domain: z
    .strictObject({
      /** Route 53 public hosted zone of externalUrl's host: gets the alias record (and the certificate's validation record). */
      hostedZoneId: z.string().regex(/^Z[A-Z0-9]{4,32}$/, { error: 'expected a Route 53 hosted zone ID such as "Z0123456789ABCDEFGHIJ"' }).optional(),
      /** ACM certificate for externalUrl's host. Default: one is requested and DNS-validated in hostedZoneId. */
      certificateArn: z.string().regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/, { error: 'expected an ACM certificate ARN' }).optional(),
    })
    .optional(),
  /** Private DNS zone that names every node and endpoint (e.g. "gitaly-1.<zone>"). Default: "<environment>.gitlab.internal". */
  internalDomain: z
    .string()
    .regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, { error: 'expected a DNS zone name such as "gitlab.internal.example.com"' })
    .optional(),
  /** Guard stateful resources: prevent_destroy, deletion protection, termination protection. Default: the environment's `guardrails.production` (true unless the environment says it is not production). */
  protectData: z.boolean().optional(),
  /** AWS Backup of Gitaly and database volumes, and RDS automated backups. */
  backups: z
    .strictObject({
      /** Days to keep each backup (AWS Backup and RDS; RDS caps at 35). Default: 14. */
      retentionDays: z.number().int().min(1, { error: 'expected 1 to 35 days' }).max(35, { error: 'expected 1 to 35 days' }).default(14),
      /** When AWS Backup runs, as an AWS cron expression. Default: "cron(0 3 * * ? *)" (03:00 UTC daily). */
      schedule: z.string().regex(/^cron\(.+\)$/, { error: 'expected an AWS cron expression such as "cron(0 3 * * ? *)"' }).default('cron(0 3 * * ? *)'),
    })
    .default({ retentionDays: 14, schedule: 'cron(0 3 * * ? *)' }),
  /** AMI per CPU architecture: a pinned ID or an SSM parameter resolved at launch. Default: Ubuntu 24.04 LTS from Canonical's public parameters. */
  ami: z
    .strictObject({
      x86_64: amiSource.default('/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id'),
      arm64: amiSource.default('/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id'),
    })
    .default({
      x86_64: '/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id',
      arm64: '/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id',
    }),
  /** Permissions boundary set on every node role. Default: none. */
  permissionsBoundaryArn: z.string().regex(/^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/[\w+=,.@/-]+$/, { error: 'expected an IAM policy ARN' }).optional(),
}).superRefine((g, ctx) => {
  if (g.deployment === 'cloud-native-hybrid' && !HYBRID_CAPABLE_SIZES.includes(g.size)) {
    ctx.addIssue({ code: 'custom', input: g.deployment, path: ['deployment'], message: `size "${g.size}" has no Cloud Native Hybrid table (GitLab publishes one for ${HYBRID_CAPABLE_SIZES.join(', ')}): set size to one of those or deployment to "linux-package"` });
  }
  if (isSingleNodeSize(g.size)) {
    // One host runs every service from the Linux package; RDS or ElastiCache would be a second architecture GitLab does not publish.
    for (const [component, value] of Object.entries(g.components)) {
      if (value === 'managed') ctx.addIssue({ code: 'custom', input: value, path: ['components', component], message: `is "managed", but size "${g.size}" is one all-in-one node that runs PostgreSQL and Redis itself (GitLab's 1K page): remove it (or set "linux-package"), or use size "2k" for RDS and ElastiCache` });
    }
  }
  if (g.deployment !== 'cloud-native-hybrid' && g.kubernetes) {
    ctx.addIssue({ code: 'custom', input: g.kubernetes, path: ['kubernetes'], message: 'is used only by deployment "cloud-native-hybrid": remove it or set deployment' });
  }
  for (const [i, c] of (g.kubernetes?.publicAccessCidrs ?? []).entries()) {
    if (c.endsWith('/0')) ctx.addIssue({ code: 'custom', input: c, path: ['kubernetes', 'publicAccessCidrs', i], message: 'opens the Kubernetes API to the internet: list your own networks, or leave publicAccessCidrs out for a private endpoint' });
  }
});

export type GitLabConfig = z.output<typeof gitlabSection>;
export type GitLabRoleOverride = z.output<typeof roleOverride>;
