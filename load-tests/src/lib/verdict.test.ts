import { k6SummaryFixture, planFixture } from '../testing/fixtures';
import { evaluate } from './verdict';

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
    expect(v.failures.map((f) => [f.kind, f.subject])).toEqual([['achieved', 'api']]);
    expect(v.failures[0].message).toMatch(/^api: achieved 36(\.0\d)? of 40 RPS \(90%, needs 95%\)$/);
    expect(v.score).toBeLessThan(95);
  });

  it('fails on any dropped iteration', () => {
    const v = evaluate(plan, k6SummaryFixture(plan, { dropped: 12 }));
    expect(v.failures).toEqual([expect.objectContaining({ kind: 'dropped', actual: 12 })]);
    expect(v.droppedIterations).toBe(12);
  });

  it('fails an endpoint that recorded nothing instead of passing it', () => {
    const data = k6SummaryFixture(plan);
    const metrics = Object.fromEntries(Object.entries(data.metrics).filter(([k]) => !k.includes('endpoint:web_group')));
    const v = evaluate(plan, { ...data, metrics });
    expect(v.failures.map((f) => f.message)).toEqual(['web_group: no requests measured in the hold window', 'web_group: no operations recorded']);
  });

  it('judges one of N runners against its share of the load', () => {
    const p = planFixture('3k', {}, { LOAD_TEST_PARALLELISM: '3' });
    expect(evaluate(p, k6SummaryFixture(p, { loadShare: 1 / 3 }), 1 / 3).passed).toBe(true);
    expect(evaluate(p, k6SummaryFixture(p, { loadShare: 1 / 3 }), 1).failures.map((f) => f.kind)).toEqual(['achieved', 'achieved', 'achieved']);
  });

  it('finds sub-metrics whatever the tag order and spacing of their keys', () => {
    const data = k6SummaryFixture(plan, { ttfbP90: { api_user: 900 } });
    const key = 'http_req_waiting{endpoint:api_user,phase:hold}';
    const { [key]: m, ...rest } = data.metrics;
    const v = evaluate(plan, { ...data, metrics: { ...rest, 'http_req_waiting{ phase:hold, endpoint:"api_user" }': m } });
    expect(v.failures.map((f) => f.subject)).toEqual(['api_user']);
  });
});
