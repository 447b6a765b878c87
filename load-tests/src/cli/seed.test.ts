import { seedTestProject, type Api } from './seed';

/** A recording API over a tiny in-memory GitLab. */
function fakeGitLab(state: { group?: boolean; project?: boolean; parents?: number; mrs?: number; issues?: number }) {
  const calls: string[] = [];
  const api: Api = async (method, path, body) => {
    calls.push(`${method} ${path}${body ? ` ${JSON.stringify(body)}` : ''}`);
    if (method === 'GET' && path === '/api/v4/groups/perf') return state.group ? { status: 200, json: { id: 3 } } : { status: 404, json: {} };
    if (method === 'GET' && path === '/api/v4/projects/perf%2Fgitlabhq') return state.project ? { status: 200, json: { id: 7, default_branch: 'main' } } : { status: 404, json: {} };
    if (method === 'GET' && path.endsWith('/repository/commits/main')) return { status: 200, json: { id: 'c', parent_ids: Array(state.parents ?? 0).fill('p') } };
    if (method === 'GET' && path.includes('/merge_requests?')) return { status: 200, json: Array(state.mrs ?? 0).fill({ iid: 1 }) };
    if (method === 'GET' && path.includes('/issues?')) return { status: 200, json: Array(state.issues ?? 0).fill({ iid: 1 }) };
    if (method === 'GET' && path.includes('/repository/branches/')) return { status: 404, json: {} };
    if (method === 'POST' && path === '/api/v4/groups') return { status: 201, json: { id: 3 } };
    if (method === 'POST' && path === '/api/v4/projects') return { status: 201, json: { id: 7, default_branch: 'main' } };
    if (method === 'POST') return { status: 201, json: {} };
    return { status: 404, json: {} };
  };
  return { api, calls };
}

describe('seedTestProject', () => {
  it('creates the group, a public project, a second commit, a merge request and an issue', async () => {
    const { api, calls } = fakeGitLab({});
    const done = await seedTestProject(api, { projectPath: 'perf/gitlabhq', groupPath: 'perf' });
    expect(done).toEqual(['created group perf', 'created project perf/gitlabhq', 'added a commit on main', 'created a merge request', 'created an issue']);
    const posts = calls.filter((c) => c.startsWith('POST'));
    expect(posts[0]).toBe('POST /api/v4/groups {"name":"perf","path":"perf","visibility":"public"}');
    expect(posts[1]).toBe('POST /api/v4/projects {"name":"gitlabhq","path":"gitlabhq","namespace_id":3,"visibility":"public","initialize_with_readme":true}');
    expect(posts.some((c) => c.startsWith('POST /api/v4/projects/7/merge_requests {"source_branch":"load-test-seed","target_branch":"main"'))).toBe(true);
  });

  it('writes nothing when the project already has what the suite needs', async () => {
    const { api, calls } = fakeGitLab({ group: true, project: true, parents: 1, mrs: 1, issues: 1 });
    expect(await seedTestProject(api, { projectPath: 'perf/gitlabhq', groupPath: 'perf' })).toEqual([]);
    expect(calls.filter((c) => !c.startsWith('GET'))).toEqual([]);
  });

  it('stops with the API answer when a write fails', async () => {
    const api: Api = async (method) => (method === 'GET' ? { status: 404, json: {} } : { status: 403, json: { message: '403 Forbidden' } });
    await expect(seedTestProject(api, { projectPath: 'perf/gitlabhq', groupPath: 'perf' })).rejects.toThrow('creating group perf failed (403): {"message":"403 Forbidden"}');
  });
});
