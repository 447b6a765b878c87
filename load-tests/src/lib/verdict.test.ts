import { k6SummaryFixture, planFixture } from '../testing/fixtures';
import { evaluate, latencyFactor } from './verdict';

const plan = planFixture('2k');

describe('evaluate', () => {
  it('passes a run where every rule holds, with a healthy score', () => {
    const v = evaluate(plan, k6SummaryFixture(plan));
    expect(v.failures).toEqual([]);
    expect(v.passed).toBe(true);
    expect(v.score).toBeGreaterThan(99);
    expect(v.endpoints).toHaveLength(plan.endpoints.length);
    expect(v.traffic.map((t) => [t.type, t.targetRps, t.achievedRps])).toEqual([
      ['api', 40, 40],
      ['web', 4, 4],
      ['gitPull', 4, 4],
    ]);
  });

  it('fails on one endpoint over its TTFB p90 limit and says by how much', () => {
    const v = evaluate(plan, k6SummaryFixture(plan, { ttfbP90: { api_project: 650 } }));
    expect(v.passed).toBe(false);
    expect(v.failures).toEqual([expect.objectContaining({ kind: 'ttfb', subject: 'api_project', actual: 650, limit: 500, message: 'api_project: TTFB p90 650 ms >= 500 ms (+30%)' })]);
    expect(v.endpoints.find((e) => e.name === 'api_project')?.ok).toBe(false);
  });

  it('fails when an endpoint succeeds for 99% or less', () => {
    const v = evaluate(plan, k6SummaryFixture(plan, { success: { web_issue: 0.98 } }));
    expect(v.failures.map((f) => [f.kind, f.subject])).toEqual([['success', 'web_issue']]);
    expect(v.failures[0].message).toBe('web_issue: success rate 98% <= 99% (2% failed)');
    expect(v.score).toBeLessThan(100);
  });

  it('fails when a traffic type reaches less than 95% of its target', () => {
    const v = evaluate(plan, k6SummaryFixture(plan, { achieved: { api: 0.9 } }));
    expect(v.failures.map((f) => [f.kind, f.subject])).toEqual([...plan.endpoints.filter((e) => e.traffic === 'api').map((e) => ['ops', e.name]), ['achieved', 'api']]);
    expect(v.failures.at(-1)!.message).toMatch(/^api: achieved 36(\.0\d)? of 40 RPS \(90%, needs 95%\)$/);
    expect(v.score).toBeLessThan(95);
  });

  it('fails on any iteration dropped in the hold window', () => {
    const v = evaluate(plan, k6SummaryFixture(plan, { dropped: 12 }));
    expect(v.failures).toEqual([expect.objectContaining({ kind: 'dropped', actual: 12 })]);
    expect(v.droppedIterations).toBe(12);
  });

  it('reports drops during the ramp-up without judging them', () => {
    const v = evaluate(plan, k6SummaryFixture(plan, { rampDropped: 1 }));
    expect(v.passed).toBe(true);
    expect([v.droppedIterations, v.rampDroppedIterations]).toEqual([0, 1]);
    const both = evaluate(plan, k6SummaryFixture(plan, { rampDropped: 2, dropped: 1 }));
    expect([both.passed, both.droppedIterations, both.rampDroppedIterations]).toEqual([false, 1, 2]);
  });

  it('never passes an endpoint without samples: k6 shows it as count 0, p(90) 0', () => {
    const data = k6SummaryFixture(plan, { noSamples: ['web_group'] });
    expect(data.metrics['http_req_waiting{endpoint:web_group,phase:hold}'].values).toMatchObject({ count: 0, 'p(90)': 0 });
    const v = evaluate(plan, data);
    expect(v.passed).toBe(false);
    expect(v.failures.map((f) => [f.kind, f.status, f.message])).toEqual([
      ['ttfb', 'not-evaluated', 'web_group: TTFB not evaluated: no requests measured in the hold window'],
      ['success', 'not-evaluated', 'web_group: success rate not evaluated: no operations recorded in the hold window'],
      ['ops', 'fail', 'web_group: 0 operations < 380 needed (95% of its target)'],
      ['achieved', 'fail', 'web: achieved 3.56 of 4 RPS (88.9%, needs 95%)'],
    ]);
    const row = v.endpoints.find((e) => e.name === 'web_group')!;
    expect([row.ttfbP90Ms, row.ttfbAvgMs, row.successRate, row.status, row.ok]).toEqual([null, null, null, 'fail', false]);
    // Also when the sub-metrics are absent altogether.
    const metrics = Object.fromEntries(Object.entries(k6SummaryFixture(plan).metrics).filter(([k]) => !k.includes('endpoint:web_group')));
    expect(evaluate(plan, { metrics }).failures.map((f) => `${f.kind}:${f.status}`)).toEqual(['ttfb:not-evaluated', 'success:not-evaluated', 'ops:fail']);
  });

  it('needs each endpoint to reach its share of the target operations', () => {
    const data = k6SummaryFixture(plan);
    const key = 'gitlab_ops{endpoint:api_user,phase:hold}';
    const short = { ...data, metrics: { ...data.metrics, [key]: { ...data.metrics[key], values: { count: 1752, rate: 1 } } } };
    expect(evaluate(plan, short).failures.map((f) => f.message)).toEqual(['api_user: 1752 operations < 1753 needed (95% of its target)']);
    const enough = { ...data, metrics: { ...data.metrics, [key]: { ...data.metrics[key], values: { count: 1753, rate: 1 } } } };
    expect(evaluate(plan, enough).passed).toBe(true);
  });

  it('states a failed setup as the cause and judges nothing else', () => {
    const cause = 'https://gitlab-2k.example.com answered GET /api/v4/user with 503 Service Unavailable';
    const v = evaluate(plan, k6SummaryFixture(plan, { setupError: cause }), 1, cause);
    expect(v.passed).toBe(false);
    expect(v.setupError).toBe(cause);
    expect(v.score).toBe(0);
    expect(v.failures).toEqual([expect.objectContaining({ kind: 'setup', status: 'fail', message: `setup failed, no load was sent: ${cause}` })]);
    expect(v.checks).toEqual(v.failures);
    expect(v.endpoints.every((e) => e.status === 'not-evaluated' && !e.ok)).toBe(true);
    expect(v.traffic.every((t) => !t.ok)).toBe(true);
    expect(evaluate(plan, k6SummaryFixture(plan)).setupError).toBeUndefined();
  });

  it('judges a smoke run on success and one operation per endpoint only', () => {
    const smoke = planFixture('2k', {}, { LOAD_TEST_MODE: 'smoke' });
    const ok = evaluate(smoke, k6SummaryFixture(smoke, { ttfbP90: { api_user: 5000 } }));
    expect(ok.passed).toBe(true);
    expect(ok.score).toBe(100);
    expect(ok.checks.map((c) => c.kind).every((k) => k === 'success' || k === 'ops')).toBe(true);
    expect(ok.traffic).toEqual([]);
    const failed = evaluate(smoke, k6SummaryFixture(smoke, { success: { web_issue: 0 }, noSamples: ['git_pull'] }));
    expect(failed.failures.map((f) => `${f.kind}:${f.subject}:${f.status}`)).toEqual(['success:web_issue:fail', 'success:git_pull:not-evaluated', 'ops:git_pull:fail']);
  });

  it('counts latency in the score: a target 7.5 times over its TTFB limits scores far below healthy', () => {
    const slow = Object.fromEntries(plan.endpoints.map((e) => [e.name, 1500]));
    const v = evaluate(plan, k6SummaryFixture(plan, { ttfbP90: slow }));
    expect(v.score).toBeLessThan(90);
    expect(evaluate(plan, k6SummaryFixture(plan)).score).toBe(99.9);
    expect([latencyFactor(null, 200), latencyFactor(199, 200), latencyFactor(200, 200), latencyFactor(1500, 200)]).toEqual([0, 1, 1, 200 / 1500]);
  });

  it('judges one of N runners against its share of the load', () => {
    const p = planFixture('3k', {}, { LOAD_TEST_PARALLELISM: '3' });
    expect(evaluate(p, k6SummaryFixture(p, { loadShare: 1 / 3 }), 1 / 3).passed).toBe(true);
    expect(new Set(evaluate(p, k6SummaryFixture(p, { loadShare: 1 / 3 }), 1).failures.map((f) => f.kind))).toEqual(new Set(['ops', 'achieved']));
  });

  it('finds sub-metrics whatever the tag order and spacing of their keys', () => {
    const data = k6SummaryFixture(plan, { ttfbP90: { api_user: 900 } });
    const key = 'http_req_waiting{endpoint:api_user,phase:hold}';
    const { [key]: m, ...rest } = data.metrics;
    const v = evaluate(plan, { ...data, metrics: { ...rest, 'http_req_waiting{ phase:hold, endpoint:"api_user" }': m } });
    expect(v.failures.map((f) => f.subject)).toEqual(['api_user']);
  });
});
