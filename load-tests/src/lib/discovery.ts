import type { TestData } from './types';

/**
 * A GET against the GitLab API: path from "/api/v4", answer status (0 = not reached), body, and
 * optionally the answer in words for messages (see describeAnswer).
 */
export type ApiGet = (path: string) => { status: number; body: string | null; statusText?: string };

const STATUS_NAMES: Record<number, string> = {
  301: 'Moved Permanently',
  302: 'Found (a redirect)',
  400: 'Bad Request',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** An HTTP answer in words: "503 Service Unavailable (text/html)", or "no answer (the client's error)". */
export function describeAnswer(status: number, error?: string, contentType?: string): string {
  if (status === 0) return `no answer${error ? ` (${error})` : ''}`;
  const name = STATUS_NAMES[status];
  return `${status}${name ? ` ${name}` : ''}${contentType ? ` (${contentType.split(';')[0].trim()})` : ''}`;
}

export interface DiscoveryTarget {
  readonly baseUrl: string;
  readonly projectPath: string;
  readonly groupPath: string;
  /** Web pages are fetched anonymously, so they need a public project and group. */
  readonly needsPublic: boolean;
  readonly tokenVariable: string;
}

const enc = encodeURIComponent;

function parse(res: { body: string | null }): unknown {
  try {
    return JSON.parse(res.body ?? '');
  } catch {
    return undefined;
  }
}

/**
 * Checks the token, the project and the group, and finds what the endpoints need: the default
 * branch, a file, its newest commit and that commit's parent, a merge request and an issue. Throws
 * once, listing everything missing and how to fix it.
 */
export function discoverTestData(get: ApiGet, t: DiscoveryTarget): TestData {
  const user = get('/api/v4/user');
  const answer = user.statusText ?? describeAnswer(user.status);
  if (user.status === 0) throw new Error(`could not reach GitLab at ${t.baseUrl}: GET /api/v4/user got ${answer}; check the URL (gitlab.externalUrl or GITLAB_URL) and the network path`);
  if (user.status === 401) throw new Error(`GitLab at ${t.baseUrl} rejected ${t.tokenVariable} (401): it is missing, expired or revoked; create a personal access token with read_api and read_repository (api and write_repository for unsafe writes)`);
  if (user.status === 403) throw new Error(`GitLab at ${t.baseUrl} refused ${t.tokenVariable} (403): the token lacks the read_api scope or its user is blocked`);
  if (user.status !== 200 || !(parse(user) as { id?: unknown } | undefined)?.id) {
    throw new Error(
      `${t.baseUrl} answered GET /api/v4/user with ${answer}${user.status === 200 ? ' without a user in JSON' : ''}; expected 200 with the token's user as JSON. ` +
        (user.status >= 500 ? 'GitLab (or the load balancer in front of it) is failing or still starting: check its health before a load test' : 'check that the URL points at GitLab itself (gitlab.externalUrl or GITLAB_URL), not a proxy or sign-in page'),
    );
  }

  const project = get(`/api/v4/projects/${enc(t.projectPath)}`);
  if (project.status !== 200) {
    throw new Error(`project "${t.projectPath}" was not found (${project.status}) or the token's user cannot see it: create it (nx run load-tests:seed) or set loadTest.projectPath`);
  }
  const p = parse(project) as { id: number; default_branch?: string | null; visibility?: string };
  const group = get(`/api/v4/groups/${enc(t.groupPath)}?with_projects=false`);
  if (group.status !== 200) throw new Error(`group "${t.groupPath}" was not found (${group.status}) or the token's user cannot see it: set loadTest.groupPath`);
  const g = parse(group) as { id: number; visibility?: string };

  const missing: string[] = [];
  if (t.needsPublic && p.visibility !== 'public') missing.push(`project "${t.projectPath}" is ${p.visibility ?? 'not public'}: web pages are fetched anonymously, so make it public or exclude the web_* endpoints`);
  if (t.needsPublic && g.visibility !== 'public') missing.push(`group "${t.groupPath}" is ${g.visibility ?? 'not public'}: make it public or exclude the web_* endpoints`);
  const branch = p.default_branch;
  if (!branch) throw new Error(`project "${t.projectPath}" has an empty repository: push a repository (a large one, like GitLab FOSS) or run nx run load-tests:seed`);

  const base = `/api/v4/projects/${p.id}`;
  const commit = parse(get(`${base}/repository/commits/${enc(branch)}`)) as { id?: string; parent_ids?: string[] } | undefined;
  if (!commit?.id) missing.push(`no commit found on branch "${branch}"`);
  else if (!commit.parent_ids?.length) missing.push(`the newest commit on "${branch}" has no parent: the pull and compare endpoints need at least two commits`);

  const tree = parse(get(`${base}/repository/tree?ref=${enc(branch)}&per_page=100`));
  const blobs = Array.isArray(tree) ? (tree as Array<{ type: string; path: string }>).filter((e) => e.type === 'blob') : [];
  const file = blobs.find((b) => /^readme/i.test(b.path)) ?? blobs[0];
  if (!file) missing.push(`no file at the root of "${branch}": the file endpoints need one`);

  const mrs = parse(get(`${base}/merge_requests?state=all&per_page=1`));
  const mr = Array.isArray(mrs) ? (mrs[0] as { iid?: number } | undefined) : undefined;
  if (!mr?.iid) missing.push('no merge request in the project: create one (or run nx run load-tests:seed)');
  const issues = parse(get(`${base}/issues?state=all&per_page=1`));
  const issue = Array.isArray(issues) ? (issues[0] as { iid?: number } | undefined) : undefined;
  if (!issue?.iid) missing.push('no issue in the project: create one (or run nx run load-tests:seed)');

  if (missing.length) throw new Error(`test data for ${t.baseUrl}/${t.projectPath} is incomplete:\n- ${missing.join('\n- ')}`);
  return {
    projectId: p.id,
    projectPath: t.projectPath,
    groupId: g.id,
    groupPath: t.groupPath,
    branch,
    filePath: file!.path,
    commitSha: commit!.id!,
    parentSha: commit!.parent_ids![0],
    mergeRequestIid: mr!.iid!,
    issueIid: issue!.iid!,
  };
}
