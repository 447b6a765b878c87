import type { EnvironmentConfig, EnvironmentProblem, GitLabConfig, GitLabNodeRole } from '@gitlab-aws/core';
import { GITLAB_NODE_ROLES } from '@gitlab-aws/core';
import { instanceSpec, knownFamilies, type InstanceSpec } from './instance-types';
import { HA_ROLES, QUORUM_ROLES, SIZES, type DataVolumeSpec, type SizeSpec } from './sizes';

/** Where a role runs: EC2 nodes built from the Linux package, or an AWS managed service. */
export type RoleDeployment = 'ec2' | 'rds' | 'elasticache';

/** One role as this environment builds it: the size's row with the file's overrides applied. */
export interface RolePlan {
  readonly role: GitLabNodeRole;
  readonly deployment: RoleDeployment;
  readonly count: number;
  readonly instanceType: string;
  /** The chosen type's vCPU, memory and architecture. */
  readonly spec: InstanceSpec;
  /** What GitLab's table asks for. */
  readonly required: { readonly vCpu: number; readonly memoryGiB: number };
  readonly dataVolume?: DataVolumeSpec;
}

/** Everything about the environment's GitLab that follows from the file alone (no AWS lookups). */
export interface ArchitecturePlan {
  readonly environment: string;
  readonly size: SizeSpec;
  readonly config: GitLabConfig;
  readonly roles: readonly RolePlan[];
  /**
   * Cloud Native Hybrid: Rails, Sidekiq and monitoring run from GitLab's Helm chart on EKS, so
   * `roles` lists only the stateful roles and the stack adds the cluster.
   */
  readonly hybrid: boolean;
  /** Gitaly Cluster (Praefect in front of Gitaly), 3k only. */
  readonly gitalyCluster: boolean;
  /** The internal NLB: Praefect (TLS, 3305) and PgBouncer (6432) in 3k, the Rails internal API (80) wherever there are several Rails nodes (never in hybrid). */
  readonly internalLoadBalancer: boolean;
  /** Roles whose nodes run a Consul agent (the Consul servers included). */
  readonly consulMembers: readonly GitLabNodeRole[];
  /** Networks allowed to reach the external load balancer. */
  readonly allowedCidrs: readonly string[];
  /** Private DNS zone naming every node and endpoint. */
  readonly internalDomain: string;
}

/** The environment file's path, as problems name it (the loader ensures file name = environment name). */
export function environmentFileOf(env: Pick<EnvironmentConfig, 'name'>): string {
  return `environments/${env.name}.json`;
}

/**
 * The role behind the external load balancer (web, API, Git SSH) that also holds the seed duties:
 * 1k's all-in-one node, otherwise Rails (gitlab-config's applicationRole, in this package's names).
 */
export function webRole(roles: readonly Pick<RolePlan, 'role'>[]): GitLabNodeRole {
  return roles.some((r) => r.role === 'allInOne') ? 'allInOne' : 'rails';
}

/** Roles the Helm chart runs on EKS in a Cloud Native Hybrid deployment (GitLab's hybrid tables have no VMs for them). */
export const HYBRID_ROLES: readonly GitLabNodeRole[] = ['rails', 'sidekiq', 'monitoring'];

const MANAGED: Partial<Record<GitLabNodeRole, { component: keyof GitLabConfig['components']; deployment: RoleDeployment }>> = {
  postgres: { component: 'database', deployment: 'rds' },
  redis: { component: 'redis', deployment: 'elasticache' },
  // 10k and up: the cache cluster follows components.redis too (a second replication group).
  redisCache: { component: 'redis', deployment: 'elasticache' },
  praefectPostgres: { component: 'praefectDatabase', deployment: 'rds' },
};

/**
 * Resolves the size's roles with the file's component choices and overrides, and checks them:
 * types known and not below spec (unless allowed), counts that keep quorums and zone spread.
 * Returns the plan, or every problem found (each naming the field and the fix).
 */
export function planArchitecture(env: EnvironmentConfig): { plan?: ArchitecturePlan; problems: EnvironmentProblem[] } {
  const file = environmentFileOf(env);
  const problems: EnvironmentProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ file, field, message });
  const config = env.gitlab;
  if (!config) return { problems: [{ file, field: 'gitlab', message: 'is missing: add { "size": "2k", "externalUrl": "https://gitlab.example.com" }' }] };
  if (!env.network) problem('network', 'is missing: GitLab needs a network, e.g. { "vpcCidr": "10.30.0.0/16" }');
  if (config.protectData === false && env.guardrails.production) {
    problem('gitlab.protectData', 'is false in a production environment, whose stateful resources must survive an accidental destroy: remove it, or mark a throw-away environment with "guardrails": { "production": false }');
  }
  const hybrid = config.deployment === 'cloud-native-hybrid';
  const size = SIZES[config.size];
  const components = config.components;

  if (size.ha && components.praefectDatabase !== 'managed' && !config.allowSingleNodePraefectDatabase) {
    problem(
      'gitlab.components.praefectDatabase',
      `is "linux-package": one PostgreSQL node for Praefect is a single point of failure for all Git traffic, and GitLab requires a highly available database for Praefect in ${config.size}: use "managed" (RDS Multi-AZ), or for a test environment set gitlab.allowSingleNodePraefectDatabase to true`,
    );
  }
  if (!size.ha && components.praefectDatabase === 'managed') {
    problem('gitlab.components.praefectDatabase', `the ${config.size} size has no Gitaly Cluster, so no Praefect database: remove it or use an HA size ("3k" or "5k")`);
  }
  const roles: RolePlan[] = [];
  for (const role of GITLAB_NODE_ROLES) {
    const row = size.roles[role];
    const override = config.instances[role];
    const field = `gitlab.instances.${role}`;
    const managed = MANAGED[role];
    const deployment: RoleDeployment = managed && components[managed.component] === 'managed' ? managed.deployment : 'ec2';
    // Consul serves Patroni and PgBouncer only (Sentinel runs on the Redis nodes): with RDS it has nothing to do.
    const consulIdle = role === 'consul' && components.database === 'managed';
    const onCluster = hybrid && HYBRID_ROLES.includes(role);
    const dropped = !row || (role === 'pgbouncer' && components.database === 'managed') || consulIdle || onCluster;
    if (dropped) {
      if (override) {
        const why = onCluster
          ? `deployment "cloud-native-hybrid" runs ${role} on the EKS cluster's node pools (GitLab's hybrid table), not on nodes`
          : !row
          ? `the ${config.size} size has no ${role} nodes`
          : consulIdle
            ? 'Consul only serves Patroni and PgBouncer, which RDS replaces when components.database is "managed" (Redis Sentinel runs on the Redis nodes)'
            : 'RDS replaces PgBouncer when components.database is "managed"';
        problem(field, `${why}: remove it`);
      }
      continue;
    }
    const instanceType = override?.instanceType ?? (deployment === 'ec2' ? row.instanceType : row.managedClass!);
    const count = override?.count ?? (deployment === 'rds' ? 1 : row.count);
    const spec = instanceSpec(instanceType);
    const kind = deployment === 'ec2' ? 'ec2' : deployment === 'rds' ? 'db' : 'cache';
    const kindOf = (t: string) => (t.startsWith('db.') ? 'db' : t.startsWith('cache.') ? 'cache' : 'ec2');
    if (kindOf(instanceType) !== kind) {
      const example = kind === 'ec2' ? row.instanceType : row.managedClass;
      problem(`${field}.instanceType`, `"${instanceType}" is not ${kind === 'ec2' ? 'an EC2 instance type' : kind === 'db' ? 'an RDS class' : 'an ElastiCache node type'}, which ${role} needs as ${deployment === 'ec2' ? 'a Linux-package node' : 'a managed service'}: use e.g. "${example}"`);
      continue;
    }
    if (!spec) {
      problem(`${field}.instanceType`, `unknown type "${instanceType}": use a type of the families ${knownFamilies(kind).join(', ')}`);
      continue;
    }
    if ((spec.vCpu < row.vCpu || spec.memoryGiB < row.memoryGiB) && !override?.allowBelowSpec) {
      problem(
        `${field}.instanceType`,
        `"${instanceType}" has ${spec.vCpu} vCPU and ${spec.memoryGiB} GiB, below the ${config.size} spec for ${role} (${row.vCpu} vCPU, ${row.memoryGiB} GiB): pick a larger type or set "allowBelowSpec": true`,
      );
    }
    if (override?.count !== undefined && deployment === 'rds') {
      problem(`${field}.count`, `does not apply to RDS (${size.ha ? 'the Multi-AZ standby is the redundancy' : 'one DB instance'}): remove it`);
    }
    if (override?.dataVolumeGiB !== undefined && !row.dataVolume) problem(`${field}.dataVolumeGiB`, `${role} nodes have no data volume: remove it`);
    if (size.ha && deployment !== 'rds') checkHaCount(role, count, size, field, problem, deployment);
    // Several all-in-one nodes would be several GitLab instances, each with its own database.
    if (role === 'allInOne' && count !== 1) problem(`${field}.count`, `is ${count}: ${config.size} is one all-in-one node (GitLab's 1K has no redundancy): use 1, or size "3k" for high availability`);
    const dataVolume = row.dataVolume && (deployment !== 'elasticache') ? { ...row.dataVolume, sizeGiB: override?.dataVolumeGiB ?? row.dataVolume.sizeGiB } : undefined;
    roles.push({ role, deployment, count, instanceType, spec, required: { vCpu: row.vCpu, memoryGiB: row.memoryGiB }, ...(dataVolume ? { dataVolume } : {}) });
  }

  const allowedCidrs = config.allowedCidrs ?? env.network?.allowedIngressCidrs ?? [];
  if (!allowedCidrs.length) {
    problem('gitlab.allowedCidrs', 'no network may reach the external load balancer: list your users\' CIDRs here (or in network.allowedIngressCidrs), e.g. ["203.0.113.0/24"], or ["0.0.0.0/0"] for a public instance');
  }
  // One HTTPS design for every size and deployment: TLS ends at the external load balancer with an
  // ACM certificate, and NGINX (on the Rails nodes, or the chart's) serves plain HTTP behind it.
  if (!config.domain?.certificateArn && !config.domain?.hostedZoneId) {
    problem(
      'gitlab.domain',
      `TLS ends at the external load balancer (${config.externalLoadBalancer.toUpperCase()}) with an ACM certificate in every size, and none is configured: set gitlab.domain.certificateArn (an ACM certificate for ${new URL(config.externalUrl).hostname}) or gitlab.domain.hostedZoneId (a certificate is requested and DNS-validated there)`,
    );
  }
  const existing = env.network?.existing;
  if (existing && existing.publicSubnets.length === 0) {
    problem('network.existing.publicSubnets', 'the internet-facing load balancer needs public subnets: list them');
  }
  if (env.network && !existing && Number(env.network.vpcCidr.split('/')[1]) > 20) {
    problem('network.vpcCidr', 'GitLab nodes take fixed addresses from a /26 reserved in each private subnet, which needs /24 subnets or larger: use a /20 or larger VPC');
  }
  if (problems.length) return { problems };

  const has = (r: GitLabNodeRole) => roles.some((p) => p.role === r);
  const ec2Roles = roles.filter((r) => r.deployment === 'ec2').map((r) => r.role);
  return {
    problems,
    plan: {
      environment: env.name,
      size,
      config,
      roles,
      hybrid,
      gitalyCluster: has('praefect'),
      // HA sizes put Praefect and PgBouncer behind it; with several Rails nodes it also carries the
      // Rails internal API that Gitaly calls, so Git pushes do not depend on one Rails node.
      internalLoadBalancer: size.ha || roles.some((r) => r.role === 'rails' && r.count > 1),
      consulMembers: has('consul') ? ec2Roles : [],
      allowedCidrs,
      internalDomain: config.internalDomain ?? `${env.name}.gitlab.internal`,
    },
  };
}

function checkHaCount(role: GitLabNodeRole, count: number, size: SizeSpec, field: string, problem: (field: string, message: string) => void, deployment: RoleDeployment): void {
  // Sentinel runs on the Redis nodes of each cluster, so self-managed Redis needs a quorum too (ElastiCache does its own failover).
  const sentinel = (role === 'redis' || role === 'redisCache') && deployment === 'ec2';
  const quorum = QUORUM_ROLES.includes(role) || sentinel;
  if (quorum && (count < 3 || count % 2 === 0)) {
    const who = role === 'redis' ? 'Redis (with a Sentinel on each node) needs' : role === 'redisCache' ? 'the Redis cache (with a Sentinel on each node) needs' : `${role} needs`;
    problem(`${field}.count`, `is ${count}: ${who} an odd count of at least 3 in ${size.size} to keep a quorum: use 3`);
  } else if (role === 'gitaly' && count < 3) {
    problem(`${field}.count`, `is ${count}: Gitaly Cluster replicates every repository 3 times in ${size.size}: use 3`);
  } else if (HA_ROLES.includes(role) && count < 2) {
    problem(`${field}.count`, `is ${count}: ${role} must be redundant in ${size.size}: use at least 2`);
  } else if (HA_ROLES.includes(role) && count > size.availabilityZones) {
    problem(`${field}.count`, `is ${count}: ${size.size} spreads ${role} one node per availability zone and has ${size.availabilityZones}: use at most ${size.availabilityZones}`);
  }
}
