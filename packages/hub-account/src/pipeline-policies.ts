import { partitionOf, gitlabOidcProvider, spokeEntryRoleArns, subjectClaim, type PolicyStatement, type TrustSubject } from '@gitlab-aws/core';
import { oidcAudience, type HubWithIdentity } from './hub-config';

/** Which pipeline role: "deploy" (protected refs, may change spokes) or "plan" (any listed ref, read-only). */
export type PipelineRole = 'deploy' | 'plan';

/** ARN of the opt-in legacy IAM user (static access keys). */
export function legacyUserArn(hub: HubWithIdentity): string {
  return `arn:${partitionOf(hub.region)}:iam::${hub.accountId}:user/${hub.identity.staticKeys.userName}`;
}

/**
 * Trust policy of a pipeline role: GitLab ID tokens only (sts:AssumeRoleWithWebIdentity), with the
 * audience and the listed subjects. Exact subjects are compared with StringEquals; patterns, which
 * the environment file must spell out, with StringLike in a statement of their own (conditions in
 * one statement are ANDed). With static keys on, the deploy role also trusts the legacy user.
 */
export function pipelineTrustStatements(hub: HubWithIdentity, role: PipelineRole): PolicyStatement[] {
  const { arn, conditionPrefix } = gitlabOidcProvider(hub, hub.identity.gitlab.url);
  const claims = hub.identity[role].map((s: TrustSubject) => subjectClaim(s));
  const exact = claims.filter((c) => !c.pattern).map((c) => c.value);
  const patterns = claims.filter((c) => c.pattern).map((c) => c.value);
  const aud = { [`${conditionPrefix}:aud`]: oidcAudience(hub) };
  const base = { Effect: 'Allow' as const, Principal: { Federated: arn }, Action: 'sts:AssumeRoleWithWebIdentity' };
  const statements: PolicyStatement[] = [];
  if (exact.length) {
    statements.push({ Sid: 'GitLabExactRefs', ...base, Condition: { StringEquals: { ...aud, [`${conditionPrefix}:sub`]: exact } } });
  }
  if (patterns.length) {
    statements.push({
      Sid: 'GitLabRefPatterns',
      ...base,
      Condition: { StringEquals: aud, StringLike: { [`${conditionPrefix}:sub`]: patterns } },
    });
  }
  if (role === 'deploy' && hub.identity.staticKeys.enabled) {
    statements.push({ Sid: 'LegacyStaticKeys', Effect: 'Allow', Principal: { AWS: legacyUserArn(hub) }, Action: 'sts:AssumeRole' });
  }
  return statements;
}

/** The spoke roles a pipeline role may assume: deploy roles for "deploy", read-only plan roles for "plan". */
export function spokeRoleArns(hub: HubWithIdentity, role: PipelineRole): string[] {
  return hub.identity.spokes.map((s) => spokeEntryRoleArns(s)[role]);
}

/**
 * The pipeline role's only permission: assume (and tag the session of) the matching spoke roles.
 * Undefined while the hub lists no spokes, so the role can do nothing at all.
 */
export function pipelinePermissionStatements(hub: HubWithIdentity, role: PipelineRole): PolicyStatement[] | undefined {
  const targets = spokeRoleArns(hub, role);
  if (!targets.length) return undefined;
  return [{ Sid: role === 'deploy' ? 'AssumeSpokeDeployRoles' : 'AssumeSpokePlanRoles', Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: targets }];
}
