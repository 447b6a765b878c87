import { CHART_INGRESS_NODE_PORTS, type GitLabSize } from '@gitlab-aws/core';
import { chartVersionFor } from './chart-version';
import { COMPONENT_SERVICE_ACCOUNTS, GITLAB_NAMESPACE, type HybridBucket } from './chart-components';
import { POOL_LABEL } from './node-groups';
import { HYBRID_PODS, type ComponentPods } from './pod-resources';

/** Kubernetes Secrets the values refer to (filled from SSM/Secrets Manager by External Secrets): name and key. */
export const CHART_SECRETS = {
  shellToken: { secret: 'gitlab-shell-token', key: 'secret' },
  gitalyToken: { secret: 'gitlab-gitaly-token', key: 'token' },
  postgresPassword: { secret: 'gitlab-postgres-password', key: 'password' },
  redisPassword: { secret: 'gitlab-redis-password', key: 'password' },
  /** 10k and up: the separate Redis cache cluster's own password. */
  redisCachePassword: { secret: 'gitlab-redis-cache-password', key: 'password' },
  initialRootPassword: { secret: 'gitlab-initial-root-password', key: 'password' },
  objectStorage: { secret: 'gitlab-object-storage', key: 'connection' },
  registryStorage: { secret: 'gitlab-registry-storage', key: 'config' },
  /** The internal CA's certificate (public): Gitaly and Praefect serve TLS with certificates it issued. */
  internalCaCert: { secret: 'gitlab-internal-ca', key: 'internal-ca.crt' },
} as const;
export type ChartSecret = keyof typeof CHART_SECRETS;

/** One Redis the chart reaches: an endpoint or a Sentinel master. */
export type ChartRedis = ({ readonly host: string; readonly port?: number; readonly tls?: boolean } | { readonly masterName: string; readonly sentinels: readonly { host: string; port?: number }[] }) & {
  /** Redis asks for a password (self-managed Redis; ElastiCache only with AUTH). Default: true. */
  readonly auth?: boolean;
};

/** Where GitLab's stateful parts are, as the infrastructure built them. */
export interface HybridChartInput {
  readonly size: GitLabSize;
  /** Pinned GitLab version; the chart release is looked up from it. */
  readonly version: string;
  /** Default "ee". */
  readonly edition?: 'ee' | 'ce';
  /** https:// address users reach GitLab at. */
  readonly externalUrl: string;
  readonly region: string;
  /** Host name of Git over SSH in clone URLs (the NLB carrying port 22). Default: the externalUrl's host. */
  readonly sshHost?: string;
  /** PostgreSQL (through PgBouncer or RDS): Rails logs in as the dedicated "gitlab" user. */
  readonly postgres: { readonly host: string; readonly port?: number; readonly database?: string; readonly loadBalancingHosts?: readonly string[] };
  /** Redis (from 10k up the persistent cluster): one endpoint (ElastiCache, 2K's node) or Sentinels (3K's Linux-package Redis). */
  readonly redis: ChartRedis;
  /** 10k and up: the separate Redis cache cluster (chart key global.redis.cache). Default: none (the cache stays in `redis`). */
  readonly redisCache?: ChartRedis;
  /**
   * Gitaly Cluster through the internal load balancer's Praefect listener, or a single Gitaly node.
   * `tls`: they serve TLS only, with certificates of the internal CA the chart then trusts (customCAs). Default: false.
   */
  readonly gitaly: ({ readonly praefect: { host: string; port?: number } } | { readonly node: { name: string; host: string; port?: number } }) & { readonly tls?: boolean };
  /** Bucket name per data type. */
  readonly buckets: Readonly<Record<HybridBucket, string>>;
  /** Container registry on, with its bucket. Default: false. */
  readonly registry?: boolean;
  /** Daily GitLab backup by the toolbox, crontab form (UTC). Default: "0 3 * * *". */
  readonly backupCron?: string;
}

const secretRef = (name: ChartSecret) => ({ ...CHART_SECRETS[name] });
const pinned = (pool: string) => ({ nodeSelector: { [POOL_LABEL]: pool } });
const hpa = (pods: ComponentPods) => ({ minReplicas: pods.pods, maxReplicas: pods.pods * 2, resources: { requests: { ...pods.requests }, limits: { ...pods.limits } } });

function hostOf(externalUrl: string): string {
  const match = /^https:\/\/([a-z0-9.-]+)(:\d+)?$/i.exec(externalUrl);
  if (!match) throw new Error(`chart values: externalUrl "${externalUrl}" must be https://<host> without a path`);
  return match[1].toLowerCase();
}

/** The chart's keys for one Redis: the Sentinel master name as host with its Sentinels, or host, port and scheme. */
function chartRedis(r: ChartRedis): Record<string, unknown> {
  return 'sentinels' in r
    ? { host: r.masterName, sentinels: r.sentinels.map((s) => ({ host: s.host, port: s.port ?? 26379 })) }
    : { host: r.host, port: r.port ?? 6379, scheme: r.tls === false ? 'redis' : 'rediss' };
}

/**
 * Values for GitLab's Helm chart, from the topology: every endpoint is a stateful part the
 * infrastructure built, every credential a reference to a Kubernetes Secret (no value here), the
 * replicas and resources those of GitLab's hybrid table for the size.
 */
export function chartValues(input: HybridChartInput): Record<string, unknown> {
  const pods = HYBRID_PODS[input.size];
  if (!pods) throw new Error(`chart values: gitlab.size "${input.size}" has no Cloud Native Hybrid table (sizes with one: ${Object.keys(HYBRID_PODS).join(', ')})`);
  chartVersionFor(input.version);
  const host = hostOf(input.externalUrl);
  const registry = input.registry ?? false;
  const redisAuth = input.redis.auth === false ? { enabled: false } : { enabled: true, ...secretRef('redisPassword') };
  // The chart names the main instance's password "auth" and each further instance's "password".
  const cacheAuth = input.redisCache?.auth === false ? { enabled: false } : { enabled: true, ...secretRef('redisCachePassword') };
  const redis = {
    ...chartRedis(input.redis),
    auth: redisAuth,
    ...(input.redisCache ? { cache: { ...chartRedis(input.redisCache), password: cacheAuth } } : {}),
  };
  const gitalyTls = input.gitaly.tls === true;
  const tlsFlag = gitalyTls ? { tlsEnabled: true } : {};
  const gitaly =
    'praefect' in input.gitaly
      ? { enabled: false, external: [{ name: 'default', hostname: input.gitaly.praefect.host, port: input.gitaly.praefect.port ?? (gitalyTls ? 3305 : 2305), ...tlsFlag }], authToken: secretRef('gitalyToken') }
      : { enabled: false, external: [{ name: 'default', hostname: input.gitaly.node.host, port: input.gitaly.node.port ?? (gitalyTls ? 9999 : 8075), ...tlsFlag }], authToken: secretRef('gitalyToken') };
  const bucket = (type: HybridBucket) => ({ bucket: input.buckets[type] });
  const sa = (component: keyof typeof COMPONENT_SERVICE_ACCOUNTS) => ({ serviceAccount: { enabled: true, create: true, name: COMPONENT_SERVICE_ACCOUNTS[component] } });
  // The environment's load balancer (Terraform, AWS stack) ends the users' TLS and forwards to these
  // NodePorts on the nodes, web traffic encrypted again to `https`: no cloud load balancer is
  // created from the Service, so no controller is needed for it.
  const ingressService = {
    type: 'NodePort',
    nodePorts: { http: CHART_INGRESS_NODE_PORTS.http, https: CHART_INGRESS_NODE_PORTS.https, 'gitlab-shell': CHART_INGRESS_NODE_PORTS.gitlabShell },
  };

  return {
    global: {
      edition: input.edition ?? 'ee',
      hosts: { domain: host.split('.').slice(1).join('.'), https: true, gitlab: { name: host, https: true }, ssh: input.sshHost ?? host },
      // TLS on the Ingresses with no secretName and no cert-manager: the chart's shared-secrets job
      // generates a self-signed wildcard certificate (<release>-wildcard-tls) for NGINX. The load
      // balancer re-encrypts to it without validating it; clients only ever see the ACM
      // certificate. NGINX then receives https itself, so Workhorse and Rails get
      // X-Forwarded-Proto: https (CSRF origin checks, SAML, https:// URLs), and redirects plain HTTP.
      ingress: { configureCertmanager: false, tls: { enabled: true } },
      ...(gitalyTls ? { certificates: { customCAs: [{ secret: CHART_SECRETS.internalCaCert.secret }] } } : {}),
      psql: {
        host: input.postgres.host,
        port: input.postgres.port ?? 5432,
        database: input.postgres.database ?? 'gitlabhq_production',
        username: 'gitlab',
        password: { useSecret: true, ...secretRef('postgresPassword') },
        ...(input.postgres.loadBalancingHosts?.length ? { load_balancing: { hosts: [...input.postgres.loadBalancingHosts] } } : {}),
      },
      redis,
      gitaly,
      praefect: { enabled: false },
      minio: { enabled: false },
      registry: { enabled: registry, ...(registry ? { bucket: input.buckets.registry } : {}) },
      shell: { authToken: secretRef('shellToken') },
      initialRootPassword: secretRef('initialRootPassword'),
      appConfig: {
        object_store: { enabled: true, proxy_download: true, connection: secretRef('objectStorage') },
        artifacts: bucket('artifacts'),
        lfs: bucket('lfs'),
        uploads: bucket('uploads'),
        packages: bucket('packages'),
        externalDiffs: { enabled: true, ...bucket('mr-diffs') },
        terraformState: { enabled: true, ...bucket('terraform-state') },
        dependencyProxy: { enabled: true, ...bucket('dependency-proxy') },
        ciSecureFiles: { enabled: true, ...bucket('ci-secure-files') },
        backups: { bucket: input.buckets.backups, tmpBucket: input.buckets.backups },
      },
    },
    installCertmanager: false,
    certmanager: { install: false },
    postgresql: { install: false },
    redis: { install: false },
    // The chart installs a runner by default; CI jobs belong on the runner fleets (docs/runner-fleet.md),
    // not on GitLab's own node pools, and that runner would have to trust the ingress's self-signed
    // certificate.
    'gitlab-runner': { install: false },
    'nginx-ingress': { controller: { ...pinned('supporting'), replicaCount: 2, service: ingressService } },
    registry: registry ? { ...pinned('supporting'), ...sa('registry'), storage: secretRef('registryStorage') } : { enabled: false },
    gitlab: {
      webservice: { ...pinned('webservice'), ...sa('webservice'), ...hpa(pods.webservice), workerProcesses: pods.webservice.workers },
      sidekiq: { ...pinned('sidekiq'), ...sa('sidekiq'), ...hpa(pods.sidekiq) },
      toolbox: {
        ...pinned('supporting'),
        ...sa('toolbox'),
        backups: { cron: { enabled: true, schedule: input.backupCron ?? '0 3 * * *', extraArgs: '--repositories-server-side' }, objectStorage: { config: secretRef('objectStorage') } },
      },
      'gitlab-shell': { ...pinned('supporting') },
      kas: { ...pinned('supporting') },
      migrations: { enabled: true },
      gitaly: { enabled: false },
    },
  };
}

/** The command that installs or upgrades the chart with the written values, for teams deploying charts outside Terraform. */
export function helmCommand(input: Pick<HybridChartInput, 'version'>, valuesFile: string): string {
  return `helm upgrade --install gitlab gitlab/gitlab --namespace ${GITLAB_NAMESPACE} --create-namespace --version ${chartVersionFor(input.version)} --values ${valuesFile} --timeout 20m --wait`;
}
