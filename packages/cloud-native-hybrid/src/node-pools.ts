import type { GitLabSize } from '@gitlab-aws/core';

/** The Kubernetes node pools of GitLab's Cloud Native Hybrid tables. */
export const POOL_NAMES = ['webservice', 'sidekiq', 'supporting'] as const;
export type PoolName = (typeof POOL_NAMES)[number];

/** One node pool as GitLab's hybrid table lists it. */
export interface PoolSpec {
  /** Nodes GitLab's table lists: the managed node group's desired and minimum size. */
  readonly count: number;
  readonly instanceType: string;
  readonly vCpu: number;
  readonly memoryGiB: number;
}

export interface HybridSizeSpec {
  readonly pools: Readonly<Record<PoolName, PoolSpec>>;
  /** Where the rows come from. */
  readonly source: string;
}

const PAGES = 'docs.gitlab.com/administration/reference_architectures';
/** GitLab's docs source (gitlab-org/gitlab master, 18.x era) the larger sizes were read from. */
const DOCS_AT = (commit: string) => `gitlab-org/gitlab doc/administration/reference_architectures at commit ${commit}`;

const pool = (count: number, instanceType: string, vCpu: number, memoryGiB: number): PoolSpec => ({ count, instanceType, vCpu, memoryGiB });

/**
 * GitLab's Cloud Native Hybrid tables ("Cloud Native Hybrid reference architecture with Helm
 * Charts" sections of the 2K to 50K pages, docs.gitlab.com/administration/reference_architectures/,
 * GitLab 19.x docs). POC has no hybrid table: it is one VM by design.
 */
export const HYBRID_SIZES: Readonly<Partial<Record<GitLabSize, HybridSizeSpec>>> = {
  '2k': {
    pools: { webservice: pool(3, 'c5.2xlarge', 8, 16), sidekiq: pool(2, 'm5.xlarge', 4, 16), supporting: pool(2, 'm5.large', 2, 8) },
    source: 'docs.gitlab.com/administration/reference_architectures/2k_users (Cloud Native Hybrid table), GitLab 19.x',
  },
  '3k': {
    pools: { webservice: pool(2, 'c5.4xlarge', 16, 32), sidekiq: pool(3, 'm5.xlarge', 4, 16), supporting: pool(2, 'm5.large', 2, 8) },
    source: 'docs.gitlab.com/administration/reference_architectures/3k_users (Cloud Native Hybrid table), GitLab 19.x',
  },
  '5k': {
    pools: { webservice: pool(3, 'c5.4xlarge', 16, 32), sidekiq: pool(3, 'm5.xlarge', 4, 16), supporting: pool(2, 'm5.large', 2, 8) },
    source: `${PAGES}/5k_users (Cloud Native Hybrid table), ${DOCS_AT('49b8c89639ee86f1597e49be9d48990e6ccaa919')}`,
  },
  '10k': {
    pools: { webservice: pool(3, 'c5.9xlarge', 36, 72), sidekiq: pool(4, 'm5.xlarge', 4, 16), supporting: pool(2, 'm5.xlarge', 4, 16) },
    source: `${PAGES}/10k_users (Cloud Native Hybrid table), ${DOCS_AT('49b8c89639ee86f1597e49be9d48990e6ccaa919')}`,
  },
  '25k': {
    pools: { webservice: pool(5, 'c5.9xlarge', 36, 72), sidekiq: pool(4, 'm5.xlarge', 4, 16), supporting: pool(2, 'm5.xlarge', 4, 16) },
    source: `${PAGES}/25k_users (Cloud Native Hybrid table), ${DOCS_AT('24f563e7738e37f84d028da8378c74d559f8e23d')}`,
  },
  '50k': {
    pools: { webservice: pool(11, 'c5.9xlarge', 36, 72), sidekiq: pool(4, 'm5.xlarge', 4, 16), supporting: pool(2, 'm5.xlarge', 4, 16) },
    source: `${PAGES}/50k_users (Cloud Native Hybrid table), ${DOCS_AT('24f563e7738e37f84d028da8378c74d559f8e23d')}`,
  },
};

/** The hybrid table of `size`, or an error that says which sizes have one. */
export function hybridSize(size: GitLabSize): HybridSizeSpec {
  const spec = HYBRID_SIZES[size];
  if (!spec) {
    throw new Error(`gitlab.size "${size}" has no Cloud Native Hybrid table: GitLab publishes one for ${Object.keys(HYBRID_SIZES).join(', ')}; use one of those or gitlab.deployment "linux-package"`);
  }
  return spec;
}
