// Exercises the BUILT k6 bundle (not the TypeScript sources) in Node, with recording stand-ins
// for k6's modules (test-support/k6-harness.mjs). This proves what the script exports and sends;
// it does not replace a run with real k6 against a real GitLab.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundles } from './cli/build';
import type { TestData } from './lib/types';
import { environmentFixture, k6SummaryFixture, planFixture, type RunShape } from './testing/fixtures';
import { runBundle, type HarnessInput } from './testing/harness';

let bundle = '';
beforeAll(async () => {
  bundle = (await buildBundles(mkdtempSync(join(tmpdir(), 'k6-bundle-')))).suite;
}, 60_000);

const TOKEN = 'glpat-test-token';
const DATA: TestData = {
  projectId: 7,
  projectPath: 'perf/gitlabhq',
  groupId: 3,
  groupPath: 'perf',
  branch: 'master',
  filePath: 'doc/README.md',
  commitSha: 'c'.repeat(40),
  parentSha: 'p'.repeat(40),
  mergeRequestIid: 12,
  issueIid: 34,
};

function run(size: 'poc' | '2k' | '3k', input: Partial<HarnessInput> = {}, loadTest: Record<string, unknown> = {}) {
  const out = runBundle({
    bundle,
    files: { 'environment.json': JSON.stringify(environmentFixture(size, loadTest)) },
    ...input,
    env: { GITLAB_TOKEN: TOKEN, ...input.env },
  });
  if (out.initError) throw new Error(`bundle init failed: ${out.initError}`);
  return out;
}

describe('built bundle', () => {
  it('is a plain ES module importing only k6 modules, free of what k6 v0.49 lacks', () => {
    const text = readFileSync(bundle, 'utf8');
    const imports = [...text.matchAll(/^import\s.*?from\s+"([^"]+)";?$/gm)].map((m) => m[1]);
    expect(imports.sort()).toEqual(['k6', 'k6/crypto', 'k6/encoding', 'k6/execution', 'k6/http', 'k6/metrics']);
    expect(text).not.toMatch(/\brequire\(|import\.meta|\bimport\(|k6\/(timers|browser|experimental|secrets)|setTimeout\(|globalThis\.crypto|\btest\.fail\(/);
    expect(text).not.toMatch(/^await\s/m);
    expect(text).not.toMatch(/from\s+"(node:|zod|cdktf|@gitlab-aws)/);
  });

  it('exports options, setup, the scenario functions and handleSummary', () => {
    expect(run('2k').exports).toEqual(['api', 'default', 'endpoint', 'gitPull', 'gitPush', 'handleSummary', 'options', 'setup', 'web']);
  });

  it.each([
    ['2k', 40, 4, 4],
    ['3k', 60, 6, 6],
    ['poc', 40, 4, 4],
  ] as const)('mixed options for %s: constant-arrival-rate scenarios at the size rates', (size, apiRate, webRate, pullRate) => {
    const { options } = run(size);
    const s = options!.scenarios;
    expect(s.api).toMatchObject({ executor: 'constant-arrival-rate', rate: apiRate, timeUnit: '1s', exec: 'api', tags: { traffic: 'api', phase: 'hold' } });
    expect(s.web).toMatchObject({ executor: 'constant-arrival-rate', rate: webRate, exec: 'web' });
    expect(s.gitPull).toMatchObject({ executor: 'constant-arrival-rate', rate: pullRate, exec: 'gitPull' });
    expect(s.api_ramp).toMatchObject({ executor: 'ramping-arrival-rate', stages: [{ target: apiRate, duration: '60s' }] });
    expect(s.gitPush).toBeUndefined();
    expect(options!.thresholds['http_req_waiting{endpoint:api_merge_request,phase:hold}']).toEqual(['p(90)<600']);
    expect(options!.thresholds['http_req_waiting{endpoint:git_pull,phase:hold}']).toEqual(['p(90)<400']);
    expect(options!.thresholds['gitlab_success{endpoint:web_group,phase:hold}']).toEqual(['rate>0.99']);
    expect(options!.thresholds[`gitlab_ops{traffic:api,phase:hold}`]).toEqual([`count>=${Math.floor(apiRate * 900 * 0.95)}`]);
    expect(options!.thresholds.dropped_iterations).toEqual(['count==0']);
  });

  it('reads another environment file and the mode and duration overrides from the environment', () => {
    const { options } = run('2k', {
      files: { 'envs/gitlab-3k.json': JSON.stringify(environmentFixture('3k')) },
      env: { LOAD_TEST_ENV_FILE: 'envs/gitlab-3k.json', LOAD_TEST_MODE: 'per-endpoint', LOAD_TEST_HOLD_SECONDS: '30', LOAD_TEST_UNSAFE_WRITES: 'true' },
    });
    const s = options!.scenarios;
    expect(s.api_user).toMatchObject({ executor: 'constant-arrival-rate', rate: 60, duration: '30s', exec: 'endpoint', env: { LOAD_TEST_SCENARIO_ENDPOINT: 'api_user' } });
    expect(s.git_push).toMatchObject({ rate: 1, exec: 'endpoint' });
    expect(s.api_create_issue).toBeDefined();
  });

  it('setup() checks the token and discovers the test data through the API', () => {
    const routes = [
      { path: '^/api/v4/user$', status: 200, body: { id: 1 } },
      { path: '^/api/v4/projects/perf%2Fgitlabhq$', status: 200, body: { id: 7, default_branch: 'master', visibility: 'public' } },
      { path: '^/api/v4/groups/perf\\?', status: 200, body: { id: 3, visibility: 'public' } },
      { path: '/repository/commits/master$', status: 200, body: { id: 'c'.repeat(40), parent_ids: ['p'.repeat(40)] } },
      { path: '/repository/tree\\?', status: 200, body: [{ type: 'blob', path: 'README.md' }] },
      { path: '/merge_requests\\?', status: 200, body: [{ iid: 12 }] },
      { path: '/issues\\?', status: 200, body: [{ iid: 34 }] },
    ];
    const [setup] = run('2k', { routes, actions: [{ call: 'setup' }] }).results;
    expect(setup.error).toBeUndefined();
    expect(setup.value).toMatchObject({ projectId: 7, groupId: 3, branch: 'master', filePath: 'README.md', mergeRequestIid: 12, issueIid: 34 });
    expect(setup.requests[0]).toMatchObject({ method: 'GET', url: 'https://gitlab-2k.example.com/api/v4/user', headers: { 'PRIVATE-TOKEN': TOKEN } });

    const [rejected] = run('2k', { routes: [{ path: '^/api/v4/user$', status: 401 }], actions: [{ call: 'setup' }] }).results;
    expect(rejected.error).toContain('setup: GitLab at https://gitlab-2k.example.com rejected GITLAB_TOKEN (401)');
    const [noToken] = run('2k', { env: { GITLAB_TOKEN: '' }, actions: [{ call: 'setup' }] }).results;
    expect(noToken.error).toContain('GITLAB_TOKEN is not set');
    expect(noToken.requests).toEqual([]);
  });

  it('api() walks the API endpoints by their shares, with the token header and endpoint tags', () => {
    const [api] = run('2k', { actions: [{ call: 'api', times: 100, data: DATA }] }).results;
    expect(api.requests).toHaveLength(100);
    for (const r of api.requests) {
      expect(r.url.startsWith('https://gitlab-2k.example.com/api/v4/')).toBe(true);
      expect(r.headers['PRIVATE-TOKEN']).toBe(TOKEN);
      expect(r.redirects).toBe(0);
      expect(r.tags).toMatchObject({ traffic: 'api', name: r.tags.endpoint });
    }
    const count = (e: string) => api.requests.filter((r) => r.tags.endpoint === e).length;
    expect(new Set(api.requests.map((r) => r.tags.endpoint)).size).toBe(21);
    expect(count('api_project')).toBeGreaterThan(count('api_projects')); // the slow list runs at a quarter share
    const paths = api.requests.map((r) => r.url.replace('https://gitlab-2k.example.com', ''));
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v4/projects/7',
        '/api/v4/projects/7/repository/files/doc%2FREADME.md/raw?ref=master',
        `/api/v4/projects/7/repository/compare?from=${'p'.repeat(40)}&to=${'c'.repeat(40)}`,
        '/api/v4/projects/7/merge_requests/12',
        '/api/v4/projects/7/issues/34',
        '/api/v4/groups/3?with_projects=false',
      ]),
    );
    expect(api.requests.some((r) => r.method !== 'GET')).toBe(false); // no writes without the flag
    const ops = api.samples.filter((s) => s.metric === 'gitlab_ops');
    expect(ops).toHaveLength(100);
    expect(api.samples.filter((s) => s.metric === 'gitlab_success').every((s) => s.value === 1 && s.tags.traffic === 'api')).toBe(true);
  });

  it('web() fetches pages anonymously without following redirects to the sign-in page', () => {
    const [web] = run('3k', { routes: [{ path: '^/perf/gitlabhq/-/issues/34$', status: 302 }], actions: [{ call: 'web', times: 9, data: DATA }] }).results;
    const paths = web.requests.map((r) => r.url.replace('https://gitlab-3k.example.com', ''));
    expect(paths.sort()).toEqual(
      [
        '/perf',
        '/perf/gitlabhq',
        '/perf/gitlabhq/-/blob/master/doc/README.md',
        `/perf/gitlabhq/-/commit/${'c'.repeat(40)}`,
        '/perf/gitlabhq/-/commits/master',
        '/perf/gitlabhq/-/issues',
        '/perf/gitlabhq/-/issues/34',
        '/perf/gitlabhq/-/merge_requests/12',
        '/perf/gitlabhq/-/tree/master',
      ].sort(),
    );
    for (const r of web.requests) {
      expect(r.headers).not.toHaveProperty('PRIVATE-TOKEN');
      expect(r.headers).not.toHaveProperty('Authorization');
      expect(r.redirects).toBe(0);
    }
    const failed = web.samples.filter((s) => s.metric === 'gitlab_success' && s.value === 0);
    expect(failed.map((s) => s.tags.endpoint)).toEqual(['web_issue']);
  });

  it('gitPull() runs ls-remote and a one-commit fetch over smart HTTP with Basic auth', () => {
    const advert = '001e# service=git-upload-pack\n0000';
    const [pull] = run('2k', { routes: [{ path: 'info/refs\\?service=git-upload-pack$', status: 200, body: advert }], actions: [{ call: 'gitPull', times: 2, data: DATA }] }).results;
    expect(pull.requests.map((r) => `${r.method} ${r.url.replace('https://gitlab-2k.example.com', '')}`)).toEqual([
      'GET /perf/gitlabhq.git/info/refs?service=git-upload-pack',
      'GET /perf/gitlabhq.git/info/refs?service=git-upload-pack',
      'POST /perf/gitlabhq.git/git-upload-pack',
    ]);
    const auth = `Basic ${Buffer.from(`oauth2:${TOKEN}`).toString('base64')}`;
    for (const r of pull.requests) expect(r.headers.Authorization).toBe(auth);
    const post = pull.requests[2];
    expect(post.headers['Content-Type']).toBe('application/x-git-upload-pack-request');
    expect(post.body).toContain(`want ${'c'.repeat(40)} `);
    expect(post.body).toContain(`have ${'p'.repeat(40)}\n`);
    expect(pull.samples.filter((s) => s.metric === 'gitlab_success').map((s) => [s.tags.endpoint, s.value])).toEqual([
      ['git_ls_remote', 1],
      ['git_pull', 1],
    ]);
  });

  it('pushes only with the unsafe flag: a branch at an existing commit, then its deletion', () => {
    const [refused] = run('2k', { actions: [{ call: 'gitPush', data: DATA }] }).results;
    expect(refused.error).toContain('no gitPush endpoint is planned');
    expect(refused.requests).toEqual([]);

    const advert = { path: 'info/refs\\?service=git-receive-pack$', status: 200, body: '001f# service=git-receive-pack\n0000' };
    const routes = [advert, { path: 'git-receive-pack$', status: 200, reportStatus: true }];
    const [push] = run('2k', { env: { LOAD_TEST_UNSAFE_WRITES: 'true' }, routes, actions: [{ call: 'gitPush', data: DATA }] }).results;
    expect(push.samples.filter((s) => s.metric === 'gitlab_success').map((s) => [s.tags.endpoint, s.value])).toEqual([['git_push', 1]]);
    expect(push.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'POST']);
    expect(push.requests[1].bodyType).toBe('[object ArrayBuffer]');
    expect(push.requests[1].body).toMatch(new RegExp(`^[0-9a-f]{4}0{40} ${'c'.repeat(40)} refs/heads/load-test/1-0-\\d+\\0report-status`));
    expect(push.requests[1].body).toContain('0000PACK');
    expect(push.requests[2].body).toMatch(new RegExp(`^[0-9a-f]{4}${'c'.repeat(40)} 0{40} refs/heads/load-test/`));

    // A rejected ref update ("ng") answers 200 but is a failed push, and the deletion is not sent.
    const rejected = [advert, { path: 'git-receive-pack$', status: 200, body: '000eunpack ok\n0030ng refs/heads/load-test/x pre-receive hook declined\n0000' }];
    const [ng] = run('2k', { env: { LOAD_TEST_UNSAFE_WRITES: 'true' }, routes: rejected, actions: [{ call: 'gitPush', data: DATA }] }).results;
    expect(ng.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
    expect(ng.samples.filter((s) => s.metric === 'gitlab_success').map((s) => s.value)).toEqual([0]);
  });

  it('endpoint() runs the endpoint its per-endpoint scenario names', () => {
    const [one] = run('2k', { env: { LOAD_TEST_MODE: 'per-endpoint' }, actions: [{ call: 'endpoint', times: 3, data: DATA, env: { LOAD_TEST_SCENARIO_ENDPOINT: 'api_issue' } }] }).results;
    expect(one.requests.map((r) => r.url)).toEqual(Array(3).fill('https://gitlab-2k.example.com/api/v4/projects/7/issues/34'));
  });

  describe('handleSummary()', () => {
    const plan = planFixture('2k');
    const summarize = (shape: RunShape) => {
      const [r] = run('2k', { env: { LOAD_TEST_REPORT_DIR: 'out/run-1' }, actions: [{ call: 'handleSummary', data: k6SummaryFixture(plan, shape) }] }).results;
      expect(r.error).toBeUndefined();
      const files = r.value as Record<string, string>;
      expect(Object.keys(files).sort()).toEqual(['out/run-1/junit.xml', 'out/run-1/report.html', 'out/run-1/report.md', 'out/run-1/summary.json', 'stdout']);
      return { files, verdict: JSON.parse(files['out/run-1/summary.json']).verdict as { passed: boolean; failures: Array<{ kind: string; subject: string }> } };
    };

    it('passes a run where everything holds', () => {
      const { files, verdict } = summarize({});
      expect(verdict.passed).toBe(true);
      expect(files.stdout).toContain('PASSED');
      expect(files['out/run-1/junit.xml']).not.toContain('<failure');
    });
    it('fails a TTFB breach on one endpoint', () => {
      const { files, verdict } = summarize({ ttfbP90: { api_repository_tree: 1200 } });
      expect(verdict.failures.map((f) => `${f.kind}:${f.subject}`)).toEqual(['ttfb:api_repository_tree']);
      expect(files['out/run-1/report.md']).toContain('- api_repository_tree: TTFB p90 1200 ms >= 800 ms (+50%)');
    });
    it('fails an error rate above 1%', () => {
      expect(summarize({ success: { api_issues: 0.985 } }).verdict.failures.map((f) => `${f.kind}:${f.subject}`)).toEqual(['success:api_issues']);
    });
    it('fails an achieved rate below target', () => {
      expect(summarize({ achieved: { gitPull: 0.9 } }).verdict.failures.map((f) => `${f.kind}:${f.subject}`)).toEqual(['achieved:gitPull']);
    });
    it('fails dropped iterations', () => {
      const { files, verdict } = summarize({ dropped: 3 });
      expect(verdict.failures.map((f) => f.kind)).toEqual(['dropped']);
      expect(files['out/run-1/junit.xml']).toContain('3 iterations dropped');
    });
    it('prints the summary between markers for k6-operator runners when asked', () => {
      const [r] = run('2k', { env: { LOAD_TEST_SUMMARY_STDOUT: 'true' }, actions: [{ call: 'handleSummary', data: k6SummaryFixture(plan) }] }).results;
      expect((r.value as Record<string, string>).stdout).toMatch(/=== gitlab-aws load-test summary begin ===\n\{"schema":"gitlab-aws\/load-test-summary@1"/);
    });
  });
});
