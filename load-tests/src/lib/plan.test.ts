import { configFixture, k6SummaryFixture, planFixture } from '../testing/fixtures';
import { ENDPOINTS } from './endpoints';
import { ratePerSecond } from './arrival';
import { buildK6Options, plannedSeconds } from './k6-options';
import { buildPlan } from './plan';
import { evaluate } from './verdict';

const sum = (xs: number[]) => Math.round(xs.reduce((s, x) => s + x, 0) * 1000) / 1000;

describe('endpoint catalog', () => {
  it('has at least 15 API endpoints, 6 web pages and Git over HTTP, each with a unique tag', () => {
    const by = (t: string) => ENDPOINTS.filter((e) => e.traffic === t && !e.write);
    expect(by('api').length).toBeGreaterThanOrEqual(15);
    expect(by('web').length).toBeGreaterThanOrEqual(6);
    expect(by('gitPull').map((e) => e.name)).toEqual(['git_ls_remote', 'git_pull']);
    expect(new Set(ENDPOINTS.map((e) => e.name)).size).toBe(ENDPOINTS.length);
    for (const e of ENDPOINTS) expect(e.ttfbP90Ms).toBeGreaterThan(0);
  });
  it('marks every request that creates data as a write', () => {
    expect(ENDPOINTS.filter((e) => e.write).map((e) => e.name).sort()).toEqual(['api_create_issue', 'git_push']);
  });
});

describe('buildPlan, mixed mode', () => {
  it.each([
    ['2k', { api: 40, web: 4, gitPull: 4 }],
    ['3k', { api: 60, web: 6, gitPull: 6 }],
    ['poc', { api: 40, web: 4, gitPull: 4 }],
  ] as const)('runs %s traffic at the size rates, shared out over the endpoints', (size, rates) => {
    const plan = planFixture(size);
    expect(Object.fromEntries(plan.traffic.map((t) => [t.type, t.targetRps]))).toEqual(rates);
    for (const t of plan.traffic) {
      expect(sum(plan.endpoints.filter((e) => e.traffic === t.type).map((e) => e.targetRps))).toBeCloseTo(t.targetRps, 2);
      expect(t.targetOps).toBeCloseTo(t.targetRps * plan.holdSeconds, 1);
    }
  });

  it('counts the requests of each operation, for sizing VU pools', () => {
    const plan = planFixture('2k', {}, { LOAD_TEST_UNSAFE_WRITES: 'true' });
    const requests = Object.fromEntries(plan.endpoints.map((e) => [e.name, e.requestsPerOp]));
    expect(requests).toMatchObject({ api_user: 1, web_project: 1, git_ls_remote: 1, git_pull: 2, git_push: 3 });
  });

  it('smoke: every endpoint once, no rates, no ramp, no hold', () => {
    const plan = planFixture('3k', {}, { LOAD_TEST_MODE: 'smoke' });
    expect(plan.mode).toBe('smoke');
    expect([plan.rampUpSeconds, plan.holdSeconds]).toEqual([0, 0]);
    expect(plan.endpoints.every((e) => e.targetOps === 1 && e.targetRps === 0)).toBe(true);
    expect(plan.traffic.find((t) => t.type === 'web')?.targetOps).toBe(9);
    expect(() => planFixture('3k', { mode: 'smoke' })).toThrow('loadTest.mode is "smoke": expected "mixed" or "per-endpoint"');
  });

  it('leaves writes out (with the reason) unless the unsafe flag is given', () => {
    const safe = planFixture('2k');
    expect(safe.traffic.map((t) => t.type)).not.toContain('gitPush');
    expect(safe.skipped).toEqual(
      expect.arrayContaining([
        { name: 'git_push', reason: 'writes data: needs the unsafe-writes flag' },
        { name: 'api_create_issue', reason: 'writes data: needs the unsafe-writes flag' },
      ]),
    );
    const unsafe = planFixture('3k', {}, { LOAD_TEST_UNSAFE_WRITES: 'true' });
    expect(unsafe.traffic.find((t) => t.type === 'gitPush')?.targetRps).toBe(1);
    expect(unsafe.endpoints.map((e) => e.name)).toContain('api_create_issue');
  });

  it('applies threshold overrides and exclusions, and rejects unknown endpoint names', () => {
    const plan = planFixture('2k', { thresholds: { ttfbP90Ms: { api_user: 150 } }, excludeEndpoints: ['web_group'] });
    expect(plan.endpoints.find((e) => e.name === 'api_user')?.ttfbP90Ms).toBe(150);
    expect(plan.endpoints.map((e) => e.name)).not.toContain('web_group');
    expect(() => buildPlan(configFixture('2k', { excludeEndpoints: ['api_userz'] }))).toThrow('loadTest.excludeEndpoints names unknown endpoint "api_userz": known endpoints are api_user');
    expect(() => buildPlan(configFixture('2k', {}, { LOAD_TEST_ENDPOINTS: 'nope' }))).toThrow('LOAD_TEST_ENDPOINTS names unknown endpoint "nope"');
  });
});

describe('buildK6Options', () => {
  it('mixed: every endpoint its own constant-arrival-rate scenario at its exact share, all at once, after a ramp-up', () => {
    const plan = planFixture('3k', { mixed: { rampUpSeconds: 60, holdSeconds: 900 } });
    const o = buildK6Options(plan, configFixture('3k').vus);
    expect(Object.keys(o.scenarios).sort()).toEqual(plan.endpoints.flatMap((e) => [e.name, `${e.name}_ramp`]).sort());
    // 60 RPS over a weight total of 19.5: weight 1 gets 40 per 13 s, the quarter-weight lists 10 per 13 s.
    expect(o.scenarios.api_user).toMatchObject({ executor: 'constant-arrival-rate', rate: 40, timeUnit: '13s', duration: '900s', startTime: '60s', exec: 'endpoint', env: { LOAD_TEST_SCENARIO_ENDPOINT: 'api_user' }, tags: { traffic: 'api', phase: 'hold' } });
    expect(o.scenarios.api_projects).toMatchObject({ rate: 10, timeUnit: '13s' });
    expect(o.scenarios.api_search).toMatchObject({ rate: 10, timeUnit: '13s' });
    expect(o.scenarios.api_user_ramp).toMatchObject({ executor: 'ramping-arrival-rate', startRate: 0, timeUnit: '13s', stages: [{ target: 40, duration: '60s' }], startTime: '0s', tags: { phase: 'ramp' } });
    expect(o.scenarios.web_project).toMatchObject({ rate: 2, timeUnit: '3s', startTime: '60s' });
    expect(o.scenarios.git_pull).toMatchObject({ rate: 3, timeUnit: '1s' });
    // The per-endpoint rates add up to the size's rate of each traffic type, exactly.
    for (const t of plan.traffic) {
      const total = t.endpoints.reduce((s, n) => s + ratePerSecond(o.scenarios[n] as { rate: number; timeUnit: string }), 0);
      expect(total).toBeCloseTo(t.targetRps, 9);
    }
    expect(plannedSeconds(plan)).toBe(960);
  });

  it('per-endpoint: each endpoint alone at its own rate, one after another', () => {
    const plan = planFixture('2k', { mode: 'per-endpoint', perEndpoint: { rampUpSeconds: 5, holdSeconds: 60 } });
    const o = buildK6Options(plan, configFixture('2k').vus);
    expect(o.scenarios.api_user).toMatchObject({ executor: 'constant-arrival-rate', rate: 40, timeUnit: '1s', startTime: '5s', exec: 'endpoint', env: { LOAD_TEST_SCENARIO_ENDPOINT: 'api_user' } });
    expect(o.scenarios.api_groups).toMatchObject({ startTime: '80s' }); // 5 + 60 + 10 gap + 5
    expect(o.scenarios.api_projects).toMatchObject({ rate: 10 }); // slow endpoint at a quarter of the API rate
    expect(o.scenarios.web_project).toMatchObject({ rate: 4 });
    expect(o.scenarios.git_pull).toMatchObject({ rate: 4 });
    const holds = Object.keys(o.scenarios).filter((k) => !k.endsWith('_ramp'));
    expect(holds).toEqual(plan.endpoints.map((e) => e.name));
    expect(plannedSeconds(plan)).toBe(plan.endpoints.length * 75 - 10);
  });

  it('has one threshold per verdict rule, judging only the hold window', () => {
    const plan = planFixture('2k');
    const o = buildK6Options(plan, configFixture('2k').vus);
    expect(o.thresholds['http_req_waiting{endpoint:api_projects,phase:hold}']).toEqual(['p(90)<7000']);
    expect(o.thresholds['http_req_waiting{endpoint:web_project,phase:hold}']).toEqual(['p(90)<800']);
    expect(o.thresholds['gitlab_success{endpoint:git_pull,phase:hold}']).toEqual(['rate>0.99']);
    // 95% of 40 RPS over the default 900 s hold.
    expect(o.thresholds['gitlab_ops{traffic:api,phase:hold}']).toEqual(['count>=34200']);
    // Each endpoint must record 95% of its own share (40/19.5 x 900 = 1846.2 ops): an endpoint with no samples fails k6 too.
    expect(o.thresholds['gitlab_ops{endpoint:api_user,phase:hold}']).toEqual(['count>=1753']);
    // k6 tags drops with the scenario name only: the hold scenarios are judged, the ramps are not.
    expect(o.thresholds['dropped_iterations{scenario:api_user}']).toEqual(['count==0']);
    expect(o.thresholds['dropped_iterations{scenario:api_user_ramp}']).toBeUndefined();
    expect(o.thresholds.dropped_iterations).toBeUndefined();
    expect(Object.keys(o.thresholds).filter((k) => k.startsWith('dropped_iterations'))).toHaveLength(plan.endpoints.length);
    expect(o.summaryTrendStats).toEqual(expect.arrayContaining(['p(90)', 'avg', 'count']));
  });

  it('smoke: one VU runs every endpoint once; each must succeed and be measured', () => {
    const plan = planFixture('2k', {}, { LOAD_TEST_MODE: 'smoke' });
    const o = buildK6Options(plan, configFixture('2k').vus);
    expect(o.scenarios).toEqual({ smoke: expect.objectContaining({ executor: 'shared-iterations', vus: 1, iterations: 1, exec: 'smoke', tags: { phase: 'smoke' } }) });
    expect(o.thresholds['gitlab_success{endpoint:api_user,phase:smoke}']).toEqual(['rate>0.99']);
    expect(o.thresholds['gitlab_ops{endpoint:web_group,phase:smoke}']).toEqual(['count>=1']);
    expect(Object.keys(o.thresholds).some((k) => k.includes('phase:hold') || k.startsWith('dropped'))).toBe(false);
    expect(plannedSeconds(plan)).toBe(0);
  });

  it('sizes every pool for its endpoint, bounded, and gives each runner its share of the counts', () => {
    const cfg = configFixture('3k', { vus: { maxVUs: 50, headroom: 3 } }, { LOAD_TEST_PARALLELISM: '4' });
    const o = buildK6Options(buildPlan(cfg), cfg.vus);
    for (const s of Object.values(o.scenarios)) {
      expect(s.maxVUs as number).toBeLessThanOrEqual(50);
      expect(s.preAllocatedVUs as number).toBeLessThanOrEqual(s.maxVUs as number);
    }
    // git_pull: 3 RPS, two requests of up to 400 ms: 2.4 busy x 3 headroom + 1.
    expect(o.scenarios.git_pull).toMatchObject({ preAllocatedVUs: 9, maxVUs: 18 });
    expect(o.thresholds['gitlab_ops{traffic:api,phase:hold}']).toEqual([`count>=${Math.floor((60 * 900 * 0.95) / 4)}`]);
    const expected = configFixture('3k', { vus: { expectedLatencyMs: 100 } });
    expect(buildK6Options(buildPlan(expected), expected.vus).scenarios.git_pull).toMatchObject({ preAllocatedVUs: 3, maxVUs: 6 });
  });

  it('sizes a pool from an earlier run\'s measured latency when it exceeds the TTFB limit', () => {
    // git_pull measured at 1500 ms per request: 3 RPS x 2 x 1.5 s = 9 busy, x2 + 1.
    const cfg = configFixture('3k', {}, { LOAD_TEST_MEASURED_LATENCY_MS: JSON.stringify({ git_pull: 1500, api_user: 50 }) });
    const o = buildK6Options(buildPlan(cfg), cfg.vus);
    expect(o.scenarios.git_pull).toMatchObject({ preAllocatedVUs: 19, maxVUs: 38 });
    // Faster than the limit: the limit still bounds a healthy target.
    expect(o.scenarios.api_user).toMatchObject(buildK6Options(planFixture('3k'), configFixture('3k').vus).scenarios.api_user);
    expect(() => configFixture('3k', {}, { LOAD_TEST_MEASURED_LATENCY_MS: '[1]' })).toThrow('LOAD_TEST_MEASURED_LATENCY_MS is not a JSON object of endpoint names and milliseconds');
    expect(() => configFixture('3k', {}, { LOAD_TEST_MEASURED_LATENCY_MS: '{"git_pull":"slow"}' })).toThrow('LOAD_TEST_MEASURED_LATENCY_MS is not a JSON object');
    expect(() => configFixture('3k', {}, { LOAD_TEST_MEASURED_LATENCY_MS: '{' })).toThrow('LOAD_TEST_MEASURED_LATENCY_MS is not a JSON object');
  });

  it.each(['mixed', 'per-endpoint', 'smoke'])('%s: the verdict reads exactly the sub-metrics the thresholds make k6 report', (mode) => {
    const cfg = configFixture('2k', {}, { LOAD_TEST_MODE: mode });
    const plan = buildPlan(cfg);
    const thresholdKeys = Object.keys(buildK6Options(plan, cfg.vus).thresholds).sort();
    // The fixture holds the sub-metrics evaluate() looks up, plus k6's built-in metrics.
    const read = Object.keys(k6SummaryFixture(plan).metrics).filter((k) => k.includes('{')).sort();
    expect(read).toEqual(thresholdKeys);
    expect(thresholdKeys.every((k) => k.includes(mode === 'smoke' ? 'phase:smoke' : 'phase:hold') || k.startsWith('dropped_iterations{scenario:'))).toBe(true);
  });

  it.each(['2k', '3k'] as const)('%s mixed: what k6 starts is each endpoint\'s target, so a perfect server scores 100%%', (size) => {
    const cfg = configFixture(size);
    const plan = buildPlan(cfg);
    const o = buildK6Options(plan, cfg.vus);
    for (const e of plan.endpoints) {
      const started = ratePerSecond(o.scenarios[e.name] as { rate: number; timeUnit: string }) * plan.holdSeconds;
      expect(Math.abs(started - e.targetOps)).toBeLessThan(0.01);
    }
    const perfect = Object.fromEntries(plan.endpoints.map((e) => [e.name, 1]));
    const v = evaluate(plan, k6SummaryFixture(plan, { success: perfect }));
    expect([v.passed, v.score]).toEqual([true, 100]);
  });
});
