import { CHART_SECRETS } from './chart-values';
import { GITLAB_NAMESPACE } from './chart-components';
import { objectStorageConnection } from './secret-manifests';

/** A built-in Kubernetes object as the API server reads it (core/v1 here). */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly [field: string]: unknown;
}

/** The namespace GitLab's chart is installed into; Terraform creates it before the Secrets it holds. */
export function gitlabNamespace(): KubernetesObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: GITLAB_NAMESPACE } };
}

/**
 * The Secret holding the chart's object-storage connection. No credential inside: Fog signs with
 * the pod's Pod Identity credentials (`use_iam_profile`).
 */
export function objectStorageSecret(region: string): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: CHART_SECRETS.objectStorage.secret, namespace: GITLAB_NAMESPACE },
    type: 'Opaque',
    stringData: { [CHART_SECRETS.objectStorage.key]: objectStorageConnection(region) },
  };
}
