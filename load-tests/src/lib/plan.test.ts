import { configFixture, planFixture } from '../testing/fixtures';
import { ENDPOINTS } from './endpoints';
import { buildK6Options, plannedSeconds } from './k6-options';
import { buildPlan } from './plan';

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
      expect(t.targetOps).toBe(t.targetRps * plan.holdSeconds);
    }
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
  it('mixed: one constant-arrival-rate scenario per traffic type at its rate, after a ramp-up', () => {
    const plan = planFixture('3k', { mixed: { rampUpSeconds: 60, holdSeconds: 900 } });
    const o = buildK6Options(plan, configFixture('3k').vus);
    expect(Object.keys(o.scenarios).sort()).toEqual(['api', 'api_ramp', 'gitPull', 'gitPull_ramp', 'web', 'web_ramp']);
    expect(o.scenarios.api).toMatchObject({ executor: 'constant-arrival-rate', rate: 60, timeUnit: '1s', duration: '900s', startTime: '60s', exec: 'api', tags: { traffic: 'api', phase: 'hold' } });
    expect(o.scenarios.api_ramp).toMatchObject({ executor: 'ramping-arrival-rate', startRate: 0, stages: [{ target: 60, duration: '60s' }], startTime: '0s', tags: { phase: 'ramp' } });
    expect(o.scenarios.web).toMatchObject({ rate: 6, exec: 'web' });
    expect(plannedSeconds(plan)).toBe(960);
  });

  it('per-endpoint: each endpoint alone at its own rate, one after another', () => {
    const plan = planFixture('2k', { mode: 'per-endpoint', perEndpoint: { rampUpSeconds: 5, holdSeconds: 60 } });
    const o = buildK6Options(plan, configFixture('2k').vus);
    expect(o.scenarios.api_user).toMatchObject({ executor: 'constant-arrival-rate', rate: 40, startTime: '5s', exec: 'endpoint', env: { LOAD_TEST_SCENARIO_ENDPOINT: 'api_user' } });
    expect(o.scenarios.api_groups).toMatchObject({ startTime: '80s' }); // 5 + 60 + 10 gap + 5
    expect(o.scenarios.api_projects).toMatchObject({ rate: 10 }); // slow endpoint at a quarter of the API rate
    expect(o.scenarios.web_project).toMatchObject({ rate: 4 });
    expect(o.scenarios.git_pull).toMatchObject({ rate: 4 });
    const holds = Object.keys(o.scenarios).filter((k) => !k.endsWith('_ramp'));
    expect(holds).toEqual(plan.endpoints.map((e) => e.name));
  });

  it('has one threshold per verdict rule, per endpoint tag and per traffic type', () => {
    const plan = planFixture('2k');
    const o = buildK6Options(plan, configFixture('2k').vus);
    expect(o.thresholds['http_req_waiting{endpoint:api_projects,phase:hold}']).toEqual(['p(90)<7000']);
    expect(o.thresholds['http_req_waiting{endpoint:web_project,phase:hold}']).toEqual(['p(90)<800']);
    expect(o.thresholds['gitlab_success{endpoint:git_pull,phase:hold}']).toEqual(['rate>0.99']);
    // 95% of 40 RPS over the default 900 s hold.
    expect(o.thresholds['gitlab_ops{traffic:api,phase:hold}']).toEqual(['count>=34200']);
    expect(o.thresholds.dropped_iterations).toEqual(['count==0']);
    expect(o.summaryTrendStats).toEqual(expect.arrayContaining(['p(90)', 'avg', 'count']));
  });

  it('bounds every VU pool and gives each runner its share of the counts', () => {
    const cfg = configFixture('3k', { vus: { maxVUs: 50, headroom: 3 } }, { LOAD_TEST_PARALLELISM: '4' });
    const o = buildK6Options(buildPlan(cfg), cfg.vus);
    for (const s of Object.values(o.scenarios)) {
      expect(s.maxVUs as number).toBeLessThanOrEqual(50);
      expect(s.preAllocatedVUs as number).toBeLessThanOrEqual(s.maxVUs as number);
    }
    expect(o.thresholds['gitlab_ops{traffic:api,phase:hold}']).toEqual([`count>=${Math.floor((60 * 900 * 0.95) / 4)}`]);
  });
});
