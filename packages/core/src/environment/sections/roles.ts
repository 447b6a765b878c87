import { z } from 'zod';
import { iamRoleName } from './primitives';

/** Default role names. A hub's roles are the pipeline roles GitLab CI signs in to; a spoke's are the
 * roles those pipeline roles assume. Both sides derive ARNs from these names, never from lookups. */
export const DEFAULT_ROLE_NAMES = {
  hub: { deployRoleName: 'gitlab-ci-hub-deploy', planRoleName: 'gitlab-ci-hub-plan' },
  spoke: { deployRoleName: 'gitlab-ci-deploy', planRoleName: 'gitlab-ci-plan' },
} as const;

/** Suffix of the hub role that alone may deploy protected spokes (production, guardrails.production). */
export const PROTECTED_DEPLOY_SUFFIX = '-protected';

/**
 * The hub role for protected spokes: the hub deploy role's name plus "-protected". Derived, not
 * configured, so a spoke computes it from its own file (hub.deployRoleName) and the hub from its own.
 */
export function protectedDeployRoleName(hubDeployRoleName: string): string {
  const name = `${hubDeployRoleName}${PROTECTED_DEPLOY_SUFFIX}`;
  if (name.length > 64) {
    throw new Error(`hub deploy role name "${hubDeployRoleName}" is too long: "${name}" (its protected twin) must fit IAM's 64 characters; shorten roles.deployRoleName to at most ${64 - PROTECTED_DEPLOY_SUFFIX.length}`);
  }
  return name;
}

export const rolesSection = (kind: 'hub' | 'spoke') =>
  z
    .strictObject({
      /** Role that may change this account. Default: gitlab-ci-hub-deploy (hub), gitlab-ci-deploy (spoke). */
      deployRoleName: iamRoleName.default(DEFAULT_ROLE_NAMES[kind].deployRoleName),
      /** Read-only role for merge-request plans. Default: gitlab-ci-hub-plan (hub), gitlab-ci-plan (spoke). */
      planRoleName: iamRoleName.default(DEFAULT_ROLE_NAMES[kind].planRoleName),
      /** ExternalId the spoke roles require when assumed. Default: none. */
      externalId: z
        .string()
        .regex(/^[\w+=,.@:/-]{2,1224}$/, { error: 'expected 2-1224 characters of letters, digits and + = , . @ : / _ -' })
        .optional(),
    })
    .default({
      deployRoleName: DEFAULT_ROLE_NAMES[kind].deployRoleName,
      planRoleName: DEFAULT_ROLE_NAMES[kind].planRoleName,
    });
