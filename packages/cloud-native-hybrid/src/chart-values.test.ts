import { parse, stringify } from 'yaml';
import { CHART_SECRETS, chartValues, helmCommand, type HybridChartInput } from './chart-values';
import { chartVersionFor } from './chart-version';
import { COMPONENT_SERVICE_ACCOUNTS } from './chart-components';
import { HYBRID_PODS } from './pod-resources';
import { POOL_LABEL } from './node-groups';
import { externalSecretManifests, objectStorageConnection, registryStorageConfig } from './secret-manifests';

const BUCKETS = Object.fromEntries(
  ['artifacts', 'lfs', 'uploads', 'packages', 'mr-diffs', 'terraform-state', 'dependency-proxy', 'ci-secure-files', 'backups', 'registry'].map((b) => [b, `acme-${b}`]),
) as HybridChartInput['buckets'];

const threeK: HybridChartInput = {
  size: '3k',
  version: '19.3.0',
  externalUrl: 'https://gitlab.example.com',
  region: 'eu-west-1',
  postgres: { host: 'gitlab-db.abc.eu-west-1.rds.amazonaws.com' },
  redis: { masterName: 'gitlab-redis', sentinels: [{ host: '10.0.1.10' }, { host: '10.0.2.10' }, { host: '10.0.3.10' }] },
  gitaly: { praefect: { host: 'internal-lb.gitlab.internal' } },
  buckets: BUCKETS,
  registry: true,
};

/** The values as helm would read them: written to YAML and parsed back. */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const values = (input: HybridChartInput): Json => parse(stringify(chartValues(input)));

/** Every string leaf with its path. */
function leaves(node: unknown, path = ''): [string, string][] {
  if (typeof node === 'string') return [[path, node]];
  if (Array.isArray(node)) return node.flatMap((v, i) => leaves(v, `${path}[${i}]`));
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
  return [];
}

describe('GitLab chart values', () => {
  it('points every external endpoint at the topology', () => {
    const v = values(threeK);
    expect(v.global.hosts).toEqual({ domain: 'example.com', https: true, gitlab: { name: 'gitlab.example.com', https: true }, ssh: 'gitlab.example.com' });
    expect(v.global.psql).toMatchObject({ host: 'gitlab-db.abc.eu-west-1.rds.amazonaws.com', port: 5432, database: 'gitlabhq_production', username: 'gitlab' });
    expect(v.global.redis.host).toBe('gitlab-redis');
    expect(v.global.redis.sentinels).toEqual([1, 2, 3].map((n) => ({ host: `10.0.${n}.10`, port: 26379 })));
    expect(v.global.gitaly).toMatchObject({ enabled: false, external: [{ name: 'default', hostname: 'internal-lb.gitlab.internal', port: 2305 }] });
    expect(v.global.praefect.enabled).toBe(false);
    expect(v.global.appConfig.artifacts.bucket).toBe('acme-artifacts');
    expect(v.global.appConfig.externalDiffs).toEqual({ enabled: true, bucket: 'acme-mr-diffs' });
    expect(v.global.appConfig.backups).toEqual({ bucket: 'acme-backups', tmpBucket: 'acme-backups' });
    expect(v.global.registry).toEqual({ enabled: true, bucket: 'acme-registry' });
    for (const chart of ['postgresql', 'redis', 'certmanager']) expect(v[chart].install).toBe(false);
  });

  it('uses one Redis endpoint (TLS unless turned off) and one Gitaly node when the topology has them', () => {
    const v = values({ ...threeK, size: '2k', redis: { host: 'master.redis.cache.amazonaws.com' }, gitaly: { node: { name: 'gitaly-1', host: '10.0.1.20' } } });
    expect(v.global.redis).toMatchObject({ host: 'master.redis.cache.amazonaws.com', port: 6379, scheme: 'rediss' });
    expect(v.global.redis.sentinels).toBeUndefined();
    expect(v.global.gitaly.external).toEqual([{ name: 'default', hostname: '10.0.1.20', port: 8075 }]);
    expect(values({ ...threeK, redis: { host: 'r', tls: false } }).global.redis.scheme).toBe('redis');
  });

  it('holds no credential: every secret is a reference to a Kubernetes Secret the External Secrets fill', () => {
    const v = values(threeK);
    const secretNames = new Set<string>(Object.values(CHART_SECRETS).map((s) => s.secret));
    const refs = leaves(v).filter(([path]) => /\.secret$/.test(path));
    expect(refs.length).toBeGreaterThanOrEqual(6);
    for (const [path, name] of refs) expect({ path, known: secretNames.has(name) }).toEqual({ path, known: true });
    expect(v.global.psql.password).toEqual({ useSecret: true, secret: 'gitlab-postgres-password', key: 'password' });
    // Nothing that looks like a token or password value anywhere.
    for (const [path, value] of leaves(v)) expect({ path, tokenLike: /^[0-9a-f]{32,}$|^[A-Za-z0-9+/]{40,}={0,2}$/.test(value) }).toEqual({ path, tokenLike: false });
  });

  it.each(['2k', '3k', '5k', '10k', '25k', '50k'] as const)('%s: replicas and resources are those of GitLab\'s hybrid table, pinned to their pools', (size) => {
    const v = values({ ...threeK, size });
    const pods = HYBRID_PODS[size]!;
    expect(v.gitlab.webservice).toMatchObject({ minReplicas: pods.webservice.pods, maxReplicas: pods.webservice.pods * 2, workerProcesses: 4, resources: { requests: pods.webservice.requests, limits: pods.webservice.limits } });
    expect(v.gitlab.sidekiq).toMatchObject({ minReplicas: pods.sidekiq.pods, resources: { requests: pods.sidekiq.requests } });
    expect(v.gitlab.webservice.nodeSelector).toEqual({ [POOL_LABEL]: 'webservice' });
    expect(v.gitlab.sidekiq.nodeSelector).toEqual({ [POOL_LABEL]: 'sidekiq' });
    expect(v.gitlab.toolbox.nodeSelector).toEqual({ [POOL_LABEL]: 'supporting' });
    expect(v['nginx-ingress'].controller.nodeSelector).toEqual({ [POOL_LABEL]: 'supporting' });
  });

  it('gives each AWS-using component the service account its Pod Identity role is bound to', () => {
    const v = values(threeK);
    expect(v.gitlab.webservice.serviceAccount.name).toBe(COMPONENT_SERVICE_ACCOUNTS.webservice);
    expect(v.gitlab.sidekiq.serviceAccount.name).toBe(COMPONENT_SERVICE_ACCOUNTS.sidekiq);
    expect(v.gitlab.toolbox.serviceAccount.name).toBe(COMPONENT_SERVICE_ACCOUNTS.toolbox);
    expect(v.registry.serviceAccount.name).toBe(COMPONENT_SERVICE_ACCOUNTS.registry);
  });

  it("exposes the chart's NGINX on fixed NodePorts for the environment's NLB, with no cloud load balancer of its own", () => {
    const service = values(threeK)['nginx-ingress'].controller.service;
    expect(service).toEqual({ type: 'NodePort', nodePorts: { http: 32080, https: 32443, 'gitlab-shell': 32022 } });
    // No AWS Load Balancer Controller annotation: nothing creates a second, unrestricted load balancer.
    expect(JSON.stringify(values(threeK))).not.toMatch(/aws-load-balancer/);
  });

  it("serves TLS from NGINX with the chart's self-signed wildcard certificate, so GitLab sees https behind the load balancer", () => {
    const v = values(threeK);
    // TLS on, no secretName, no cert-manager: the shared-secrets job generates <release>-wildcard-tls.
    expect(v.global.ingress).toEqual({ configureCertmanager: false, tls: { enabled: true } });
    expect(v.installCertmanager).toBe(false);
    expect(v.certmanager).toEqual({ install: false });
    expect(v.global.hosts.https).toBe(true);
    expect(v.global.hosts.gitlab.https).toBe(true);
    // No component names a certificate Secret of its own (that would stop the self-signed job).
    expect(leaves(v).filter(([path]) => /tls\.secretName$/.test(path))).toEqual([]);
  });

  it("installs none of the chart's bundled services the environment provides itself: databases, certificates, CI runners", () => {
    for (const v of [values(threeK), values({ ...threeK, size: '2k', redis: { host: 'redis.gitlab.internal' }, gitaly: { node: { name: 'gitaly-1', host: '10.0.1.20' } } })]) {
      expect([v.postgresql, v.redis, v['gitlab-runner'], v.certmanager]).toEqual([{ install: false }, { install: false }, { install: false }, { install: false }]);
      expect(v.global.minio).toEqual({ enabled: false });
    }
  });

  it('names the SSH host in clone URLs: the external host, or the SSH load balancer when given', () => {
    expect(values(threeK).global.hosts.ssh).toBe('gitlab.example.com');
    expect(values({ ...threeK, sshHost: 'ssh.gitlab.example.com' }).global.hosts.ssh).toBe('ssh.gitlab.example.com');
  });

  it('schedules GitLab backups with server-side repository backups', () => {
    expect(values(threeK).gitlab.toolbox.backups.cron).toEqual({ enabled: true, schedule: '0 3 * * *', extraArgs: '--repositories-server-side' });
    expect(values({ ...threeK, backupCron: '30 1 * * *' }).gitlab.toolbox.backups.cron.schedule).toBe('30 1 * * *');
  });

  it('turns the registry off, with no bucket, unless asked', () => {
    const v = values({ ...threeK, registry: undefined });
    expect(v.global.registry).toEqual({ enabled: false });
    expect(v.registry).toEqual({ enabled: false });
  });

  it('adds database load balancing hosts only when given', () => {
    expect(values(threeK).global.psql.load_balancing).toBeUndefined();
    expect(values({ ...threeK, postgres: { host: 'h', loadBalancingHosts: ['r1', 'r2'] } }).global.psql.load_balancing).toEqual({ hosts: ['r1', 'r2'] });
  });

  it('refuses a size without a hybrid table, an unknown GitLab version and a URL with a path', () => {
    expect(() => chartValues({ ...threeK, size: 'poc' })).toThrow(/"poc" has no Cloud Native Hybrid table/);
    expect(() => chartValues({ ...threeK, version: '19.9.9' })).toThrow(/19\.9\.9.*chart-version\.ts/);
    expect(() => chartValues({ ...threeK, externalUrl: 'https://example.com/gitlab' })).toThrow(/without a path/);
  });

  it('pins the chart release of the pinned GitLab version in the helm command', () => {
    expect(chartVersionFor('19.3.0')).toBe('10.3.0');
    expect(helmCommand(threeK, 'gitlab-values.yaml')).toBe(
      'helm upgrade --install gitlab gitlab/gitlab --namespace gitlab --create-namespace --version 10.3.0 --values gitlab-values.yaml --timeout 20m --wait',
    );
  });
});

describe('secret plumbing', () => {
  it('writes one ExternalSecret per chart secret, through the store of the service that holds it', () => {
    const manifests = externalSecretManifests('eu-west-1', {
      shellToken: { ssmParameter: '/gitlab/gl3k/gitlab-shell-token' },
      redisPassword: { secretsManager: 'gitlab/gl3k/redis-auth', jsonKey: 'token' },
    }) as Json[];
    expect(manifests.filter((m) => m.kind === 'SecretStore').map((m) => m.spec.provider.aws.service)).toEqual(['ParameterStore', 'SecretsManager']);
    const shell = manifests.find((m) => m.metadata.name === CHART_SECRETS.shellToken.secret)!;
    expect(shell.spec).toMatchObject({ secretStoreRef: { name: 'aws-parameter-store' }, target: { name: 'gitlab-shell-token' }, data: [{ secretKey: 'secret', remoteRef: { key: '/gitlab/gl3k/gitlab-shell-token' } }] });
    const redis = manifests.find((m) => m.metadata.name === CHART_SECRETS.redisPassword.secret)!;
    expect(redis.spec.secretStoreRef.name).toBe('aws-secrets-manager');
    expect(redis.spec.data[0].remoteRef).toEqual({ key: 'gitlab/gl3k/redis-auth', property: 'token' });
    expect(manifests.every((m) => m.metadata.namespace === 'gitlab')).toBe(true);
  });

  it('object storage and registry settings carry no key: the pods use their Pod Identity', () => {
    expect(parse(objectStorageConnection('eu-west-1'))).toEqual({ provider: 'AWS', region: 'eu-west-1', use_iam_profile: true });
    const registry = parse(registryStorageConfig('eu-west-1', 'acme-registry'));
    expect(registry).toEqual({ s3: { bucket: 'acme-registry', region: 'eu-west-1', v4auth: true, encrypt: true } });
  });
});
