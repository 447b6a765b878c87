import type { Construct } from 'constructs';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { HybridCluster, type ChartRedis, type ChartSecret, type GitLabChartStackProps, type HybridBucket, type HybridChartInput, type SecretSource } from '@gitlab-aws/cloud-native-hybrid';
import { fitName, isHaSize, spokeDeployRoleArn, type EnvironmentConfig, type ResourceNames } from '@gitlab-aws/core';
import {
  gitalyEndpoint,
  generatedSecrets,
  loadBalancingHosts,
  railsDatabase,
  railsRedis,
  redisCluster,
  redisClusters,
  sharedSecretName,
  ssmParameterName,
  type GitLabTopology,
  type RedisCluster,
} from '@gitlab-aws/gitlab-config';
import type { ArchitecturePlan } from './architecture-plan';
import type { ObjectStorageType } from './object-storage';

/**
 * The generated secrets the chart reads through External Secrets: the same SSM parameters the
 * Gitaly/Praefect/PostgreSQL/Redis nodes use, so both sides share one value. 3k's chart talks to
 * Praefect, so it needs Praefect's external token, not Gitaly's own.
 */
export const CHART_SECRET_PARAMETERS = ['gitlab-shell-token', 'gitaly-token', 'praefect-external-token', 'gitlab-db-password', 'redis-password', 'redis-cache-password', 'initial-root-password'] as const;

/** Names of the chart's SSM parameters in this topology (only those it generates). */
export function chartSecretParameters(topology: GitLabTopology): string[] {
  const chartGitalyToken = isHaSize(topology.size) ? 'praefect-external-token' : 'gitaly-token';
  const wanted = new Set<string>(CHART_SECRET_PARAMETERS.filter((n) => !(n === 'gitaly-token' || n === 'praefect-external-token') || n === chartGitalyToken));
  return generatedSecrets(topology)
    .filter((s) => wanted.has(s.name))
    .map((s) => ssmParameterName(topology, s.name));
}

export interface HybridComputeProps {
  readonly environment: EnvironmentConfig;
  readonly plan: ArchitecturePlan;
  readonly topology: GitLabTopology;
  readonly names: ResourceNames;
  readonly partition: string;
  readonly privateSubnetIds: string[];
  readonly buckets: Readonly<Record<ObjectStorageType, string>>;
  /** The environment's key: the buckets' and the SecureStrings'. */
  readonly kmsKeyArn: string;
  /** prevent_destroy on the cluster's secrets key (gitlab.protectData, production by default). */
  readonly protect: boolean;
}

/** The cluster's name, known at synth: room for the role names the package derives ("<name>-cluster-autoscaler" within IAM's 64). */
export function hybridClusterName(names: ResourceNames): string {
  return fitName(names.name('eks'), 40);
}

/** The EKS side of a Cloud Native Hybrid deployment, wired to this environment's network, buckets and secrets. */
export function hybridCompute(scope: Construct, id: string, props: HybridComputeProps): HybridCluster {
  const { environment: env, plan } = props;
  const k8s = plan.config.kubernetes;
  const parameterArn = (name: string) => `arn:${props.partition}:ssm:${env.region}:${env.accountId}:parameter/${name.replace(/^\//, '')}`;
  return new HybridCluster(scope, id, {
    name: hybridClusterName(props.names),
    accountId: env.accountId,
    partition: props.partition,
    region: env.region,
    subnetIds: props.privateSubnetIds,
    size: plan.config.size,
    kubernetesVersion: k8s?.version,
    publicAccessCidrs: k8s?.publicAccessCidrs,
    maxScaleFactor: k8s?.maxScaleFactor,
    // The k6-operator runners' pool (docs/load-tests.md), only when the environment file asks for it.
    ...(k8s?.loadTestPool?.enabled ? { loadTestPool: { instanceType: k8s.loadTestPool.instanceType, maxNodes: k8s.loadTestPool.maxNodes } } : {}),
    // The pipeline deploys the Kubernetes-side stack with the spoke's deploy role.
    adminRoleArns: env.kind === 'spoke' ? [spokeDeployRoleArn(env)] : [],
    permissionsBoundaryArn: plan.config.permissionsBoundaryArn,
    protect: props.protect,
    buckets: props.buckets as Partial<Record<HybridBucket, string>>,
    bucketKmsKeyArn: props.kmsKeyArn,
    secretParameterArns: chartSecretParameters(props.topology).map(parameterArn),
    // The internal CA's certificate, so the chart trusts Gitaly's and Praefect's TLS (Secrets Manager adds a random suffix).
    secretsManagerArns: [`arn:${props.partition}:secretsmanager:${env.region}:${env.accountId}:secret:${sharedSecretName(props.topology, INTERNAL_CA_CERT)}-*`],
    secretsKmsKeyArn: props.kmsKeyArn,
  });
}

/**
 * SSM parameters (type String, no secret) the AWS stack writes RDS's and ElastiCache's endpoints
 * into, under the topology's secrets prefix. The chart stack reads them when planned, so the chart
 * reaches the managed services by the names their TLS certificates carry (a private-zone CNAME is
 * not among them). The values file is written at synth, before those endpoints exist.
 */
export const CHART_ENDPOINT_PARAMETERS = { postgresHost: 'postgres-endpoint', redisHost: 'redis-endpoint', redisCacheHost: 'redis-cache-endpoint' } as const;
type EndpointKey = keyof typeof CHART_ENDPOINT_PARAMETERS;

/** The endpoint parameters a topology has: RDS for the Rails database, ElastiCache for Redis and (10k and up) for the Redis cache. */
function endpointKeys(t: GitLabTopology): EndpointKey[] {
  const managed: Record<EndpointKey, unknown> = { postgresHost: t.managed.postgres, redisHost: t.managed.redis, redisCacheHost: t.managed.redisCache };
  return (Object.keys(CHART_ENDPOINT_PARAMETERS) as EndpointKey[]).filter((key) => managed[key]);
}

const ENDPOINT_SERVICES: Record<EndpointKey, string> = { postgresHost: 'RDS', redisHost: 'ElastiCache (Redis)', redisCacheHost: 'ElastiCache (Redis cache)' };

/** Writes the managed endpoints (tokens of RDS and ElastiCache) into their SSM parameters. */
export function chartEndpointParameters(scope: Construct, topology: GitLabTopology, endpoints: Readonly<Partial<Record<EndpointKey, string>>>): SsmParameter[] {
  return endpointKeys(topology).map((key) => {
    const value = endpoints[key];
    if (!value) throw new Error(`chart endpoint parameters: the topology has a managed ${key.replace('Host', '')} but no endpoint was given for it (${key})`);
    return new SsmParameter(scope, `chart-${CHART_ENDPOINT_PARAMETERS[key]}`, {
      name: ssmParameterName(topology, CHART_ENDPOINT_PARAMETERS[key]),
      type: 'String',
      value,
      description: `Endpoint the GitLab chart reaches ${ENDPOINT_SERVICES[key]} at (the name its TLS certificate carries)`,
    });
  });
}

/** The shared file holding the internal CA's certificate (gitlab-config's internalCaFiles). */
const INTERNAL_CA_CERT = 'internal-ca-cert';

/**
 * What the chart stack needs, from the same topology the nodes are configured from: every
 * endpoint the chart's pods call is the one the security groups were checked against.
 */
export function gitlabChartProps(props: { environment: EnvironmentConfig; plan: ArchitecturePlan; topology: GitLabTopology; clusterName: string; buckets: Readonly<Record<ObjectStorageType, string>> }): GitLabChartStackProps {
  const t = props.topology;
  // RDS and ElastiCache endpoints are known only after apply: the chart input carries the private
  // zone's names, which the chart stack replaces with the endpoints read from SSM (endpointParameters).
  const domain = props.plan.internalDomain;
  const db = { ...railsDatabase(t), ...(t.managed.postgres ? { host: `postgres.${domain}` } : {}) };
  // Managed Redis by its private-zone name ("redis", "redis-cache"), self-managed by its Sentinels.
  const chartRedis = (cluster: RedisCluster): ChartRedis => {
    const wired = railsRedis(t, cluster);
    const c = redisCluster(t, cluster);
    if (wired.kind === 'sentinel') return { masterName: c.masterName, sentinels: wired.sentinels.map((s) => ({ host: s.host, port: s.port })) };
    const managed = cluster === 'cache' ? t.managed.redisCache : t.managed.redis;
    return { host: managed ? `${c.role}.${domain}` : wired.endpoint.host, port: wired.endpoint.port, tls: wired.tls, auth: wired.password };
  };
  const gitaly = gitalyEndpoint(t);
  const chart: HybridChartInput = {
    size: t.size,
    version: t.version,
    edition: t.edition,
    externalUrl: t.externalUrl,
    region: t.region,
    // The ALB carries no SSH: Git over SSH has an NLB of its own at ssh.<host> (ExternalLoadBalancer).
    ...(props.plan.config.externalLoadBalancer === 'alb' ? { sshHost: `ssh.${new URL(t.externalUrl).hostname}` } : {}),
    postgres: { host: db.host, port: db.port, database: db.database, loadBalancingHosts: loadBalancingHosts(t).map((h) => h.host) },
    redis: chartRedis('persistent'),
    ...(redisClusters(t).includes('cache') ? { redisCache: chartRedis('cache') } : {}),
    gitaly: { ...(isHaSize(t.size) ? { praefect: { host: gitaly.host, port: gitaly.port } } : { node: { name: 'default', host: gitaly.host, port: gitaly.port } }), tls: true },
    buckets: props.buckets as Record<HybridBucket, string>,
    backupCron: t.backups.cron,
  };
  const ssm = (name: string): SecretSource => ({ ssmParameter: ssmParameterName(t, name) });
  const generated = new Set(generatedSecrets(t).map((s) => s.name));
  const secretSources: Partial<Record<ChartSecret, SecretSource>> = {
    shellToken: ssm('gitlab-shell-token'),
    gitalyToken: ssm(isHaSize(t.size) ? 'praefect-external-token' : 'gitaly-token'),
    postgresPassword: ssm('gitlab-db-password'),
    initialRootPassword: ssm('initial-root-password'),
    ...(generated.has('redis-password') ? { redisPassword: ssm('redis-password') } : {}),
    ...(generated.has('redis-cache-password') ? { redisCachePassword: ssm('redis-cache-password') } : {}),
    internalCaCert: { secretsManager: sharedSecretName(t, INTERNAL_CA_CERT) },
  };
  const endpointParameters = Object.fromEntries(endpointKeys(t).map((key) => [key, ssmParameterName(t, CHART_ENDPOINT_PARAMETERS[key])]));
  return { environment: props.environment, clusterName: props.clusterName, chart, secretSources, endpointParameters };
}
