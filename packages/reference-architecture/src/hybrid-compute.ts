import type { Construct } from 'constructs';
import { HybridCluster, type HybridBucket } from '@gitlab-aws/cloud-native-hybrid';
import { fitName, spokeDeployRoleArn, type EnvironmentConfig, type ResourceNames } from '@gitlab-aws/core';
import { generatedSecrets, ssmParameterName, type GitLabTopology } from '@gitlab-aws/gitlab-config';
import type { ArchitecturePlan } from './architecture-plan';
import type { ObjectStorageType } from './object-storage';

/**
 * The generated secrets the chart reads through External Secrets: the same SSM parameters the
 * Gitaly/Praefect/PostgreSQL/Redis nodes use, so both sides share one value. 3k's chart talks to
 * Praefect, so it needs Praefect's external token, not Gitaly's own.
 */
export const CHART_SECRET_PARAMETERS = ['gitlab-shell-token', 'gitaly-token', 'praefect-external-token', 'gitlab-db-password', 'redis-password', 'initial-root-password'] as const;

/** Names of the chart's SSM parameters in this topology (only those it generates). */
export function chartSecretParameters(topology: GitLabTopology): string[] {
  const chartGitalyToken = topology.size === '3k' ? 'praefect-external-token' : 'gitaly-token';
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

/** The EKS side of a Cloud Native Hybrid deployment, wired to this environment's network, buckets and secrets. */
export function hybridCompute(scope: Construct, id: string, props: HybridComputeProps): HybridCluster {
  const { environment: env, plan } = props;
  const k8s = plan.config.kubernetes;
  const parameterArn = (name: string) => `arn:${props.partition}:ssm:${env.region}:${env.accountId}:parameter/${name.replace(/^\//, '')}`;
  return new HybridCluster(scope, id, {
    // Room for the role names the package derives ("<name>-cluster-autoscaler" within IAM's 64).
    name: fitName(props.names.name('eks'), 40),
    accountId: env.accountId,
    partition: props.partition,
    region: env.region,
    subnetIds: props.privateSubnetIds,
    size: plan.config.size,
    kubernetesVersion: k8s?.version,
    publicAccessCidrs: k8s?.publicAccessCidrs,
    maxScaleFactor: k8s?.maxScaleFactor,
    // The pipeline deploys the Kubernetes-side stack with the spoke's deploy role.
    adminRoleArns: env.kind === 'spoke' ? [spokeDeployRoleArn(env)] : [],
    permissionsBoundaryArn: plan.config.permissionsBoundaryArn,
    protect: props.protect,
    buckets: props.buckets as Partial<Record<HybridBucket, string>>,
    bucketKmsKeyArn: props.kmsKeyArn,
    secretParameterArns: chartSecretParameters(props.topology).map(parameterArn),
    secretsKmsKeyArn: props.kmsKeyArn,
  });
}
