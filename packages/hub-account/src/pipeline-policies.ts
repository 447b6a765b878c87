import {
  LEGACY_KEYS_SESSION_PREFIX,
  defaultProtectedDeploySubjects,
  gitlabOidcProvider,
  hubPipelineRoleArns,
  partitionOf,
  spokeEntryRoleArns,
  spokeTargetsOf,
  stateBucketName,
  subjectClaim,
  type ConditionBlock,
  type HubRoleKind,
  type PolicyStatement,
  type TrustSubject,
} from '@gitlab-aws/core';
import { oidcAudience, type HubWithIdentity } from './hub-config';

/** Which pipeline role: "deploy" (non-protected spokes), "protectedDeploy" (protected spokes), "plan" (read-only). */
export type PipelineRole = HubRoleKind;

/**
 * The GitLab claims AWS honours as condition keys besides `aud` and `sub`, per the Service
 * Authorization Reference for sts:AssumeRoleWithWebIdentity: only for tokens issued by gitlab.com.
 * A self-managed instance gets `aud` and `sub` only (docs/identity.md, "What AWS can check").
 */
export const GITLAB_COM_HOST = 'gitlab.com';

/** Pipeline sources a deploy may come from: pushes (merges, tags) and pipelines started in the UI. */
export const DEPLOY_PIPELINE_SOURCES = ['push', 'web'];
/** The only pipeline source a plan may come from. */
export const PLAN_PIPELINE_SOURCE = 'merge_request_event';

/** ARN of the opt-in legacy IAM user (static access keys). */
export function legacyUserArn(hub: HubWithIdentity): string {
  return `arn:${partitionOf(hub.region)}:iam::${hub.accountId}:user/${hub.identity.staticKeys.userName}`;
}

/** The subjects a role trusts, from the hub file. */
export function trustedSubjects(hub: HubWithIdentity, role: PipelineRole): TrustSubject[] {
  if (role === 'protectedDeploy') return hub.identity.protectedDeploy ?? defaultProtectedDeploySubjects(hub.identity);
  return hub.identity[role];
}

/**
 * The claims besides `sub` that AWS checks for a role, where AWS can check them (gitlab.com):
 * project ID, protected ref for deploy roles, and the pipeline source (merge requests for plans).
 */
export function extraClaimConditions(hub: HubWithIdentity, role: PipelineRole): Record<string, string | string[]> {
  const { conditionPrefix } = gitlabOidcProvider(hub, hub.identity.gitlab.url);
  if (conditionPrefix !== GITLAB_COM_HOST) return {};
  const claims: Record<string, string | string[]> = {};
  if (hub.identity.gitlab.projectId) claims[`${conditionPrefix}:project_id`] = hub.identity.gitlab.projectId;
  if (role === 'plan') {
    claims[`${conditionPrefix}:pipeline_source`] = PLAN_PIPELINE_SOURCE;
  } else {
    claims[`${conditionPrefix}:ref_protected`] = 'true';
    claims[`${conditionPrefix}:pipeline_source`] = DEPLOY_PIPELINE_SOURCES;
  }
  return claims;
}

/** Operators may use the deploy and plan roles (never the protected one): their role ARN, MFA unless turned off. */
function operatorStatement(hub: HubWithIdentity): PolicyStatement | undefined {
  const ops = hub.identity.operators;
  if (!ops) return undefined;
  const condition: ConditionBlock = { ArnLike: { 'aws:PrincipalArn': ops.principalArns } };
  if (ops.requireMfa) condition.Bool = { 'aws:MultiFactorAuthPresent': 'true' };
  return {
    Sid: 'Operators',
    Effect: 'Allow',
    Principal: { AWS: `arn:${partitionOf(hub.region)}:iam::${hub.accountId}:root` },
    Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
    Condition: condition,
  };
}

/**
 * Trust policy of a pipeline role: GitLab ID tokens only (sts:AssumeRoleWithWebIdentity), with the
 * audience, the listed subjects and every further claim AWS checks for the issuer. Exact subjects
 * are compared with StringEquals; patterns, which the environment file must spell out, with
 * StringLike in a statement of their own (conditions in one statement are ANDed). The deploy role
 * also trusts the legacy user when static keys are on (from the listed networks only); the deploy
 * and plan roles trust the operators, if any. The protected deploy role trusts GitLab alone.
 */
export function pipelineTrustStatements(hub: HubWithIdentity, role: PipelineRole): PolicyStatement[] {
  const { arn, conditionPrefix } = gitlabOidcProvider(hub, hub.identity.gitlab.url);
  const claims = trustedSubjects(hub, role).map((s) => subjectClaim(s));
  const exact = claims.filter((c) => !c.pattern).map((c) => c.value);
  const patterns = claims.filter((c) => c.pattern).map((c) => c.value);
  const equals = { [`${conditionPrefix}:aud`]: oidcAudience(hub), ...extraClaimConditions(hub, role) };
  const base = { Effect: 'Allow' as const, Principal: { Federated: arn }, Action: 'sts:AssumeRoleWithWebIdentity' };
  const statements: PolicyStatement[] = [];
  if (exact.length) {
    statements.push({ Sid: 'GitLabExactRefs', ...base, Condition: { StringEquals: { ...equals, [`${conditionPrefix}:sub`]: exact } } });
  }
  if (patterns.length) {
    statements.push({ Sid: 'GitLabRefPatterns', ...base, Condition: { StringEquals: equals, StringLike: { [`${conditionPrefix}:sub`]: patterns } } });
  }
  if (role === 'deploy' && hub.identity.staticKeys.enabled) {
    // One statement per kind of network (conditions in a statement are ANDed; statements are ORed).
    legacyNetworkConditions(hub).forEach(({ sid, condition }) =>
      statements.push({
        Sid: `LegacyStaticKeys${sid}`,
        Effect: 'Allow',
        Principal: { AWS: legacyUserArn(hub) },
        Action: 'sts:AssumeRole',
        Condition: { ...condition, StringLike: { 'sts:RoleSessionName': `${LEGACY_KEYS_SESSION_PREFIX}*` } },
      }),
    );
  }
  const operators = role === 'protectedDeploy' ? undefined : operatorStatement(hub);
  if (operators) statements.push(operators);
  return statements;
}

/** The spoke roles a pipeline role may assume: plan roles for "plan", deploy roles of its protection class otherwise. */
export function spokeRoleArns(hub: HubWithIdentity, role: PipelineRole): string[] {
  return spokeTargetsOf(hub.identity, role);
}

/**
 * The pipeline role's only permission: assume (and tag the session of) the matching spoke roles.
 * Undefined while the hub lists no such spoke, so the role can do nothing at all.
 */
export function pipelinePermissionStatements(hub: HubWithIdentity, role: PipelineRole): PolicyStatement[] | undefined {
  const targets = spokeRoleArns(hub, role);
  if (!targets.length) return undefined;
  const sid = { deploy: 'AssumeSpokeDeployRoles', protectedDeploy: 'AssumeProtectedSpokeDeployRoles', plan: 'AssumeSpokePlanRoles' }[role];
  return [{ Sid: sid, Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: targets }];
}

/** The networks static keys may be used from: public CIDRs (aws:SourceIp) and VPCs behind endpoints (aws:SourceVpc). */
function legacyNetworkConditions(hub: HubWithIdentity): { sid: string; condition: ConditionBlock }[] {
  const { sourceCidrs, sourceVpcs } = hub.identity.staticKeys;
  return [
    ...(sourceCidrs.length ? [{ sid: 'FromListedCidrs', condition: { IpAddress: { 'aws:SourceIp': sourceCidrs } } }] : []),
    ...(sourceVpcs.length ? [{ sid: 'FromListedVpcs', condition: { StringEquals: { 'aws:SourceVpc': sourceVpcs } } }] : []),
  ];
}

/** The legacy user's only permission: assume the hub deploy role (with a legacy session name), from the listed networks. */
export function legacyUserStatements(hub: HubWithIdentity): PolicyStatement[] {
  return legacyNetworkConditions(hub).map(({ sid, condition }) => ({
    Sid: `AssumeHubDeployRole${sid}`,
    Effect: 'Allow',
    Action: 'sts:AssumeRole',
    Resource: hubPipelineRoleArns(hub).deploy,
    Condition: { ...condition, StringLike: { 'sts:RoleSessionName': `${LEGACY_KEYS_SESSION_PREFIX}*` } },
  }));
}

/**
 * What the hub deploy role denies its legacy (static-key) sessions, told apart by their session
 * name: assuming any spoke role but the deploy roles of `staticKeys.environments`, any state
 * object outside those environments' prefixes, and any request from outside the listed networks
 * (the AWS pattern: NotIpAddress/StringNotEquals aws:SourceVpc, except calls AWS services make
 * on the session's behalf, such as S3 decrypting state with KMS). Deny wins over every Allow.
 */
export function legacySessionStatements(hub: HubWithIdentity): PolicyStatement[] {
  const keys = hub.identity.staticKeys;
  const legacy = { StringLike: { 'aws:userid': `*:${LEGACY_KEYS_SESSION_PREFIX}*` } };
  const spokes = hub.identity.spokes.filter((s) => keys.environments.includes(s.environment));
  const bucket = `arn:${partitionOf(hub.region)}:s3:::${stateBucketName(hub)}`;
  const elsewhere: ConditionBlock = { ...legacy, Bool: { 'aws:ViaAWSService': 'false' } };
  if (keys.sourceCidrs.length) elsewhere.NotIpAddress = { 'aws:SourceIp': keys.sourceCidrs };
  if (keys.sourceVpcs.length) elsewhere.StringNotEquals = { 'aws:SourceVpc': keys.sourceVpcs };
  return [
    { Sid: 'LegacyKeysOnlyTheirSpokes', Effect: 'Deny', Action: ['sts:AssumeRole', 'sts:TagSession'], NotResource: spokes.map((s) => spokeEntryRoleArns(s).deploy), Condition: legacy },
    { Sid: 'LegacyKeysOnlyTheirState', Effect: 'Deny', Action: 's3:*', NotResource: [bucket, ...spokes.map((s) => `${bucket}/${s.environment}/*`)], Condition: legacy },
    { Sid: 'LegacyKeysOnlyFromListedNetworks', Effect: 'Deny', Action: '*', Resource: '*', Condition: elsewhere },
  ];
}
