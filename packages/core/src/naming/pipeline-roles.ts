import { partitionOf } from '../environment/regions';
import type { EnvironmentConfig, SpokeEnvironmentConfig } from '../environment/schema';
import type { HubIdentityConfig, SpokeEntry } from '../environment/sections/identity';
import { protectedDeployRoleName } from '../environment/sections/roles';
import { managedPolicyArn, roleArn, spokeEntryRoleArns } from './arns';

/**
 * Which roles a pipeline job uses, from the environment model alone. The pipeline generator calls
 * these: a deploy job of a protected spoke assumes `hubRoleFor(spoke, 'deploy')`, which is the hub's
 * protected deploy role; every other deploy job the hub deploy role; plans the hub plan role.
 */

/** The kinds of hub role: deploy (non-protected spokes), protectedDeploy (protected spokes only), plan (read-only, merge requests). */
export type HubRoleKind = 'deploy' | 'protectedDeploy' | 'plan';

/**
 * Session names of the legacy static-key user start with this: the hub deploy role's trust requires
 * it (sts:RoleSessionName), so the role's own policy can tell legacy sessions apart (aws:userid)
 * and hold them to their environments and networks.
 */
export const LEGACY_KEYS_SESSION_PREFIX = 'legacy-keys-';

/** The names of the hub's three pipeline roles. */
export function hubRoleNames(env: EnvironmentConfig): Record<HubRoleKind, string> {
  const names = env.kind === 'hub' ? env.roles : env.hub;
  return { deploy: names.deployRoleName, protectedDeploy: protectedDeployRoleName(names.deployRoleName), plan: names.planRoleName };
}

/** The ARNs of the hub's three pipeline roles, as seen from any environment of that hub. */
export function hubPipelineRoleArns(env: EnvironmentConfig): Record<HubRoleKind, string> {
  const account = env.kind === 'hub' ? env.accountId : env.hub.accountId;
  const names = hubRoleNames(env);
  return {
    deploy: roleArn(env, account, names.deploy),
    protectedDeploy: roleArn(env, account, names.protectedDeploy),
    plan: roleArn(env, account, names.plan),
  };
}

/**
 * A spoke is protected when it is production (guardrails.production, the default) on its side and
 * `protected: true` in the hub's list; the loader requires the two to agree.
 */
export function isProtectedSpoke(env: SpokeEnvironmentConfig): boolean {
  return env.guardrails.production;
}

/** The hub role a job assumes to deploy (or plan) this spoke. */
export function hubRoleFor(env: SpokeEnvironmentConfig, job: 'deploy' | 'plan'): { kind: HubRoleKind; arn: string } {
  const kind: HubRoleKind = job === 'plan' ? 'plan' : isProtectedSpoke(env) ? 'protectedDeploy' : 'deploy';
  return { kind, arn: hubPipelineRoleArns(env)[kind] };
}

/** The hub role kind that may assume a listed spoke's deploy role (hub side of hubRoleFor). */
export function deployKindOf(entry: SpokeEntry): 'deploy' | 'protectedDeploy' {
  return entry.protected ? 'protectedDeploy' : 'deploy';
}

/** Spoke role ARNs each hub role may assume: plan roles of every spoke; deploy roles split by protection. */
export function spokeTargetsOf(identity: Pick<HubIdentityConfig, 'spokes'>, kind: HubRoleKind): string[] {
  if (kind === 'plan') return identity.spokes.map((s) => spokeEntryRoleArns(s).plan);
  return identity.spokes.filter((s) => deployKindOf(s) === kind).map((s) => spokeEntryRoleArns(s).deploy);
}

/** Who may use the protected deploy role when the hub file names nobody: the project's `v*` tags. */
export function defaultProtectedDeploySubjects(identity: Pick<HubIdentityConfig, 'gitlab'>): { pattern: string }[] {
  return [{ pattern: `project_path:${identity.gitlab.project}:ref_type:tag:ref:v*` }];
}

/** The hub's break-glass role, the only principal besides the pipeline roles the state bucket admits. */
export function breakGlassRoleArn(env: EnvironmentConfig & { kind: 'hub' }, identity: Pick<HubIdentityConfig, 'breakGlassRoleName'>): string {
  return roleArn(env, env.accountId, identity.breakGlassRoleName);
}

/** ARN of the boundary every role the spoke deploy role creates must carry (the environment's own, or the built-in one). */
export function spokeDeployBoundaryArn(env: SpokeEnvironmentConfig): string {
  const own = env.identity.permissionsBoundary;
  if (own) return managedPolicyArn(env, own);
  return `arn:${partitionOf(env.region)}:iam::${env.accountId}:policy/${deployBoundaryPolicyName(env)}`;
}

/** Name of the built-in deploy boundary policy. */
export function deployBoundaryPolicyName(env: SpokeEnvironmentConfig): string {
  return `${env.roles.deployRoleName}-boundary`;
}
