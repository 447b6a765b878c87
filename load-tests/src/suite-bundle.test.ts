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
    expect(run('2k').exports).toEqual(['default', 'endpoint', 'handleSummary', 'options', 'setup', 'smoke']);
  });

  it.each([
    ['2k', 40, 4, 4],
    ['3k', 60, 6, 6],
    ['poc', 40, 4, 4],
  ] as const)('mixed options for %s: one constant-arrival-rate scenario per endpoint, the shares adding up to the size rates', (size, apiRate, webRate, pullRate) => {
    const { options } = run(size);
    const s = options!.scenarios;
    const perSecond = (names: string[]) => names.reduce((sum, n) => sum + (s[n].rate as number) / Number(String(s[n].timeUnit).replace(/s$/, '')), 0);
    const holds = (traffic: string) => Object.keys(s).filter((n) => !n.endsWith('_ramp') && (s[n].tags as Record<string, string>).traffic === traffic);
    expect(holds('api')).toHaveLength(21);
    expect(perSecond(holds('api'))).toBeCloseTo(apiRate, 9);
    expect(perSecond(holds('web'))).toBeCloseTo(webRate, 9);
    expect(perSecond(holds('gitPull'))).toBeCloseTo(pullRate, 9);
    expect(s.api_user).toMatchObject({ executor: 'constant-arrival-rate', exec: 'endpoint', env: { LOAD_TEST_SCENARIO_ENDPOINT: 'api_user' }, tags: { traffic: 'api', phase: 'hold' } });
    expect(s.api_user_ramp).toMatchObject({ executor: 'ramping-arrival-rate', stages: [{ target: s.api_user.rate, duration: '60s' }], tags: { phase: 'ramp' } });
    expect(holds('gitPush')).toEqual([]);
    expect(options!.thresholds['http_req_waiting{endpoint:api_merge_request,phase:hold}']).toEqual(['p(90)<600']);
    expect(options!.thresholds['http_req_waiting{endpoint:git_pull,phase:hold}']).toEqual(['p(90)<400']);
    expect(options!.thresholds['gitlab_success{endpoint:web_group,phase:hold}']).toEqual(['rate>0.99']);
    expect(options!.thresholds[`gitlab_ops{traffic:api,phase:hold}`]).toEqual([`count>=${Math.floor(apiRate * 900 * 0.95)}`]);
    expect(options!.thresholds['dropped_iterations{scenario:git_pull}']).toEqual(['count==0']);
    expect(options!.thresholds.dropped_iterations).toBeUndefined();
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

  const ROUTES = [
    { path: '^/api/v4/user$', status: 200, body: { id: 1 } },
    { path: '^/api/v4/projects/perf%2Fgitlabhq$', status: 200, body: { id: 7, default_branch: 'master', visibility: 'public' } },
    { path: '^/api/v4/groups/perf\\?', status: 200, body: { id: 3, visibility: 'public' } },
    { path: '/repository/commits/master$', status: 200, body: { id: 'c'.repeat(40), parent_ids: ['p'.repeat(40)] } },
    { path: '/repository/tree\\?', status: 200, body: [{ type: 'blob', path: 'README.md' }] },
    { path: '/merge_requests\\?', status: 200, body: [{ iid: 12 }] },
    { path: '/issues\\?', status: 200, body: [{ iid: 34 }] },
  ];

  it('setup() checks the token and discovers the test data through the API', () => {
    const [setup] = run('2k', { routes: ROUTES, actions: [{ call: 'setup' }] }).results;
    expect(setup.error).toBeUndefined();
    expect(setup.value).toMatchObject({ projectId: 7, groupId: 3, branch: 'master', filePath: 'README.md', mergeRequestIid: 12, issueIid: 34 });
    expect(setup.requests[0]).toMatchObject({ method: 'GET', url: 'https://gitlab-2k.example.com/api/v4/user', headers: { 'PRIVATE-TOKEN': TOKEN } });
  });

  it('a failed setup returns its cause for the reports, and the first iteration aborts the test without sending load', () => {
    const [rejected, iteration, smokeRun] = run('2k', {
      routes: [{ path: '^/api/v4/user$', status: 401 }],
      actions: [{ call: 'setup' }, { call: 'endpoint', data: 'setup', env: { LOAD_TEST_SCENARIO_ENDPOINT: 'api_user' } }, { call: 'smoke', data: 'setup' }],
    }).results;
    expect(rejected.error).toBeUndefined();
    expect((rejected.value as { setupError: string }).setupError).toContain('GitLab at https://gitlab-2k.example.com rejected GITLAB_TOKEN (401)');
    expect(iteration.aborted).toMatch(/^setup failed: GitLab at https:\/\/gitlab-2k.example.com rejected GITLAB_TOKEN \(401\)/);
    expect(iteration.requests).toEqual([]);
    expect(iteration.samples).toEqual([]);
    expect(smokeRun.aborted).toContain('setup failed');
    expect(smokeRun.requests).toEqual([]);

    const [down] = run('2k', { routes: [{ path: '^/api/v4/user$', status: 503, body: '<html>down</html>', contentType: 'text/html; charset=utf-8' }], actions: [{ call: 'setup' }] }).results;
    expect((down.value as { setupError: string }).setupError).toContain(
      "https://gitlab-2k.example.com answered GET /api/v4/user with 503 Service Unavailable (text/html); expected 200 with the token's user as JSON",
    );
    const [noToken] = run('2k', { env: { GITLAB_TOKEN: '' }, actions: [{ call: 'setup' }] }).results;
    expect((noToken.value as { setupError: string }).setupError).toContain('GITLAB_TOKEN is not set');
    expect(noToken.requests).toEqual([]);
  });

  it('endpoint() runs the endpoint its scenario names, with the token header and endpoint tags', () => {
    const apiEndpoints = planFixture('2k').endpoints.filter((e) => e.traffic === 'api').map((e) => e.name);
    const out = run('2k', { actions: apiEndpoints.map((name) => ({ call: 'endpoint', data: DATA, env: { LOAD_TEST_SCENARIO_ENDPOINT: name } })) });
    const requests = out.results.flatMap((r) => r.requests);
    expect(requests.map((r) => r.tags.endpoint)).toEqual(apiEndpoints);
    for (const r of requests) {
      expect(r.url.startsWith('https://gitlab-2k.example.com/api/v4/')).toBe(true);
      expect(r.headers['PRIVATE-TOKEN']).toBe(TOKEN);
      expect(r.redirects).toBe(0);
      expect(r.tags).toMatchObject({ traffic: 'api', name: r.tags.endpoint });
    }
    const paths = requests.map((r) => r.url.replace('https://gitlab-2k.example.com', ''));
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
    expect(requests.some((r) => r.method !== 'GET')).toBe(false); // no writes without the flag
    const samples = out.results.flatMap((r) => r.samples);
    expect(samples.filter((s) => s.metric === 'gitlab_ops')).toHaveLength(apiEndpoints.length);
    expect(samples.filter((s) => s.metric === 'gitlab_success').every((s) => s.value === 1 && s.tags.traffic === 'api')).toBe(true);
    const [unknown] = run('2k', { actions: [{ call: 'endpoint', data: DATA, env: { LOAD_TEST_SCENARIO_ENDPOINT: 'git_push' } }] }).results;
    expect(unknown.error).toContain('scenario endpoint "git_push" is not planned');
  });

  it('picks the endpoint by scenario, not by iteration: every execution segment runs the full mix', () => {
    // With two k6-operator runners, runner 1 sees even and runner 2 odd iterationInTest values.
    const calls = (start: number) =>
      run('2k', { actions: ['git_pull', 'git_ls_remote', 'api_projects', 'api_search'].map((name, i) => ({ call: 'endpoint', data: DATA, iterationStart: start + 2 * i, times: 2, env: { LOAD_TEST_SCENARIO_ENDPOINT: name } })) }).results.map(
        (r) => [...new Set(r.samples.filter((s) => s.metric === 'gitlab_ops').map((s) => s.tags.endpoint))],
      );
    expect(calls(0)).toEqual([['git_pull'], ['git_ls_remote'], ['api_projects'], ['api_search']]);
    expect(calls(1)).toEqual(calls(0));
    // And the options, which every runner shares, give each endpoint its own scenario.
    const { options } = run('3k', { env: { LOAD_TEST_PARALLELISM: '2' } });
    expect(Object.keys(options!.scenarios)).toEqual(expect.arrayContaining(['git_pull', 'git_ls_remote', 'api_projects', 'api_search']));
    expect(options!.thresholds['gitlab_ops{endpoint:git_pull,phase:hold}']).toEqual([`count>=${Math.floor((3 * 900 * 0.95) / 2)}`]);
  });

  it('web pages are fetched anonymously without following redirects to the sign-in page', () => {
    const webEndpoints = planFixture('3k').endpoints.filter((e) => e.traffic === 'web').map((e) => e.name);
    const out = run('3k', { routes: [{ path: '^/perf/gitlabhq/-/issues/34$', status: 302 }], actions: webEndpoints.map((name) => ({ call: 'endpoint', data: DATA, env: { LOAD_TEST_SCENARIO_ENDPOINT: name } })) });
    const requests = out.results.flatMap((r) => r.requests);
    const paths = requests.map((r) => r.url.replace('https://gitlab-3k.example.com', ''));
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
    for (const r of requests) {
      expect(r.headers).not.toHaveProperty('PRIVATE-TOKEN');
      expect(r.headers).not.toHaveProperty('Authorization');
      expect(r.redirects).toBe(0);
    }
    const failed = out.results.flatMap((r) => r.samples).filter((s) => s.metric === 'gitlab_success' && s.value === 0);
    expect(failed.map((s) => s.tags.endpoint)).toEqual(['web_issue']);
  });

  it('git pull runs ls-remote and a one-commit fetch over smart HTTP with Basic auth', () => {
    const advert = '001e# service=git-upload-pack\n0000';
    const out = run('2k', {
      routes: [{ path: 'info/refs\\?service=git-upload-pack$', status: 200, body: advert }],
      actions: ['git_ls_remote', 'git_pull'].map((name) => ({ call: 'endpoint', data: DATA, env: { LOAD_TEST_SCENARIO_ENDPOINT: name } })),
    });
    const requests = out.results.flatMap((r) => r.requests);
    expect(requests.map((r) => `${r.method} ${r.url.replace('https://gitlab-2k.example.com', '')}`)).toEqual([
      'GET /perf/gitlabhq.git/info/refs?service=git-upload-pack',
      'GET /perf/gitlabhq.git/info/refs?service=git-upload-pack',
      'POST /perf/gitlabhq.git/git-upload-pack',
    ]);
    const auth = `Basic ${Buffer.from(`oauth2:${TOKEN}`).toString('base64')}`;
    for (const r of requests) expect(r.headers.Authorization).toBe(auth);
    const post = requests[2];
    expect(post.headers['Content-Type']).toBe('application/x-git-upload-pack-request');
    expect(post.body).toContain(`want ${'c'.repeat(40)} `);
    expect(post.body).toContain(`have ${'p'.repeat(40)}\n`);
    expect(out.results.flatMap((r) => r.samples).filter((s) => s.metric === 'gitlab_success').map((s) => [s.tags.endpoint, s.value])).toEqual([
      ['git_ls_remote', 1],
      ['git_pull', 1],
    ]);
  });

  it('pushes only with the unsafe flag: a branch at an existing commit, then its deletion', () => {
    const push = { call: 'endpoint', data: DATA, env: { LOAD_TEST_SCENARIO_ENDPOINT: 'git_push' } };
    const [refused] = run('2k', { actions: [push] }).results;
    expect(refused.error).toContain('scenario endpoint "git_push" is not planned');
    expect(refused.requests).toEqual([]);

    const advert = { path: 'info/refs\\?service=git-receive-pack$', status: 200, body: '001f# service=git-receive-pack\n0000' };
    const routes = [advert, { path: 'git-receive-pack$', status: 200, reportStatus: true }];
    const [pushed] = run('2k', { env: { LOAD_TEST_UNSAFE_WRITES: 'true' }, routes, actions: [push] }).results;
    expect(pushed.samples.filter((s) => s.metric === 'gitlab_success').map((s) => [s.tags.endpoint, s.value])).toEqual([['git_push', 1]]);
    expect(pushed.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'POST']);
    expect(pushed.requests[1].bodyType).toBe('[object ArrayBuffer]');
    expect(pushed.requests[1].body).toMatch(new RegExp(`^[0-9a-f]{4}0{40} ${'c'.repeat(40)} refs/heads/load-test/1-\\d+-[0-9a-z]+\\0report-status`));
    expect(pushed.requests[1].body).toContain('0000PACK');
    expect(pushed.requests[2].body).toMatch(new RegExp(`^[0-9a-f]{4}${'c'.repeat(40)} 0{40} refs/heads/load-test/`));

    // A rejected ref update ("ng") answers 200 but is a failed push, and the deletion is not sent.
    const rejected = [advert, { path: 'git-receive-pack$', status: 200, body: '000eunpack ok\n0030ng refs/heads/load-test/x pre-receive hook declined\n0000' }];
    const [ng] = run('2k', { env: { LOAD_TEST_UNSAFE_WRITES: 'true' }, routes: rejected, actions: [push] }).results;
    expect(ng.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
    expect(ng.samples.filter((s) => s.metric === 'gitlab_success').map((s) => s.value)).toEqual([0]);
  });

  it('smoke mode: one iteration calls every endpoint once, and a healthy target passes', () => {
    const env = { LOAD_TEST_MODE: 'smoke', LOAD_TEST_REPORT_DIR: 'out' };
    const { options, results } = run('2k', {
      env,
      routes: [...ROUTES, { path: 'info/refs\\?service=git-upload-pack$', status: 200, body: '001e# service=git-upload-pack\n0000' }],
      actions: [{ call: 'setup' }, { call: 'smoke', data: 'setup' }],
    });
    expect(options!.scenarios).toEqual({ smoke: expect.objectContaining({ executor: 'shared-iterations', vus: 1, iterations: 1, exec: 'smoke' }) });
    const [, smoke] = results;
    const plan = planFixture('2k', {}, { LOAD_TEST_MODE: 'smoke' });
    expect(smoke.samples.filter((s) => s.metric === 'gitlab_ops').map((s) => s.tags.endpoint)).toEqual(plan.endpoints.map((e) => e.name));
    expect(smoke.samples.filter((s) => s.metric === 'gitlab_success').every((s) => s.value === 1)).toBe(true);
    // handleSummary on what k6 reports for such a run (one sample per endpoint, tagged phase:smoke).
    const [summary] = run('2k', { env, actions: [{ call: 'handleSummary', data: k6SummaryFixture(plan) }] }).results;
    const files = summary.value as Record<string, string>;
    expect(JSON.parse(files['out/summary.json']).verdict.passed).toBe(true);
    expect(files.stdout).toContain('(2k, smoke): PASSED');
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
      expect(summarize({ achieved: { gitPull: 0.9 } }).verdict.failures.map((f) => `${f.kind}:${f.subject}`)).toEqual(['ops:git_ls_remote', 'ops:git_pull', 'achieved:gitPull']);
    });
    it('fails iterations dropped in the hold window, not those of the ramp-up', () => {
      const { files, verdict } = summarize({ dropped: 3 });
      expect(verdict.failures.map((f) => f.kind)).toEqual(['dropped']);
      expect(files['out/run-1/junit.xml']).toContain('3 iterations dropped in the hold window');
      expect(summarize({ rampDropped: 1 }).verdict.passed).toBe(true);
    });
    it('never passes an endpoint without samples (count 0, p(90) 0)', () => {
      const { files, verdict } = summarize({ noSamples: ['api_projects'] });
      expect(verdict.passed).toBe(false);
      expect(files.stdout).not.toMatch(/api_projects: TTFB p90 0 ms/);
      expect(files.stdout).toContain('not evaluated: api_projects: TTFB not evaluated: no requests measured in the hold window');
    });
    it('puts the cause of a failed setup (from setup_data) into every report and the console', () => {
      const cause = 'GitLab at https://gitlab-2k.example.com rejected GITLAB_TOKEN (401): it is missing, expired or revoked';
      const { files, verdict } = summarize({ setupError: cause });
      expect(verdict.passed).toBe(false);
      expect(files.stdout).toContain(`SETUP FAILED, no load was sent:\n    ${cause}`);
      for (const f of ['out/run-1/report.md', 'out/run-1/junit.xml', 'out/run-1/report.html', 'out/run-1/summary.json']) expect(files[f]).toContain('rejected GITLAB_TOKEN (401)');
    });
    it('prints the summary between markers for k6-operator runners when asked', () => {
      const [r] = run('2k', { env: { LOAD_TEST_SUMMARY_STDOUT: 'true' }, actions: [{ call: 'handleSummary', data: k6SummaryFixture(plan) }] }).results;
      expect((r.value as Record<string, string>).stdout).toMatch(/=== gitlab-aws load-test summary begin ===\n\{"schema":"gitlab-aws\/load-test-summary@1"/);
    });
  });
});
