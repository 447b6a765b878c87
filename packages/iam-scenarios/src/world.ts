import { join } from 'node:path';
import {
  gitlabOidcProvider,
  hubPipelineRoleArns,
  loadEnvironmentFile,
  stateBucketName,
  type EnvironmentConfig,
  type HubRoleKind,
  type SpokeEnvironmentConfig,
} from '@gitlab-aws/core';
import type { IamRequest } from './evaluator';
import { tokenContext, type GitLabJob } from './gitlab-token';
import { IamWorld } from './iam-model';
import { WORKSPACE_ROOT, type StackJson } from './synthesize';

/** The example environments whose synthesized stacks the scenarios evaluate. */
export const EXAMPLE_APPS = ['devops', 'dev', 'prod', 'gitlab-3k'] as const;

/**
 * The example environments as AWS would hold them: the environment files (names, accounts, what is
 * protected) and the IAM model of their synthesized stacks. Builds the requests scenarios evaluate.
 */
export class ScenarioWorld {
  readonly iam: IamWorld;
  readonly envs: Record<string, EnvironmentConfig>;

  constructor(stacks: Record<string, StackJson>) {
    this.iam = new IamWorld(stacks);
    this.envs = {};
    for (const name of EXAMPLE_APPS) this.envs[name] = loadEnvironmentFile(join(WORKSPACE_ROOT, 'environments', `${name}.json`));
  }

  get hub(): EnvironmentConfig & { kind: 'hub' } {
    return this.envs.devops as EnvironmentConfig & { kind: 'hub' };
  }

  spoke(name: string): SpokeEnvironmentConfig {
    const env = this.envs[name];
    if (env?.kind !== 'spoke') throw new Error(`iam-scenarios: ${name} is not an example spoke`);
    return env;
  }

  hubRole(kind: HubRoleKind): string {
    return hubPipelineRoleArns(this.hub)[kind];
  }

  spokeRole(spoke: string, kind: 'deploy' | 'plan'): string {
    const env = this.spoke(spoke);
    return `arn:aws:iam::${env.accountId}:role/${kind === 'deploy' ? env.roles.deployRoleName : env.roles.planRoleName}`;
  }

  /** A role session's ARN, as the principal of the requests it makes. */
  session(roleArn: string, name = 'gitlab-ci'): string {
    return roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/') + `/${name}`;
  }

  get stateBucket(): string {
    return stateBucketName(this.hub);
  }

  get oidcProviderArn(): string {
    const identity = this.hub.identity!;
    return gitlabOidcProvider(this.hub, identity.gitlab.url).arn;
  }

  /** A job of the example project on gitlab.com, with overrides. */
  job(overrides: Partial<GitLabJob> = {}): GitLabJob {
    const identity = this.hub.identity!;
    return {
      host: identity.gitlab.url.replace(/^https:\/\//, ''),
      aud: identity.gitlab.audience ?? identity.gitlab.url,
      projectPath: identity.gitlab.project,
      projectId: identity.gitlab.projectId ?? '0',
      refType: 'branch',
      ref: 'main',
      refProtected: true,
      pipelineSource: 'push',
      ...overrides,
    };
  }

  /** sts:AssumeRoleWithWebIdentity of a hub role with a job's ID token. */
  async signIn(kind: HubRoleKind, job: GitLabJob): Promise<IamRequest & { unseen: string[] }> {
    const role = this.iam.role(this.hubRole(kind));
    const { context, unseen } = await tokenContext(job);
    return {
      principal: this.oidcProviderArn,
      action: 'sts:AssumeRoleWithWebIdentity',
      resource: role.arn,
      resourceAccount: role.account,
      context,
      resourcePolicy: role.trust,
      problems: role.problems,
      unseen,
    };
  }

  /** A role session assuming another role (its identity policies and boundary, the target's trust). */
  assume(fromRoleArn: string, toRoleArn: string, context: Record<string, string | string[]> = {}): IamRequest {
    const from = this.iam.role(fromRoleArn);
    const to = this.iam.role(toRoleArn);
    return {
      principal: this.session(from.arn),
      action: 'sts:AssumeRole',
      resource: to.arn,
      resourceAccount: to.account,
      context,
      identityPolicies: from.identityPolicies,
      boundary: from.boundary,
      resourcePolicy: to.trust,
      problems: [...from.problems, ...to.problems],
    };
  }

  /** A role session calling an action (its identity policies and boundary, plus a resource policy if given). */
  act(roleArn: string, action: string, resource: string, opts: { account?: string; context?: Record<string, string | string[]>; resourcePolicy?: unknown; problems?: string[] } = {}): IamRequest {
    const role = this.iam.role(roleArn);
    return {
      principal: this.session(role.arn),
      action,
      resource,
      resourceAccount: opts.account ?? role.account,
      context: opts.context ?? {},
      identityPolicies: role.identityPolicies,
      boundary: role.boundary,
      resourcePolicy: opts.resourcePolicy,
      problems: [...role.problems, ...(opts.problems ?? [])],
    };
  }

  /** A hub role session on a state object (bucket policy decides; TLS 1.3 over HTTPS unless the context says otherwise). */
  state(kind: HubRoleKind | 'break-glass' | 'hub-admin', action: string, key: string, context: Record<string, string> = {}): IamRequest {
    const bucket = this.iam.bucket(this.stateBucket);
    const hub = this.hub;
    const roleArn =
      kind === 'break-glass'
        ? `arn:aws:iam::${hub.accountId}:role/${hub.identity!.breakGlassRoleName}`
        : kind === 'hub-admin'
          ? `arn:aws:iam::${hub.accountId}:role/hub-administrator`
          : this.hubRole(kind);
    const known = this.iam.roles.get(roleArn);
    // Roles outside the stacks (administrators) get an identity policy allowing everything: the bucket policy must stop them.
    const identityPolicies = known ? known.identityPolicies : [{ name: 'administrator', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }];
    const resource = key === '' ? bucket.arn : `${bucket.arn}/${key}`;
    return {
      principal: this.session(roleArn),
      action,
      resource,
      resourceAccount: hub.accountId,
      context: { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3', ...context },
      identityPolicies,
      resourcePolicy: bucket.policy,
      problems: [...(known?.problems ?? []), ...bucket.problems],
    };
  }
}
