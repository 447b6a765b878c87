/**
 * The commit of an environment's last successful deployment, from GitLab's Deployments API. The
 * default-branch pipeline deploys what changed since then (not since the previous push), so a
 * cancelled or failed pipeline never loses a change: its commits stay in the next range.
 */

export type Fetch = (url: string, init: { headers: Record<string, string> }) => Promise<{ ok: boolean; status: number; json(): Promise<unknown>; text(): Promise<string> }>;

/** GITLAB_API_TOKEN (a project access token with read_api) when set, else the job's own token. */
function authHeader(vars: Readonly<Record<string, string | undefined>>): Record<string, string> {
  if (vars.GITLAB_API_TOKEN) return { 'PRIVATE-TOKEN': vars.GITLAB_API_TOKEN };
  if (vars.CI_JOB_TOKEN) return { 'JOB-TOKEN': vars.CI_JOB_TOKEN };
  throw new Error('neither GITLAB_API_TOKEN nor CI_JOB_TOKEN is set: the pipeline cannot ask GitLab for the last successful deployment');
}

export async function lastSuccessfulDeployment(environment: string, vars: Readonly<Record<string, string | undefined>>, fetchFn: Fetch = fetch as unknown as Fetch): Promise<string | undefined> {
  const api = vars.CI_API_V4_URL;
  const project = vars.CI_PROJECT_ID;
  if (!api || !project) throw new Error('CI_API_V4_URL and CI_PROJECT_ID are not set: run this in a GitLab CI job');
  const query = new URLSearchParams({ environment, status: 'success', order_by: 'finished_at', sort: 'desc', per_page: '1' });
  const url = `${api}/projects/${encodeURIComponent(project)}/deployments?${query}`;
  const res = await fetchFn(url, { headers: authHeader(vars) });
  if (!res.ok) {
    throw new Error(
      `GitLab's Deployments API answered ${res.status} for environment "${environment}": ${(await res.text()).slice(0, 200)}; ` +
        'if the job token may not read deployments, set GITLAB_API_TOKEN (masked, protected; a project access token with read_api)',
    );
  }
  const list = (await res.json()) as { sha?: string }[];
  if (!Array.isArray(list)) throw new Error(`GitLab's Deployments API returned no list for environment "${environment}"`);
  return list[0]?.sha;
}
