import { stringify } from 'yaml';
import { CHART_SECRETS, type ChartSecret } from './chart-values';
import { GITLAB_NAMESPACE } from './chart-components';

/** Where a chart secret's value lives in AWS. */
export type SecretSource = { readonly ssmParameter: string } | { readonly secretsManager: string; readonly jsonKey?: string };

/** Name of the SecretStore objects the ExternalSecrets read through (one per AWS service). */
export const SECRET_STORES = { ssm: 'aws-parameter-store', secretsManager: 'aws-secrets-manager' } as const;

/**
 * The Kubernetes objects that carry GitLab's credentials into the cluster without a value in any
 * file: two SecretStores (External Secrets Operator, authenticated by its Pod Identity) and one
 * ExternalSecret per chart secret, each naming the SSM parameter or Secrets Manager secret the VMs
 * use too, so the chart and the Gitaly/Praefect nodes share one token.
 */
export function externalSecretManifests(region: string, sources: Partial<Record<ChartSecret, SecretSource>>): Record<string, unknown>[] {
  const store = (name: string, service: 'ParameterStore' | 'SecretsManager') => ({
    apiVersion: 'external-secrets.io/v1',
    kind: 'SecretStore',
    metadata: { name, namespace: GITLAB_NAMESPACE },
    spec: { provider: { aws: { service, region } } },
  });
  const manifests: Record<string, unknown>[] = [store(SECRET_STORES.ssm, 'ParameterStore'), store(SECRET_STORES.secretsManager, 'SecretsManager')];
  for (const [name, source] of Object.entries(sources) as [ChartSecret, SecretSource][]) {
    const target = CHART_SECRETS[name];
    const remoteRef = 'ssmParameter' in source ? { key: source.ssmParameter } : { key: source.secretsManager, ...(source.jsonKey ? { property: source.jsonKey } : {}) };
    manifests.push({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: target.secret, namespace: GITLAB_NAMESPACE },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'SecretStore', name: 'ssmParameter' in source ? SECRET_STORES.ssm : SECRET_STORES.secretsManager },
        target: { name: target.secret, creationPolicy: 'Owner' },
        data: [{ secretKey: target.key, remoteRef }],
      },
    });
  }
  return manifests;
}

/**
 * The object-storage connection the chart reads from a Secret. It holds no credential: Fog uses
 * the pod's AWS credentials (Pod Identity) because `use_iam_profile` is set.
 */
export function objectStorageConnection(region: string): string {
  return stringify({ provider: 'AWS', region, use_iam_profile: true });
}

/** The registry's S3 storage driver settings; no keys, so the registry uses the pod's AWS credentials. */
export function registryStorageConfig(region: string, bucket: string): string {
  return stringify({ s3: { bucket, region, v4auth: true, encrypt: true } });
}
