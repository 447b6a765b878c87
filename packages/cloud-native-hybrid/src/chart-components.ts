/** Namespace the GitLab chart is installed into. */
export const GITLAB_NAMESPACE = 'gitlab';

/** Chart components that reach AWS (object storage), each with a service account of its own. */
export const AWS_COMPONENTS = ['webservice', 'sidekiq', 'toolbox', 'registry'] as const;
export type AwsComponent = (typeof AWS_COMPONENTS)[number];

/** Service account per component: the chart values name them, the Pod Identity associations bind them. */
export const COMPONENT_SERVICE_ACCOUNTS: Readonly<Record<AwsComponent, string>> = {
  webservice: 'gitlab-webservice',
  sidekiq: 'gitlab-sidekiq',
  toolbox: 'gitlab-toolbox',
  registry: 'gitlab-registry',
};

/** Object-storage data types Rails (webservice and Sidekiq) reads and writes. */
export const RAILS_BUCKETS = ['artifacts', 'lfs', 'uploads', 'packages', 'mr-diffs', 'terraform-state', 'dependency-proxy', 'ci-secure-files'] as const;
export type RailsBucket = (typeof RAILS_BUCKETS)[number];
export type HybridBucket = RailsBucket | 'backups' | 'registry';

/** Buckets each component may use: toolbox backs up and restores every Rails bucket; the registry only its own. */
export const COMPONENT_BUCKETS: Readonly<Record<AwsComponent, readonly HybridBucket[]>> = {
  webservice: RAILS_BUCKETS,
  sidekiq: RAILS_BUCKETS,
  toolbox: [...RAILS_BUCKETS, 'backups'],
  registry: ['registry'],
};

/** Service account of the External Secrets Operator, which copies SSM/Secrets Manager values into Kubernetes Secrets. */
export const EXTERNAL_SECRETS = { namespace: 'external-secrets', serviceAccount: 'external-secrets' } as const;
