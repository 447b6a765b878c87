import { describeAnswer, discoverTestData, type ApiGet } from './discovery';

const target = { baseUrl: 'https://gitlab.example.com', projectPath: 'perf/gitlabhq', groupPath: 'perf', needsPublic: true, tokenVariable: 'GITLAB_TOKEN' };

/** A GitLab API of canned answers by path prefix; everything else is 404. */
function api(overrides: Record<string, { status: number; body: unknown }> = {}): ApiGet {
  const routes: Record<string, { status: number; body: unknown }> = {
    '/api/v4/user': { status: 200, body: { id: 1 } },
    '/api/v4/projects/perf%2Fgitlabhq': { status: 200, body: { id: 7, default_branch: 'master', visibility: 'public' } },
    '/api/v4/groups/perf?': { status: 200, body: { id: 3, visibility: 'public' } },
    '/api/v4/projects/7/repository/commits/master': { status: 200, body: { id: 'c'.repeat(40), parent_ids: ['p'.repeat(40)] } },
    '/api/v4/projects/7/repository/tree': { status: 200, body: [{ type: 'tree', path: 'app' }, { type: 'blob', path: 'Gemfile' }, { type: 'blob', path: 'README.md' }] },
    '/api/v4/projects/7/merge_requests': { status: 200, body: [{ iid: 12 }] },
    '/api/v4/projects/7/issues': { status: 200, body: [{ iid: 34 }] },
    ...overrides,
  };
  return (path) => {
    const key = Object.keys(routes).find((k) => path.startsWith(k));
    return key ? { status: routes[key].status, body: JSON.stringify(routes[key].body) } : { status: 404, body: '{"message":"404 Not Found"}' };
  };
}

describe('discoverTestData', () => {
  it('finds a branch, a file (README first), a commit and its parent, an MR and an issue', () => {
    expect(discoverTestData(api(), target)).toEqual({
      projectId: 7,
      projectPath: 'perf/gitlabhq',
      groupId: 3,
      groupPath: 'perf',
      branch: 'master',
      filePath: 'README.md',
      commitSha: 'c'.repeat(40),
      parentSha: 'p'.repeat(40),
      mergeRequestIid: 12,
      issueIid: 34,
    });
  });

  it('explains a rejected or unscoped token and an unreachable host', () => {
    expect(() => discoverTestData(api({ '/api/v4/user': { status: 401, body: {} } }), target)).toThrow('rejected GITLAB_TOKEN (401): it is missing, expired or revoked');
    expect(() => discoverTestData(api({ '/api/v4/user': { status: 403, body: {} } }), target)).toThrow('refused GITLAB_TOKEN (403): the token lacks the read_api scope');
    expect(() => discoverTestData(() => ({ status: 0, body: null }), target)).toThrow('could not reach GitLab at https://gitlab.example.com');
    expect(() => discoverTestData(() => ({ status: 0, body: null, statusText: describeAnswer(0, 'dial tcp: connection refused') }), target)).toThrow(
      'GET /api/v4/user got no answer (dial tcp: connection refused)',
    );
  });

  it('says what was answered and what was expected when /user is not a GitLab answer', () => {
    const down = () => discoverTestData(() => ({ status: 503, body: '<html>', statusText: describeAnswer(503, '', 'text/html; charset=utf-8') }), target);
    expect(down).toThrow(
      "https://gitlab.example.com answered GET /api/v4/user with 503 Service Unavailable (text/html); expected 200 with the token's user as JSON. GitLab (or the load balancer in front of it) is failing",
    );
    expect(down).not.toThrow(/is this a GitLab address/);
    expect(() => discoverTestData(api({ '/api/v4/user': { status: 302, body: {} } }), target)).toThrow('answered GET /api/v4/user with 302 Found (a redirect); expected 200');
    expect(() => discoverTestData(api({ '/api/v4/user': { status: 200, body: 'not json' } }), target)).toThrow('answered GET /api/v4/user with 200 without a user in JSON; expected 200');
    expect(describeAnswer(418)).toBe('418');
  });

  it('names a missing project or group', () => {
    expect(() => discoverTestData(api({ '/api/v4/projects/perf%2Fgitlabhq': { status: 404, body: {} } }), target)).toThrow('project "perf/gitlabhq" was not found (404)');
    expect(() => discoverTestData(api({ '/api/v4/groups/perf?': { status: 404, body: {} } }), target)).toThrow('group "perf" was not found (404)');
  });

  it('lists everything missing at once', () => {
    const get = api({
      '/api/v4/projects/perf%2Fgitlabhq': { status: 200, body: { id: 7, default_branch: 'master', visibility: 'private' } },
      '/api/v4/projects/7/repository/commits/master': { status: 200, body: { id: 'c'.repeat(40), parent_ids: [] } },
      '/api/v4/projects/7/merge_requests': { status: 200, body: [] },
      '/api/v4/projects/7/issues': { status: 200, body: [] },
    });
    let message = '';
    try {
      discoverTestData(get, target);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'test data for https://gitlab.example.com/perf/gitlabhq is incomplete:',
      '- project "perf/gitlabhq" is private: web pages are fetched anonymously, so make it public or exclude the web_* endpoints',
      '- the newest commit on "master" has no parent: the pull and compare endpoints need at least two commits',
      '- no merge request in the project: create one (or run nx run load-tests:seed)',
      '- no issue in the project: create one (or run nx run load-tests:seed)',
    ]);
  });

  it('accepts a private project when no web page is planned', () => {
    const get = api({ '/api/v4/projects/perf%2Fgitlabhq': { status: 200, body: { id: 7, default_branch: 'master', visibility: 'private' } } });
    expect(discoverTestData(get, { ...target, needsPublic: false }).projectId).toBe(7);
  });
});
