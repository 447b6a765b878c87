import { Construct } from 'constructs';
import type { GitLabSize, PolicyStatement } from '@gitlab-aws/core';
import { ClusterAddons } from './cluster-addons';
import { clusterAutoscalerStatements } from './cluster-autoscaler';
import { AWS_COMPONENTS, COMPONENT_BUCKETS, COMPONENT_SERVICE_ACCOUNTS, EXTERNAL_SECRETS, GITLAB_NAMESPACE, type AwsComponent, type HybridBucket } from './chart-components';
import { GitLabEksCluster, type GitLabEksClusterProps } from './eks-cluster';
import { GitLabNodeGroups } from './node-groups';
import { hybridSize } from './node-pools';
import { bucketAccessStatements } from './object-storage-statements';
import { PodIdentityRole } from './pod-identity-role';

export interface HybridClusterProps extends GitLabEksClusterProps {
  readonly size: GitLabSize;
  /** Bucket name per data type; the registry's only when the registry is on. */
  readonly buckets: Readonly<Partial<Record<HybridBucket, string>>>;
  /** CMK of the buckets. Default: none (SSE-S3). */
  readonly bucketKmsKeyArn?: string;
  /** ARNs of the SSM parameters External Secrets may read (the chart's tokens and passwords). */
  readonly secretParameterArns: readonly string[];
  /** ARNs of the Secrets Manager secrets External Secrets may read (ElastiCache AUTH token, ...). Default: none. */
  readonly secretsManagerArns?: readonly string[];
  /** KMS key of those parameters and secrets. Default: none (AWS managed keys). */
  readonly secretsKmsKeyArn?: string;
  /** The autoscaler may grow each pool up to this many times GitLab's count. Default: 2. */
  readonly maxScaleFactor?: number;
  /** A tainted pool for k6-operator runners, zero nodes when idle (GitLabNodeGroupsProps.loadTestPool). Default: none. */
  readonly loadTestPool?: { readonly instanceType?: string; readonly maxNodes?: number };
}

/**
 * GitLab's Cloud Native Hybrid compute on EKS: the cluster, GitLab's node pools for the size, the
 * add-ons, and one Pod Identity role per workload that reaches AWS, each limited to what that
 * workload touches. The Kubernetes side (chart, External Secrets, autoscaler) is deployed from the
 * values and manifests this package renders.
 */
export class HybridCluster extends Construct {
  readonly eks: GitLabEksCluster;
  readonly nodeGroups: GitLabNodeGroups;
  readonly componentRoles: Partial<Record<AwsComponent, PodIdentityRole>> = {};

  constructor(scope: Construct, id: string, props: HybridClusterProps) {
    super(scope, id);
    const spec = hybridSize(props.size);
    this.eks = new GitLabEksCluster(this, 'eks', props);
    const cluster = this.eks.cluster;
    const common = { clusterName: cluster.name, clusterArn: cluster.arn, accountId: props.accountId, partition: props.partition, permissionsBoundaryArn: props.permissionsBoundaryArn };
    const addons = new ClusterAddons(this, 'addons', common);
    this.nodeGroups = new GitLabNodeGroups(this, 'pools', {
      clusterName: cluster.name,
      partition: props.partition,
      subnetIds: props.subnetIds,
      pools: spec.pools,
      maxScaleFactor: props.maxScaleFactor,
      loadTestPool: props.loadTestPool,
      permissionsBoundaryArn: props.permissionsBoundaryArn,
      dependsOn: addons.nodeAddons,
    });
    addons.addWorkloadAddons(Object.values(this.nodeGroups.groups));

    const podRole = (name: string, namespace: string, serviceAccount: string, statements: PolicyStatement[]) =>
      new PodIdentityRole(this, `${name}-role`, { ...common, roleName: `${props.name}-${name}`, namespace, serviceAccount, statements });

    podRole('cluster-autoscaler', 'kube-system', 'cluster-autoscaler', clusterAutoscalerStatements({ clusterName: props.name, accountId: props.accountId, partition: props.partition, region: props.region }));

    for (const component of AWS_COMPONENTS) {
      const names = COMPONENT_BUCKETS[component].map((b) => props.buckets[b]).filter((b): b is string => b !== undefined);
      if (component === 'registry' && names.length === 0) continue;
      const missing = COMPONENT_BUCKETS[component].filter((b) => props.buckets[b] === undefined);
      if (missing.length) throw new Error(`hybrid cluster ${props.name}: buckets ${missing.join(', ')} are missing for ${component}`);
      this.componentRoles[component] = podRole(component, GITLAB_NAMESPACE, COMPONENT_SERVICE_ACCOUNTS[component], bucketAccessStatements({ partition: props.partition, region: props.region, bucketNames: names, kmsKeyArn: props.bucketKmsKeyArn }));
    }

    podRole('external-secrets', EXTERNAL_SECRETS.namespace, EXTERNAL_SECRETS.serviceAccount, externalSecretsStatements(props));
  }
}

/** External Secrets may read exactly the parameters and secrets listed, and decrypt them only through those services. */
export function externalSecretsStatements(p: Pick<HybridClusterProps, 'region' | 'secretParameterArns' | 'secretsManagerArns' | 'secretsKmsKeyArn'>): PolicyStatement[] {
  if (p.secretParameterArns.length === 0) throw new Error('external secrets: no SSM parameter to read; the chart needs at least the GitLab Shell and Gitaly tokens');
  const statements: PolicyStatement[] = [{ Sid: 'ReadChartParameters', Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:GetParameters'], Resource: [...p.secretParameterArns] }];
  if (p.secretsManagerArns?.length) {
    statements.push({ Sid: 'ReadChartSecrets', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: [...p.secretsManagerArns] });
  }
  if (p.secretsKmsKeyArn) {
    statements.push({
      Sid: 'DecryptThroughSsmAndSecretsManager',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: p.secretsKmsKeyArn,
      Condition: { StringEquals: { 'kms:ViaService': [`ssm.${p.region}.amazonaws.com`, `secretsmanager.${p.region}.amazonaws.com`] } },
    });
  }
  return statements;
}
