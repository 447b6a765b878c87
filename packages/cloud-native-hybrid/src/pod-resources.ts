import type { GitLabSize } from '@gitlab-aws/core';

/** CPU and memory of one pod, in Kubernetes quantities. */
export interface PodResources {
  readonly cpu: string;
  readonly memory: string;
}

/** How many pods of a chart component run, and what each asks for. */
export interface ComponentPods {
  readonly pods: number;
  readonly requests: PodResources;
  readonly limits: { readonly memory: string };
  /** Puma workers per webservice pod (webservice only). */
  readonly workers?: number;
}

export interface HybridPods {
  readonly webservice: ComponentPods;
  readonly sidekiq: ComponentPods;
  readonly source: string;
}

const RESOURCES = (size: string) => `docs.gitlab.com/administration/reference_architectures/${size}_users#resource-usage-settings`;
const webservice = (pods: number): ComponentPods => ({ pods, requests: { cpu: '4', memory: '5G' }, limits: { memory: '7G' }, workers: 4 });
const sidekiq = (pods: number): ComponentPods => ({ pods, requests: { cpu: '900m', memory: '2G' }, limits: { memory: '4G' } });

/**
 * Pod counts and resources of the hybrid pages' "resource usage settings": each webservice pod
 * runs 4 Puma workers (3K: 2 nodes x 2 pods x 4 workers = 16, like the Linux-package 3K's 15),
 * Sidekiq pods are small and many. Read from GitLab's 2K/3K pages and the chart MR that sized
 * them (gitlab-org/charts/gitlab!2084); re-check against the page of the pinned GitLab version.
 */
export const HYBRID_PODS: Readonly<Partial<Record<GitLabSize, HybridPods>>> = {
  '2k': { webservice: webservice(3), sidekiq: sidekiq(4), source: 'docs.gitlab.com/administration/reference_architectures/2k_users#resource-usage-settings' },
  '3k': { webservice: webservice(4), sidekiq: sidekiq(8), source: 'docs.gitlab.com/administration/reference_architectures/3k_users#resource-usage-settings; gitlab-org/charts/gitlab!2084' },
  // "At least N Webservice pods" (Puma total / 4) and the initial Sidekiq target, one worker a pod.
  '5k': { webservice: webservice(9), sidekiq: sidekiq(8), source: `${RESOURCES('5k')} at docs commit 49b8c89639ee86f1597e49be9d48990e6ccaa919` },
  '10k': { webservice: webservice(20), sidekiq: sidekiq(14), source: `${RESOURCES('10k')} at docs commit 49b8c89639ee86f1597e49be9d48990e6ccaa919` },
  '25k': { webservice: webservice(35), sidekiq: sidekiq(14), source: `${RESOURCES('25k')} at docs commit 24f563e7738e37f84d028da8378c74d559f8e23d` },
  '50k': { webservice: webservice(77), sidekiq: sidekiq(14), source: `${RESOURCES('50k')} at docs commit 24f563e7738e37f84d028da8378c74d559f8e23d` },
};
