import { receivePackRequest, uploadPackRequest, ZERO_SHA } from './git-protocol';
import type { Endpoint, RequestSpec, TestData } from './types';

const enc = encodeURIComponent;
/** A repository path in a web URL: each segment escaped, the slashes kept. */
const webPath = (path: string) => path.split('/').map(enc).join('/');

const api = (path: string): RequestSpec => ({ method: 'GET', path: `/api/v4${path}`, auth: 'api' });
const web = (path: string): RequestSpec => ({ method: 'GET', path, auth: 'none' });
const project = (d: TestData) => `/projects/${d.projectId}`;

type Def = Omit<Endpoint, 'write' | 'weight'> & { write?: boolean; weight?: number };
const define = (defs: Def[]): Endpoint[] => defs.map((d) => ({ write: false, weight: 1, ...d }));

const GIT_UPLOAD = {
  'Content-Type': 'application/x-git-upload-pack-request',
  Accept: 'application/x-git-upload-pack-result',
};
const GIT_RECEIVE = {
  'Content-Type': 'application/x-git-receive-pack-request',
  Accept: 'application/x-git-receive-pack-result',
};

/**
 * The endpoint catalog. TTFB limits follow GPT's defaults (200 ms for simple reads, more where
 * GitLab is known to be slower); an environment file may replace any of them.
 */
export const ENDPOINTS: readonly Endpoint[] = define([
  // API (authenticated with PRIVATE-TOKEN).
  { name: 'api_user', traffic: 'api', title: 'GET /user', ttfbP90Ms: 200, requests: () => [api('/user')] },
  { name: 'api_groups', traffic: 'api', title: 'GET /groups', ttfbP90Ms: 500, requests: () => [api('/groups?per_page=20')] },
  { name: 'api_group', traffic: 'api', title: 'GET /groups/:id', ttfbP90Ms: 500, requests: (d) => [api(`/groups/${d.groupId}?with_projects=false`)] },
  { name: 'api_group_projects', traffic: 'api', title: 'GET /groups/:id/projects', ttfbP90Ms: 1000, requests: (d) => [api(`/groups/${d.groupId}/projects?per_page=20`)] },
  { name: 'api_projects', traffic: 'api', title: 'GET /projects', ttfbP90Ms: 7000, weight: 0.25, rateFactor: 0.25, requests: () => [api('/projects?per_page=20&order_by=id&simple=false')] },
  { name: 'api_project', traffic: 'api', title: 'GET /projects/:id', ttfbP90Ms: 500, requests: (d) => [api(project(d))] },
  { name: 'api_repository_tree', traffic: 'api', title: 'GET /projects/:id/repository/tree', ttfbP90Ms: 800, requests: (d) => [api(`${project(d)}/repository/tree?ref=${enc(d.branch)}&per_page=100`)] },
  { name: 'api_repository_file', traffic: 'api', title: 'GET /projects/:id/repository/files/:path', ttfbP90Ms: 500, requests: (d) => [api(`${project(d)}/repository/files/${enc(d.filePath)}?ref=${enc(d.branch)}`)] },
  { name: 'api_repository_raw', traffic: 'api', title: 'GET /projects/:id/repository/files/:path/raw', ttfbP90Ms: 500, requests: (d) => [api(`${project(d)}/repository/files/${enc(d.filePath)}/raw?ref=${enc(d.branch)}`)] },
  { name: 'api_branches', traffic: 'api', title: 'GET /projects/:id/repository/branches', ttfbP90Ms: 1000, requests: (d) => [api(`${project(d)}/repository/branches?per_page=20`)] },
  { name: 'api_branch', traffic: 'api', title: 'GET /projects/:id/repository/branches/:branch', ttfbP90Ms: 300, requests: (d) => [api(`${project(d)}/repository/branches/${enc(d.branch)}`)] },
  { name: 'api_commits', traffic: 'api', title: 'GET /projects/:id/repository/commits', ttfbP90Ms: 600, requests: (d) => [api(`${project(d)}/repository/commits?ref_name=${enc(d.branch)}&per_page=20`)] },
  { name: 'api_commit', traffic: 'api', title: 'GET /projects/:id/repository/commits/:sha', ttfbP90Ms: 500, requests: (d) => [api(`${project(d)}/repository/commits/${d.commitSha}`)] },
  { name: 'api_commit_diff', traffic: 'api', title: 'GET /projects/:id/repository/commits/:sha/diff', ttfbP90Ms: 1000, requests: (d) => [api(`${project(d)}/repository/commits/${d.commitSha}/diff`)] },
  { name: 'api_compare', traffic: 'api', title: 'GET /projects/:id/repository/compare', ttfbP90Ms: 1500, requests: (d) => [api(`${project(d)}/repository/compare?from=${d.parentSha}&to=${d.commitSha}`)] },
  { name: 'api_merge_requests', traffic: 'api', title: 'GET /projects/:id/merge_requests', ttfbP90Ms: 1000, requests: (d) => [api(`${project(d)}/merge_requests?per_page=20`)] },
  { name: 'api_merge_request', traffic: 'api', title: 'GET /projects/:id/merge_requests/:iid', ttfbP90Ms: 600, requests: (d) => [api(`${project(d)}/merge_requests/${d.mergeRequestIid}`)] },
  { name: 'api_issues', traffic: 'api', title: 'GET /projects/:id/issues', ttfbP90Ms: 1000, requests: (d) => [api(`${project(d)}/issues?per_page=20`)] },
  { name: 'api_issue', traffic: 'api', title: 'GET /projects/:id/issues/:iid', ttfbP90Ms: 500, requests: (d) => [api(`${project(d)}/issues/${d.issueIid}`)] },
  { name: 'api_pipelines', traffic: 'api', title: 'GET /projects/:id/pipelines', ttfbP90Ms: 500, requests: (d) => [api(`${project(d)}/pipelines?per_page=20`)] },
  { name: 'api_search', traffic: 'api', title: 'GET /projects/:id/search (issues)', ttfbP90Ms: 3000, weight: 0.25, rateFactor: 0.25, requests: (d) => [api(`${project(d)}/search?scope=issues&search=test`)] },
  {
    name: 'api_create_issue',
    traffic: 'api',
    title: 'POST /projects/:id/issues',
    ttfbP90Ms: 1500,
    weight: 0.1,
    rateFactor: 0.1,
    write: true,
    requests: (d, h) => [
      {
        method: 'POST',
        path: `/api/v4${project(d)}/issues`,
        auth: 'api',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ title: `load test ${h.unique()}`, description: 'Created by the load-tests suite (unsafe writes).' }),
        expect: [201],
      },
    ],
  },

  // Web pages (anonymous: the target project and group must be public).
  { name: 'web_project', traffic: 'web', title: 'project home', ttfbP90Ms: 800, requests: (d) => [web(`/${d.projectPath}`)] },
  { name: 'web_tree', traffic: 'web', title: 'repository tree', ttfbP90Ms: 1500, requests: (d) => [web(`/${d.projectPath}/-/tree/${webPath(d.branch)}`)] },
  { name: 'web_file', traffic: 'web', title: 'file view', ttfbP90Ms: 1500, requests: (d) => [web(`/${d.projectPath}/-/blob/${webPath(d.branch)}/${webPath(d.filePath)}`)] },
  { name: 'web_commits', traffic: 'web', title: 'commits', ttfbP90Ms: 1500, requests: (d) => [web(`/${d.projectPath}/-/commits/${webPath(d.branch)}`)] },
  { name: 'web_commit', traffic: 'web', title: 'commit', ttfbP90Ms: 2000, requests: (d) => [web(`/${d.projectPath}/-/commit/${d.commitSha}`)] },
  { name: 'web_merge_request', traffic: 'web', title: 'merge request', ttfbP90Ms: 2500, requests: (d) => [web(`/${d.projectPath}/-/merge_requests/${d.mergeRequestIid}`)] },
  { name: 'web_issues', traffic: 'web', title: 'issues list', ttfbP90Ms: 1500, requests: (d) => [web(`/${d.projectPath}/-/issues`)] },
  { name: 'web_issue', traffic: 'web', title: 'issue', ttfbP90Ms: 1500, requests: (d) => [web(`/${d.projectPath}/-/issues/${d.issueIid}`)] },
  { name: 'web_group', traffic: 'web', title: 'group page', ttfbP90Ms: 1000, requests: (d) => [web(`/${d.groupPath}`)] },

  // Git over HTTP (HTTP Basic with the token).
  {
    name: 'git_ls_remote',
    traffic: 'gitPull',
    title: 'ls-remote (info/refs)',
    ttfbP90Ms: 400,
    requests: (d) => [{ method: 'GET', path: `/${d.projectPath}.git/info/refs?service=git-upload-pack`, auth: 'git', bodyIncludes: '# service=git-upload-pack' }],
  },
  {
    name: 'git_pull',
    traffic: 'gitPull',
    title: 'pull one commit (info/refs + upload-pack)',
    ttfbP90Ms: 400,
    requests: (d) => [
      { method: 'GET', path: `/${d.projectPath}.git/info/refs?service=git-upload-pack`, auth: 'git', bodyIncludes: '# service=git-upload-pack' },
      { method: 'POST', path: `/${d.projectPath}.git/git-upload-pack`, auth: 'git', headers: GIT_UPLOAD, body: uploadPackRequest(d.commitSha, d.parentSha) },
    ],
  },
  {
    name: 'git_push',
    traffic: 'gitPush',
    title: 'push a branch, then delete it (receive-pack)',
    ttfbP90Ms: 1000,
    write: true,
    requests: (d, h) => {
      const ref = `refs/heads/load-test/${h.unique()}`;
      return [
        { method: 'GET', path: `/${d.projectPath}.git/info/refs?service=git-receive-pack`, auth: 'git', bodyIncludes: '# service=git-receive-pack' },
        { method: 'POST', path: `/${d.projectPath}.git/git-receive-pack`, auth: 'git', headers: GIT_RECEIVE, body: receivePackRequest([{ oldSha: ZERO_SHA, newSha: d.commitSha, ref }], h.sha1Hex), bodyIncludes: `ok ${ref}` },
        { method: 'POST', path: `/${d.projectPath}.git/git-receive-pack`, auth: 'git', headers: GIT_RECEIVE, body: receivePackRequest([{ oldSha: d.commitSha, newSha: ZERO_SHA, ref }], h.sha1Hex), bodyIncludes: `ok ${ref}` },
      ];
    },
  },
]);

export function endpointByName(name: string): Endpoint | undefined {
  return ENDPOINTS.find((e) => e.name === name);
}
