/**
 * Kubernetes minor version new clusters run. 1.35 reached EKS in January 2026 with standard support
 * until March 2027 (docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html); a newer one
 * can be set per environment once the GitLab chart in use supports it.
 */
export const DEFAULT_KUBERNETES_VERSION = '1.35';

/** Oldest minor version accepted: older ones are in EKS extended support (billed extra) or gone. */
export const OLDEST_KUBERNETES_VERSION = '1.33';

/** Checks a "1.NN" version against the accepted range; returns the problem or undefined. */
export function kubernetesVersionProblem(version: string): string | undefined {
  const match = /^1\.(\d{2})$/.exec(version);
  if (!match) return `expected a Kubernetes minor version such as "${DEFAULT_KUBERNETES_VERSION}", got "${version}"`;
  const oldest = Number(OLDEST_KUBERNETES_VERSION.split('.')[1]);
  if (Number(match[1]) < oldest) return `Kubernetes ${version} is older than ${OLDEST_KUBERNETES_VERSION}, the oldest version in EKS standard support this project accepts`;
  return undefined;
}
