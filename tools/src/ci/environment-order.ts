import { hubRoleArns, hubRoleFor, type EnvironmentConfig } from '@gitlab-aws/core';

/** GitLab's deployment tiers, in the order the pipeline deploys them. */
export const TIERS = ['development', 'testing', 'staging', 'other', 'production'] as const;
export type DeploymentTier = (typeof TIERS)[number];

/** Whether the hub lists a spoke as protected (manual deploy, GitLab protected environment, approvals). */
export function isProtected(env: EnvironmentConfig, all: readonly EnvironmentConfig[]): boolean {
  if (env.kind !== 'spoke') return false;
  const hub = all.find((e) => e.kind === 'hub' && e.name === env.hub.environment);
  return hub?.kind === 'hub' && !!hub.identity?.spokes.some((s) => s.environment === env.name && s.protected);
}

/**
 * The deployment tier of a spoke: production when the hub protects it; otherwise from its name,
 * the way GitLab itself guesses a tier from an environment name (dev/review -> development,
 * test/qa/int -> testing, stag/pre-prod -> staging, prod/live -> production, anything else -> other).
 */
export function deploymentTier(env: EnvironmentConfig, all: readonly EnvironmentConfig[]): DeploymentTier {
  if (isProtected(env, all)) return 'production';
  const word = (words: string) => new RegExp(`(^|[^a-z0-9])(${words})([^a-z0-9]|$)`, 'i').test(env.name);
  if (word('staging|stage|stg|preprod|pre-prod|model')) return 'staging';
  if (word('prod|production|prd|live')) return 'production';
  if (word('test|testing|tests|tst|integration|int|acceptance|qa|qc')) return 'testing';
  if (word('dev|development|review')) return 'development';
  return 'other';
}

/** Environments in deployment order: hubs first, then spokes by tier (dev -> staging -> prod), then name. */
export function deploymentOrder(envs: readonly EnvironmentConfig[]): EnvironmentConfig[] {
  const rank = (e: EnvironmentConfig) => (e.kind === 'hub' ? -1 : TIERS.indexOf(deploymentTier(e, envs)));
  return [...envs].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

export type PipelineJobKind = 'deploy' | 'plan';

/**
 * The hub role a pipeline job signs in to for an environment (the one place that chooses it):
 * for a spoke, core's hubRoleFor (protected spokes: the hub's protected deploy role, which only
 * protected release tags may assume); plans use the read-only plan role.
 */
export function pipelineRoleArn(env: EnvironmentConfig, job: PipelineJobKind): string {
  return env.kind === 'spoke' ? hubRoleFor(env, job).arn : hubRoleArns(env)[job];
}

/**
 * The runner tags a deploy job carries: those of the hub's protected-only fleet, which takes jobs
 * of protected refs only and shares no VM with merge-request jobs (docs/runner-fleet.md). Empty
 * when the hub has no protected fleet, and then deploys run wherever the project's runners are.
 */
export function deployRunnerTags(all: readonly EnvironmentConfig[]): string[] {
  const hub = all.find((e) => e.kind === 'hub');
  const fleet = hub?.runners?.fleets.find((f) => f.protectedOnly);
  return fleet ? [...fleet.tags] : [];
}
