import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { parse } from 'yaml';
import { GitLabChartStack, VALUES_FILE } from '@gitlab-aws/cloud-native-hybrid';
import { gitalyEndpoint, generatedSecrets, ssmParameterName } from '@gitlab-aws/gitlab-config';
import { all, entries, gitlabEnvironment, type Json } from './__fixtures__/synth';
import { hybridClusterName } from './hybrid-compute';
import { chartStackProps, ReferenceArchitectureStack } from './reference-architecture-stack';

function synthChart(gitlab: Record<string, unknown>) {
  const app = Testing.app();
  const infra = new ReferenceArchitectureStack(app, { environment: gitlabEnvironment(gitlab) });
  const chart = new GitLabChartStack(app, chartStackProps(infra));
  app.synth();
  return { app, infra, chart, json: JSON.parse(Testing.synth(chart)) as Json };
}

describe('GitLabChartStack (the Kubernetes side of Cloud Native Hybrid)', () => {
  const threeK = synthChart({ size: '3k', deployment: 'cloud-native-hybrid', components: { praefectDatabase: 'managed' } });
  const twoK = synthChart({ size: '2k', deployment: 'cloud-native-hybrid', components: { database: 'managed', redis: 'managed' } });
  // 10k on ElastiCache: two replication groups, the persistent Redis and the Redis cache.
  const tenKManaged = synthChart({ size: '10k', deployment: 'cloud-native-hybrid', components: { praefectDatabase: 'managed', redis: 'managed' } });

  it('10k: sends the cache class to the Redis cache cluster (global.redis.cache) with its own password, the rest to the persistent one', () => {
    const tenK = synthChart({ size: '10k', deployment: 'cloud-native-hybrid', components: { praefectDatabase: 'managed' } });
    const values = parse(readFileSync(join(tenK.app.outdir, VALUES_FILE), 'utf8'));
    const t = tenK.infra.topology!;
    const sentinels = (role: 'redis' | 'redis-cache') => t.nodes.filter((n) => n.role === role).map((n) => ({ host: n.privateIp, port: 26379 }));
    expect(values.global.redis).toEqual({
      host: 'gitlab-redis-persistent',
      sentinels: sentinels('redis'),
      auth: { enabled: true, secret: 'gitlab-redis-password', key: 'password' },
      cache: { host: 'gitlab-redis-cache', sentinels: sentinels('redis-cache'), password: { enabled: true, secret: 'gitlab-redis-cache-password', key: 'password' } },
    });
    // Both passwords come from the SSM parameters the Redis nodes use; 10k talks to Praefect with its external token.
    const props = chartStackProps(tenK.infra);
    expect(props.secretSources.redisCachePassword).toEqual({ ssmParameter: ssmParameterName(t, 'redis-cache-password') });
    expect(props.secretSources.gitalyToken).toEqual({ ssmParameter: ssmParameterName(t, 'praefect-external-token') });
    // ElastiCache: the cache's own endpoint, read from SSM at deploy, with TLS and no AUTH.
    const m = parse(readFileSync(join(tenKManaged.app.outdir, VALUES_FILE), 'utf8'));
    const cacheParameter = ssmParameterName(tenKManaged.infra.topology!, 'redis-cache-endpoint');
    expect(m.global.redis.cache).toEqual({ host: `<from SSM parameter ${cacheParameter}>`, port: 6379, scheme: 'rediss', password: { enabled: false } });
  });

  it("10k on ElastiCache: the Redis cache's own endpoint goes through an SSM parameter too, not the private zone's redis-cache CNAME", () => {
    const t = tenKManaged.infra.topology!;
    const awsSide = JSON.parse(Testing.synth(tenKManaged.infra)).resource as Json;
    const groups = entries(awsSide, 'aws_elasticache_replication_group');
    const groupOf = (id: string) => groups.find(([name]) => name.includes(id))![0];
    const cacheGroup = groupOf('redis-cache');
    const persistentGroup = groups.find(([name]) => name !== cacheGroup)![0];
    // The AWS stack writes each group's primary endpoint into its own parameter.
    const written = Object.fromEntries(all(awsSide, 'aws_ssm_parameter').filter((p) => /-endpoint$/.test(p.name)).map((p) => [p.name, [p.type, p.value]]));
    expect(written).toEqual({
      [ssmParameterName(t, 'redis-endpoint')]: ['String', `\${aws_elasticache_replication_group.${persistentGroup}.primary_endpoint_address}`],
      [ssmParameterName(t, 'redis-cache-endpoint')]: ['String', `\${aws_elasticache_replication_group.${cacheGroup}.primary_endpoint_address}`],
    });
    // The chart stack reads both, and the release sends the cache class to what it read.
    const props = chartStackProps(tenKManaged.infra);
    expect(props.endpointParameters).toEqual({ redisHost: ssmParameterName(t, 'redis-endpoint'), redisCacheHost: ssmParameterName(t, 'redis-cache-endpoint') });
    const data = tenKManaged.json.data.aws_ssm_parameter as Record<string, Json>;
    expect(data['redis-cache-endpoint'].name).toBe(ssmParameterName(t, 'redis-cache-endpoint'));
    const release = Object.values(tenKManaged.json.resource.helm_release as Record<string, Json>).find((r) => r.name === 'gitlab')!;
    const values = parse(release.values[0]);
    expect(values.global.redis.host).toBe('${data.aws_ssm_parameter.redis-endpoint.value}');
    expect(values.global.redis.cache.host).toBe('${data.aws_ssm_parameter.redis-cache-endpoint.value}');
    expect(JSON.stringify(values)).not.toContain(`redis-cache.${tenKManaged.infra.plan.internalDomain}`);
    // The values file says how to fetch it.
    expect(readFileSync(join(tenKManaged.app.outdir, VALUES_FILE), 'utf8')).toContain(`#   redisCacheHost: aws ssm get-parameter --name ${ssmParameterName(t, 'redis-cache-endpoint')} --query Parameter.Value --output text`);
  });

  it('declares the helm and kubernetes providers (no bindings installed) signed in to the cluster by name', () => {
    const { json, infra } = threeK;
    expect(json.terraform.required_providers.helm).toEqual({ source: 'hashicorp/helm', version: '~> 3.0' });
    expect(json.terraform.required_providers.kubernetes).toEqual({ source: 'hashicorp/kubernetes', version: '~> 2.38' });
    const clusterName = hybridClusterName(infra.names);
    expect(clusterName).toBe('gl-gitlab-eks');
    expect(json.data.aws_eks_cluster.cluster.name).toBe(clusterName);
    expect(json.provider.kubernetes[0].exec.args).toEqual(['eks', 'get-token', '--cluster-name', clusterName, '--region', 'eu-west-1']);
    expect(json.provider.helm[0].kubernetes.host).toMatch(/data\.aws_eks_cluster\.cluster\.endpoint/);
  });

  it('installs External Secrets, the Cluster Autoscaler for this cluster and the chart of the pinned GitLab version', () => {
    const releases = Object.values(threeK.json.resource.helm_release as Record<string, Json>);
    expect(releases.map((r) => r.name).sort()).toEqual(['cluster-autoscaler', 'external-secrets', 'gitlab']);
    const gitlab = releases.find((r) => r.name === 'gitlab')!;
    expect(gitlab).toMatchObject({ chart: 'gitlab', repository: 'https://charts.gitlab.io', version: '10.3.0', namespace: 'gitlab' });
    expect(gitlab.depends_on.filter((d: string) => d.startsWith('kubernetes_manifest.')).length).toBeGreaterThan(0);
    const autoscaler = parse(releases.find((r) => r.name === 'cluster-autoscaler')!.values[0]);
    expect(autoscaler.autoDiscovery.clusterName).toBe(hybridClusterName(threeK.infra.names));
    expect(autoscaler.rbac.serviceAccount.name).toBe('cluster-autoscaler');
  });

  it('points the chart at the stateful parts the security groups were checked for', () => {
    const values = parse(readFileSync(join(threeK.app.outdir, VALUES_FILE), 'utf8'));
    const t = threeK.infra.topology!;
    const praefect = gitalyEndpoint(t);
    expect(values.global.gitaly.external).toEqual([{ name: 'default', hostname: praefect.host, port: 3305, tlsEnabled: true }]);
    expect(values.global.certificates.customCAs).toEqual([{ secret: 'gitlab-internal-ca' }]);
    expect(values.global.psql).toMatchObject({ host: `internal.${threeK.infra.plan.internalDomain}`, port: 6432, username: 'gitlab' });
    expect(values.global.psql.load_balancing.hosts).toHaveLength(3);
    expect(values.global.redis.sentinels.map((s: Json) => s.port)).toEqual([26379, 26379, 26379]);
    const two = parse(readFileSync(join(twoK.app.outdir, VALUES_FILE), 'utf8'));
    expect(two.global.gitaly.external[0]).toMatchObject({ hostname: gitalyEndpoint(twoK.infra.topology!).host, port: 9999, tlsEnabled: true });
    // Managed endpoints are read from SSM at deploy time: the file says where, ElastiCache without AUTH.
    const t2 = twoK.infra.topology!;
    expect(two.global.psql.host).toBe(`<from SSM parameter ${ssmParameterName(t2, 'postgres-endpoint')}>`);
    expect(two.global.redis).toMatchObject({ host: `<from SSM parameter ${ssmParameterName(t2, 'redis-endpoint')}>`, scheme: 'rediss', auth: { enabled: false } });
    expect(readFileSync(join(twoK.app.outdir, VALUES_FILE), 'utf8')).toContain(`#   redisHost: aws ssm get-parameter --name ${ssmParameterName(t2, 'redis-endpoint')} --query Parameter.Value --output text`);
  });

  it("gives the chart ElastiCache's and RDS's own endpoints (the names their TLS certificates carry), through SSM parameters the AWS stack writes", () => {
    const t = twoK.infra.topology!;
    const awsSide = JSON.parse(Testing.synth(twoK.infra)).resource as Json;
    const written = Object.fromEntries(all(awsSide, 'aws_ssm_parameter').filter((p) => /-endpoint$/.test(p.name)).map((p) => [p.name, [p.type, p.value]]));
    expect(written).toEqual({
      [ssmParameterName(t, 'redis-endpoint')]: ['String', expect.stringMatching(/^\$\{aws_elasticache_replication_group\.[^.]+\.primary_endpoint_address\}$/)],
      [ssmParameterName(t, 'postgres-endpoint')]: ['String', expect.stringMatching(/^\$\{aws_db_instance\.[^.]+\.address\}$/)],
    });
    // The chart stack reads them when planned, and the release's values use what it read.
    const data = twoK.json.data.aws_ssm_parameter as Record<string, Json>;
    expect(Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.name]))).toEqual({ 'redis-endpoint': ssmParameterName(t, 'redis-endpoint'), 'postgres-endpoint': ssmParameterName(t, 'postgres-endpoint') });
    const release = Object.values(twoK.json.resource.helm_release as Record<string, Json>).find((r) => r.name === 'gitlab')!;
    const values = parse(release.values[0]);
    expect(values.global.redis.host).toBe('${data.aws_ssm_parameter.redis-endpoint.value}');
    expect(values.global.psql.host).toBe('${data.aws_ssm_parameter.postgres-endpoint.value}');
    // Self-managed PostgreSQL and Redis (3k): addresses known at synth, nothing read from SSM.
    expect(threeK.json.data.aws_ssm_parameter).toBeUndefined();
  });

  it('syncs every chart secret from the SSM parameter the nodes generate, and writes no secret value', () => {
    const manifests = all(threeK.json.resource, 'kubernetes_manifest').map((m) => m.manifest);
    const remote = manifests.filter((m) => m.kind === 'ExternalSecret').map((m) => m.spec.data[0].remoteRef.key);
    const t = threeK.infra.topology!;
    const generated = generatedSecrets(t).map((s) => ssmParameterName(t, s.name));
    const ssm = remote.filter((k: string) => k.startsWith('/'));
    expect(ssm.sort()).toEqual(['gitlab-db-password', 'gitlab-shell-token', 'initial-root-password', 'praefect-external-token', 'redis-password'].map((n) => ssmParameterName(t, n)).sort());
    for (const k of ssm) expect(generated).toContain(k);
    const text = readFileSync(join(threeK.app.outdir, VALUES_FILE), 'utf8');
    expect(text).not.toMatch(/[0-9a-f]{32}/);
  });

  it('refuses a Redis endpoint parameter where the chart talks to Sentinels', () => {
    const props = chartStackProps(new ReferenceArchitectureStack(Testing.app(), { environment: gitlabEnvironment({ size: '3k', deployment: 'cloud-native-hybrid', components: { praefectDatabase: 'managed' } }) }));
    expect(props.endpointParameters).toEqual({});
    expect(() => new GitLabChartStack(Testing.app(), { ...props, endpointParameters: { redisHost: '/gl/gitlab/redis-endpoint' } })).toThrow(/endpointParameters\.redisHost names one Redis endpoint, but the chart input has Sentinels/);
    // 3k has no Redis cache cluster; 10k self-managed has one behind Sentinels.
    expect(() => new GitLabChartStack(Testing.app(), { ...props, endpointParameters: { redisCacheHost: '/gl/gitlab/redis-cache-endpoint' } })).toThrow(
      /endpointParameters\.redisCacheHost names one Redis cache endpoint, but the chart input has no Redis cache \(chart\.redisCache\): remove it/,
    );
    const sentinelCache = { ...props, chart: { ...props.chart, redisCache: { masterName: 'gitlab-redis-cache', sentinels: [{ host: '10.0.1.5' }] } } };
    expect(() => new GitLabChartStack(Testing.app(), { ...sentinelCache, endpointParameters: { redisCacheHost: '/gl/gitlab/redis-cache-endpoint' } })).toThrow(/redisCacheHost .* but the chart input has Sentinels: remove it/);
  });

  it('is refused for a Linux-package environment', () => {
    const infra = new ReferenceArchitectureStack(Testing.app(), { environment: gitlabEnvironment({ size: '2k' }) });
    expect(() => chartStackProps(infra)).toThrow(/the GitLab chart stack is for gitlab.deployment "cloud-native-hybrid" only/);
  });
});
