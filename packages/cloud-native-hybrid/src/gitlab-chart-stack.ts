import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Fn } from 'cdktf';
import type { Construct } from 'constructs';
import { stringify } from 'yaml';
import { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { EnvironmentStack, type EnvironmentConfig } from '@gitlab-aws/core';
import { EXTERNAL_SECRETS, GITLAB_NAMESPACE } from './chart-components';
import { chartValues, type ChartSecret, type HybridChartInput } from './chart-values';
import { chartVersionFor } from './chart-version';
import { POOL_LABEL } from './node-groups';
import { RawProvider, RawResource } from './raw-terraform';
import { gitlabNamespace, objectStorageSecret } from './kubernetes-objects';
import { externalSecretManifests, type SecretSource } from './secret-manifests';

/** The file synth writes beside the stacks, for `helm upgrade --install ... --values` outside Terraform. */
export const VALUES_FILE = 'gitlab-values.yaml';

/** Providers this stack needs; neither is in this machine's offline mirror, so its plan is "not planned" here. */
export const KUBERNETES_PROVIDERS = {
  helm: { name: 'helm', source: 'hashicorp/helm', versionConstraint: '~> 3.0' },
  kubernetes: { name: 'kubernetes', source: 'hashicorp/kubernetes', versionConstraint: '~> 2.38' },
} as const;

/** Chart releases of the cluster's own services, pinned (change them here, with their upgrade notes read). */
export const SUPPORT_CHARTS = {
  externalSecrets: { repository: 'https://charts.external-secrets.io', chart: 'external-secrets', version: '0.19.2' },
  clusterAutoscaler: { repository: 'https://kubernetes.github.io/autoscaler', chart: 'cluster-autoscaler', version: '9.50.1' },
} as const;

export interface GitLabChartStackProps {
  readonly environment: EnvironmentConfig;
  /** The EKS cluster HybridCluster created (its name; the endpoint is read with a data source). */
  readonly clusterName: string;
  /** Where the stateful parts are (from the reference-architecture topology). */
  readonly chart: HybridChartInput;
  /** Where each chart secret lives in AWS (SSM parameters the nodes generate; Secrets Manager for managed ones). */
  readonly secretSources: Partial<Record<ChartSecret, SecretSource>>;
  /**
   * Hosts known only after the AWS stack's apply, by the name of the SSM parameter (type String)
   * the AWS stack writes each into: RDS's and ElastiCache's own endpoints (from 10k, the Redis
   * cache's too), the names their TLS certificates carry. Read at plan time; they replace the chart
   * input's host. Default: none.
   */
  readonly endpointParameters?: { readonly postgresHost?: string; readonly redisHost?: string; readonly redisCacheHost?: string };
}

/** What the written values file shows for a host read from SSM at deploy time. */
export const fromSsmPlaceholder = (parameter: string) => `<from SSM parameter ${parameter}>`;

/**
 * The Kubernetes side of Cloud Native Hybrid, in a stack of its own: External Secrets Operator and
 * its SecretStores/ExternalSecrets, the Cluster Autoscaler, and GitLab's chart with the values
 * rendered from the topology. Uses the hashicorp/helm and hashicorp/kubernetes providers (signed in
 * with `aws eks get-token`, as the deploying role), which need the cluster's API at plan time.
 */
export class GitLabChartStack extends EnvironmentStack {
  /** The values as written to VALUES_FILE: hosts read from SSM at deploy show as fromSsmPlaceholder(parameter). */
  readonly values: Record<string, unknown>;

  constructor(scope: Construct, props: GitLabChartStackProps) {
    super(scope, { environment: props.environment, component: 'gitlab-chart' });
    const env = props.environment;
    const missing = (['shellToken', 'gitalyToken', 'postgresPassword', 'initialRootPassword'] as const).filter((s) => !props.secretSources[s]);
    if (missing.length) throw new Error(`${this.stackId}: no AWS source for the chart secret(s) ${missing.join(', ')}: the chart cannot start without them`);
    const endpoints = props.endpointParameters ?? {};
    if (endpoints.redisHost && !('host' in props.chart.redis)) throw new Error(`${this.stackId}: endpointParameters.redisHost names one Redis endpoint, but the chart input has Sentinels: remove it`);
    if (endpoints.redisCacheHost && !(props.chart.redisCache && 'host' in props.chart.redisCache)) {
      throw new Error(`${this.stackId}: endpointParameters.redisCacheHost names one Redis cache endpoint, but the chart input has ${props.chart.redisCache ? 'Sentinels' : 'no Redis cache (chart.redisCache)'}: remove it`);
    }
    const cache = props.chart.redisCache;
    const withHosts = (host: (key: 'postgres' | 'redis' | 'redis-cache', parameter: string) => string): HybridChartInput => ({
      ...props.chart,
      ...(endpoints.postgresHost ? { postgres: { ...props.chart.postgres, host: host('postgres', endpoints.postgresHost) } } : {}),
      ...(endpoints.redisHost ? { redis: { ...props.chart.redis, host: host('redis', endpoints.redisHost) } } : {}),
      ...(endpoints.redisCacheHost && cache ? { redisCache: { ...cache, host: host('redis-cache', endpoints.redisCacheHost) } } : {}),
    });
    this.values = chartValues(withHosts((_, parameter) => fromSsmPlaceholder(parameter)));
    // The release gets the endpoints themselves, read from SSM when planned.
    const releaseValues = chartValues(withHosts((key, parameter) => new DataAwsSsmParameter(this, `${key}-endpoint`, { name: parameter }).value));

    const cluster = new DataAwsEksCluster(this, 'cluster', { name: props.clusterName });
    const access = {
      host: cluster.endpoint,
      cluster_ca_certificate: Fn.base64decode(cluster.certificateAuthority.get(0).data),
      exec: { api_version: 'client.authentication.k8s.io/v1beta1', command: 'aws', args: ['eks', 'get-token', '--cluster-name', props.clusterName, '--region', env.region] },
    };
    const kubernetes = new RawProvider(this, 'kubernetes', KUBERNETES_PROVIDERS.kubernetes, access);
    const helm = new RawProvider(this, 'helm', KUBERNETES_PROVIDERS.helm, { kubernetes: access });

    const supporting = { nodeSelector: { [POOL_LABEL]: 'supporting' } };
    const externalSecrets = new RawResource(this, 'external-secrets', 'helm_release', helm, {
      name: 'external-secrets',
      namespace: EXTERNAL_SECRETS.namespace,
      create_namespace: true,
      ...SUPPORT_CHARTS.externalSecrets,
      values: [stringify({ installCRDs: true, serviceAccount: { create: true, name: EXTERNAL_SECRETS.serviceAccount }, ...supporting, webhook: supporting, certController: supporting })],
      wait: true,
    });
    new RawResource(this, 'cluster-autoscaler', 'helm_release', helm, {
      name: 'cluster-autoscaler',
      namespace: 'kube-system',
      ...SUPPORT_CHARTS.clusterAutoscaler,
      values: [
        stringify({
          autoDiscovery: { clusterName: props.clusterName },
          awsRegion: env.region,
          rbac: { serviceAccount: { create: true, name: 'cluster-autoscaler' } },
          extraArgs: { 'balance-similar-node-groups': true, 'skip-nodes-with-system-pods': false },
          ...supporting,
        }),
      ],
    });

    // The objects of kubernetes-objects.ts (validated against Kubernetes' schemas in its tests), as the provider's resources.
    const namespace = new RawResource(this, 'gitlab-namespace', 'kubernetes_namespace_v1', kubernetes, { metadata: gitlabNamespace().metadata });
    const secret = objectStorageSecret(env.region);
    // The provider's `data` takes plain text and encodes it, like the object's stringData.
    const storage = new RawResource(this, 'object-storage', 'kubernetes_secret_v1', kubernetes, { metadata: secret.metadata, type: secret.type, data: secret.stringData }, { dependsOn: [namespace] });
    const synced = externalSecretManifests(env.region, props.secretSources).map(
      (manifest, i) => new RawResource(this, `secret-sync-${i}`, 'kubernetes_manifest', kubernetes, { manifest }, { dependsOn: [externalSecrets, namespace] }),
    );

    new RawResource(this, 'gitlab', 'helm_release', helm, {
      name: 'gitlab',
      namespace: GITLAB_NAMESPACE,
      repository: 'https://charts.gitlab.io',
      chart: 'gitlab',
      version: chartVersionFor(props.chart.version),
      values: [stringify(releaseValues)],
      timeout: 1200,
      wait: true,
    }, { dependsOn: [storage, ...synced] });

    const inner = this.synthesizer;
    this.synthesizer = {
      synthesize: (session) => {
        inner.synthesize(session);
        mkdirSync(session.outdir, { recursive: true });
        const fromSsm = Object.entries(endpoints).map(([key, parameter]) => `#   ${key}: aws ssm get-parameter --name ${parameter} --query Parameter.Value --output text\n`).join('');
        const header = `# GitLab chart ${chartVersionFor(props.chart.version)} values for ${env.name}: no secret values, only Secret references.\n${fromSsm ? `# Replace each <from SSM parameter ...> with its value before helm reads this file:\n${fromSsm}` : ''}`;
        writeFileSync(join(session.outdir, VALUES_FILE), `${header}${stringify(this.values)}`);
      },
    };
  }
}
