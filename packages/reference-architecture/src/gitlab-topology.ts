import type { EnvironmentConfig } from '@gitlab-aws/core';
import { REDIS_CACHE_MEMORY_SHARE, type GitLabTopologyInput, type ManagedEndpoints, type NodeRole } from '@gitlab-aws/gitlab-config';
import { environmentFileOf, type ArchitecturePlan } from './architecture-plan';
import { kebab, type NodePlan } from './node-placement';
import type { ObjectStorageType } from './object-storage';

/** SSM path under which the nodes keep GitLab's generated secrets and their boot status. */
export function secretsPrefix(environment: string): string {
  return `/gitlab-aws/${environment}/gitlab`;
}

/** Host name of the internal load balancer in the private zone (an alias record the stack creates). */
export function internalLoadBalancerHost(plan: Pick<ArchitecturePlan, 'internalDomain'>): string {
  return `internal.${plan.internalDomain}`;
}

/** The gitlab-config role of a reference-architecture role ("praefectPostgres" -> "praefect-postgres"). */
export function nodeRoleOf(role: string): NodeRole {
  return kebab(role) as NodeRole;
}

export interface GitLabTopologyInputProps {
  readonly environment: EnvironmentConfig;
  readonly plan: ArchitecturePlan;
  readonly nodes: readonly NodePlan[];
  readonly vpcCidr: string;
  readonly buckets: Readonly<Record<ObjectStorageType, string>>;
  /** RDS / ElastiCache endpoints and secrets (Terraform references are fine). */
  readonly managed: ManagedEndpoints;
  /** KMS key (alias name, so the user data stays known at plan) for the SecureStrings and secrets. */
  readonly kmsKeyId: string;
  /** GitLab's own backup schedule (crontab) and local retention. Default: gitlab-config's. */
  readonly backups?: { readonly cron: string; readonly keepDays: number };
  /** Subnets the external load balancer's HTTP health checks come from (its public subnets). Default: none. */
  readonly healthCheckCidrs?: readonly string[];
  /** Data volume ID (a Terraform reference) per node name, for the nodes that have one. Default: none. */
  readonly dataVolumeIds?: Readonly<Record<string, string>>;
}

/**
 * The GitLab configuration's view of this environment, from the infrastructure's own plan: node
 * names, fixed addresses and zones, the managed endpoints, the buckets and where secrets live.
 * Nodes need fixed addresses, which only a VPC created here gives.
 */
export function gitlabTopologyInput(props: GitLabTopologyInputProps): GitLabTopologyInput {
  const { environment: env, plan } = props;
  const config = plan.config;
  const unaddressed = props.nodes.filter((n) => !n.privateIp);
  if (unaddressed.length) {
    throw new Error(
      `${environmentFileOf(env)}: network.existing: GitLab's configuration at boot needs a fixed private address per node, and the ranges of an existing VPC's subnets are unknown here (${unaddressed.map((n) => n.name).join(', ')}): let the stack create the VPC (network.vpcCidr without "existing"), or pass your own userData to ReferenceArchitectureStack`,
    );
  }
  // The cache's LRU limit: GitLab's share of memory for the node type actually chosen (overrides included).
  const cache = plan.roles.find((r) => r.role === 'redisCache' && r.deployment === 'ec2');
  return {
    size: config.size,
    ...(plan.hybrid ? { applicationTier: 'kubernetes' as const } : {}),
    externalUrl: config.externalUrl,
    region: env.region,
    vpcCidr: props.vpcCidr,
    edition: config.edition,
    version: config.version,
    nodes: props.nodes.map((n) => ({
      role: nodeRoleOf(n.role),
      name: n.name,
      privateIp: n.privateIp!,
      availabilityZone: n.availabilityZone,
      ...(props.dataVolumeIds?.[n.name] ? { dataVolumeId: props.dataVolumeIds[n.name] } : {}),
    })),
    managed: props.managed,
    ...(plan.internalLoadBalancer ? { internalLoadBalancerDns: internalLoadBalancerHost(plan) } : {}),
    buckets: { ...props.buckets },
    ...(props.backups ? { backups: { ...props.backups } } : {}),
    ...(props.healthCheckCidrs?.length ? { healthCheckCidrs: [...props.healthCheckCidrs] } : {}),
    secrets: { prefix: secretsPrefix(env.name), kmsKeyId: props.kmsKeyId },
    ...(config.allowSingleNodePraefectDatabase ? { allowSingleNodePraefectDatabase: true } : {}),
    ...(cache ? { redisCacheMaxMemoryMb: Math.floor(cache.spec.memoryGiB * 1024 * REDIS_CACHE_MEMORY_SHARE) } : {}),
  };
}
