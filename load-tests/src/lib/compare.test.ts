import { k6SummaryFixture, planFixture } from '../testing/fixtures';
import { compareSummaries, renderComparison } from './compare';
import { summaryDocument } from './summary-document';

const plan = planFixture('2k');
const at = '2025-01-01T00:00:00.000Z';
const baseline = summaryDocument(plan, k6SummaryFixture(plan), at);

describe('compareSummaries', () => {
  it('finds no regression between equal runs', () => {
    const cmp = compareSummaries(baseline, summaryDocument(plan, k6SummaryFixture(plan), at));
    expect(cmp.regressions).toEqual([]);
    expect(renderComparison(cmp)).toContain('# Baseline comparison: no regression');
  });

  it('flags a TTFB p90 rise above the limit, not one below it', () => {
    // api_project baseline p90 = 250 ms.
    const current = summaryDocument(plan, k6SummaryFixture(plan, { ttfbP90: { api_project: 300, api_user: 105 } }), at);
    const cmp = compareSummaries(baseline, current, { ttfbIncreasePercent: 10, achievedDropPercent: 5 });
    expect(cmp.regressions).toEqual([{ subject: 'api_project', metric: 'ttfb_p90_ms', baseline: 250, current: 300, changePercent: 20, regression: true }]);
    expect(renderComparison(cmp)).toContain('| api_project | ttfb_p90_ms | 250 | 300 | +20% | REGRESSION |');
  });

  it('flags a fall of the achieved rate and a verdict that went from pass to fail', () => {
    const current = summaryDocument(plan, k6SummaryFixture(plan, { achieved: { web: 0.8 } }), at);
    const cmp = compareSummaries(baseline, current);
    const subjects = cmp.regressions.map((r) => `${r.subject}:${r.metric}`);
    expect(subjects).toEqual(expect.arrayContaining(['web:achieved_rps', 'web_project:achieved_rps', 'run:verdict']));
    expect(subjects.some((s) => s.startsWith('api'))).toBe(false);
  });

  it('never passes an endpoint the current run has no data for', () => {
    const current = summaryDocument(plan, k6SummaryFixture(plan, { noSamples: ['api_user'] }), at);
    const cmp = compareSummaries(baseline, current);
    expect(cmp.regressions.filter((r) => r.subject === 'api_user')).toEqual([
      { subject: 'api_user', metric: 'ttfb_p90_ms', baseline: 100, current: null, changePercent: null, regression: true, notEvaluated: true },
      { subject: 'api_user', metric: 'achieved_rps', baseline: 2.05, current: 0, changePercent: null, regression: true, notEvaluated: true },
    ]);
    expect(renderComparison(cmp)).toContain('| api_user | ttfb_p90_ms | 100 | n/a |  | NOT EVALUATED (no data) |');
    // Also when both runs lack it: no data on both sides is not "no change".
    const both = compareSummaries(current, current);
    expect(both.regressions.map((r) => `${r.subject}:${r.metric}`)).toEqual(expect.arrayContaining(['api_user:ttfb_p90_ms', 'api_user:achieved_rps']));
  });

  it('judges stored summaries again: an old verdict that passed p90 0 ms without samples is not trusted', () => {
    const current = summaryDocument(plan, k6SummaryFixture(plan, { noSamples: ['web_group'] }), at);
    const stale = { ...current, verdict: { ...current.verdict, passed: true, endpoints: current.verdict.endpoints.map((e) => (e.name === 'web_group' ? { ...e, ttfbP90Ms: 0, ok: true } : e)) } };
    const cmp = compareSummaries(baseline, stale);
    expect(cmp.regressions.map((r) => `${r.subject}:${r.metric}`)).toEqual(expect.arrayContaining(['web_group:ttfb_p90_ms', 'run:verdict']));
  });

  it('notes what cannot be compared', () => {
    const other = planFixture('3k');
    const cmp = compareSummaries(baseline, summaryDocument(other, k6SummaryFixture(other), at));
    expect(cmp.notes[0]).toContain('baseline is 2k/mixed, current is 3k/mixed');
  });
});
