import { k6SummaryFixture, planFixture } from '../testing/fixtures';
import { mergeK6Data, mergeSummaries } from './merge';
import { summaryDocument } from './summary-document';

const at = '2025-01-01T00:00:00.000Z';
const plan = planFixture('3k', {}, { LOAD_TEST_PARALLELISM: '2' });
const runner = (shape = {}) => summaryDocument(plan, k6SummaryFixture(plan, { loadShare: 0.5, ...shape }), at);

describe('mergeK6Data', () => {
  it('adds counts and rates, weights averages by count and keeps the worst percentile', () => {
    const a = { metrics: { t: { type: 'trend' as const, values: { avg: 100, min: 10, med: 90, max: 400, 'p(90)': 200, count: 300 } }, c: { type: 'counter' as const, values: { count: 5, rate: 1 } }, r: { type: 'rate' as const, values: { rate: 1, passes: 9, fails: 0 } } } };
    const b = { metrics: { t: { type: 'trend' as const, values: { avg: 200, min: 5, med: 150, max: 900, 'p(90)': 350, count: 100 } }, c: { type: 'counter' as const, values: { count: 7, rate: 2 } }, r: { type: 'rate' as const, values: { rate: 0, passes: 0, fails: 1 } } } };
    const m = mergeK6Data([a, b]).metrics;
    expect(m.t.values).toEqual({ avg: 125, min: 5, med: 150, max: 900, 'p(90)': 350, count: 400 });
    expect(m.c.values).toEqual({ count: 12, rate: 3 });
    expect(m.r.values).toEqual({ rate: 0.9, passes: 9, fails: 1 });
  });

  it("ignores a runner's empty trend (k6's count 0, all zeros) for min and percentiles", () => {
    const empty = { metrics: { t: { type: 'trend' as const, values: { avg: 0, min: 0, med: 0, max: 0, 'p(90)': 0, count: 0 } } } };
    const full = { metrics: { t: { type: 'trend' as const, values: { avg: 100, min: 10, med: 90, max: 400, 'p(90)': 200, count: 300 } } } };
    expect(mergeK6Data([empty, full]).metrics.t.values).toEqual({ avg: 100, min: 10, med: 90, max: 400, 'p(90)': 200, count: 300 });
    expect(mergeK6Data([empty, empty]).metrics.t.values).toMatchObject({ count: 0, 'p(90)': 0 });
  });
});

describe('mergeSummaries', () => {
  it('carries a runner\'s setup failure into the merged verdict', () => {
    const failed = summaryDocument(plan, k6SummaryFixture(plan, { loadShare: 0.5, setupError: 'token rejected (401)' }), at);
    const merged = mergeSummaries([failed, runner()], at);
    expect(merged.verdict.passed).toBe(false);
    expect(merged.verdict.setupError).toBe('token rejected (401)');
  });

  it('fails a merged run in which a runner measured nothing for an endpoint', () => {
    const merged = mergeSummaries([runner({ noSamples: ['git_pull', 'api_projects'] }), runner()], at);
    expect(merged.verdict.failures.map((f) => `${f.kind}:${f.subject}`)).toEqual(expect.arrayContaining(['ops:api_projects', 'ops:git_pull']));
    expect(merged.verdict.endpoints.find((e) => e.name === 'git_pull')?.ttfbP90Ms).toBe(200);
  });

  it('judges N runners together against the whole target', () => {
    const merged = mergeSummaries([runner(), runner()], at);
    expect(merged.runners).toBe(2);
    expect(merged.verdict.passed).toBe(true);
    const api = merged.verdict.traffic.find((t) => t.type === 'api')!;
    expect(api.targetRps).toBe(60);
    expect(api.achievedRps).toBeCloseTo(60, 0);
  });

  it('fails when a runner is missing: the others do not reach the whole target', () => {
    const merged = mergeSummaries([runner()], at);
    // One of two runners carries half the load; judged as half of the run it passes its share...
    expect(merged.verdict.passed).toBe(true);
    expect(merged.runners).toBe(1);
    // ...but two runners that each fell short fail together.
    const short = mergeSummaries([runner({ achieved: { api: 0.8 } }), runner()], at);
    const apiEndpoints = short.plan.endpoints.filter((e) => e.traffic === 'api').map((e) => `ops:${e.name}`);
    expect(short.verdict.failures.map((f) => `${f.kind}:${f.subject}`)).toEqual([...apiEndpoints, 'achieved:api']);
  });

  it('carries one runner\'s TTFB breach into the merged verdict', () => {
    const merged = mergeSummaries([runner({ ttfbP90: { git_pull: 480 } }), runner()], at);
    expect(merged.verdict.failures.map((f) => f.subject)).toEqual(['git_pull']);
  });

  it('refuses summaries of different runs, and more summaries than runners', () => {
    const other = planFixture('2k', {}, { LOAD_TEST_PARALLELISM: '2' });
    expect(() => mergeSummaries([runner(), summaryDocument(other, k6SummaryFixture(other), at)], at)).toThrow('summary 2 comes from a different run plan');
    expect(() => mergeSummaries([runner(), runner(), runner()], at)).toThrow('3 summaries, but the run had parallelism 2');
  });
});
