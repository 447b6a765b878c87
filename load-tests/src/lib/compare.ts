import type { SummaryDocument } from './summary-document';
import { evaluate, type Verdict } from './verdict';

export interface RegressionLimits {
  /** Largest allowed increase of an endpoint's TTFB p90, in percent. Default: 10. */
  readonly ttfbIncreasePercent: number;
  /** Largest allowed fall of an achieved rate, in percent. Default: 5. */
  readonly achievedDropPercent: number;
}

export const DEFAULT_REGRESSION_LIMITS: RegressionLimits = { ttfbIncreasePercent: 10, achievedDropPercent: 5 };

export interface ComparisonRow {
  readonly subject: string;
  readonly metric: 'ttfb_p90_ms' | 'achieved_rps' | 'verdict';
  readonly baseline: number | null;
  readonly current: number | null;
  readonly changePercent: number | null;
  /** A regression, or the current run has no data for it (never a pass). */
  readonly regression: boolean;
  /** The current run measured nothing for this subject. */
  readonly notEvaluated?: boolean;
}

export interface Comparison {
  readonly rows: readonly ComparisonRow[];
  readonly regressions: readonly ComparisonRow[];
  /** Things that could not be compared (different size or mode, endpoints only on one side). */
  readonly notes: readonly string[];
}

const change = (base: number, cur: number) => (base === 0 ? (cur === 0 ? 0 : Infinity) : Math.round(((cur - base) / base) * 1000) / 10);

/**
 * The verdict of a document, judged again from its plan and k6 data by the current rules (so a
 * summary written before a fix is read right); documents whose plan predates these rules keep
 * their stored verdict.
 */
export function verdictOf(doc: SummaryDocument): Verdict {
  if (!doc.plan.endpoints.every((e) => typeof e.targetOps === 'number')) return doc.verdict;
  return evaluate(doc.plan, doc.k6, doc.runners / doc.plan.parallelism, doc.verdict.setupError);
}

/**
 * Compares a run with a baseline run: TTFB p90 up or achieved rate down beyond the limits is a
 * regression, and so is a subject the current run has no data for.
 */
export function compareSummaries(baselineDoc: SummaryDocument, currentDoc: SummaryDocument, limits: RegressionLimits = DEFAULT_REGRESSION_LIMITS): Comparison {
  const rows: ComparisonRow[] = [];
  const notes: string[] = [];
  const baseline = { plan: baselineDoc.plan, verdict: verdictOf(baselineDoc) };
  const current = { plan: currentDoc.plan, verdict: verdictOf(currentDoc) };
  if (baseline.plan.size !== current.plan.size || baseline.plan.mode !== current.plan.mode) {
    notes.push(`baseline is ${baseline.plan.size}/${baseline.plan.mode}, current is ${current.plan.size}/${current.plan.mode}: rates are not comparable, only latencies are`);
  }
  const base = new Map(baseline.verdict.endpoints.map((e) => [e.name, e]));
  for (const cur of current.verdict.endpoints) {
    const b = base.get(cur.name);
    if (!b) {
      notes.push(`${cur.name} is not in the baseline`);
      continue;
    }
    base.delete(cur.name);
    if (cur.ttfbP90Ms === null) {
      rows.push({ subject: cur.name, metric: 'ttfb_p90_ms', baseline: b.ttfbP90Ms, current: null, changePercent: null, regression: true, notEvaluated: true });
    } else if (b.ttfbP90Ms === null) {
      notes.push(`${cur.name} has no TTFB in the baseline: its latency is not compared`);
    } else {
      const c = change(b.ttfbP90Ms, cur.ttfbP90Ms);
      rows.push({ subject: cur.name, metric: 'ttfb_p90_ms', baseline: b.ttfbP90Ms, current: cur.ttfbP90Ms, changePercent: c, regression: c > limits.ttfbIncreasePercent });
    }
    if (cur.ops === 0) {
      rows.push({ subject: cur.name, metric: 'achieved_rps', baseline: b.achievedRps, current: cur.achievedRps, changePercent: null, regression: true, notEvaluated: true });
    } else {
      const c = change(b.achievedRps, cur.achievedRps);
      rows.push({ subject: cur.name, metric: 'achieved_rps', baseline: b.achievedRps, current: cur.achievedRps, changePercent: c, regression: -c > limits.achievedDropPercent });
    }
  }
  for (const name of base.keys()) notes.push(`${name} is in the baseline but was not run`);
  const baseTraffic = new Map(baseline.verdict.traffic.map((t) => [t.type, t]));
  for (const cur of current.verdict.traffic) {
    const b = baseTraffic.get(cur.type);
    if (!b) continue;
    const c = change(b.achievedRps, cur.achievedRps);
    rows.push({ subject: cur.type, metric: 'achieved_rps', baseline: b.achievedRps, current: cur.achievedRps, changePercent: c, regression: -c > limits.achievedDropPercent });
  }
  rows.push({
    subject: 'run',
    metric: 'verdict',
    baseline: baseline.verdict.passed ? 1 : 0,
    current: current.verdict.passed ? 1 : 0,
    changePercent: null,
    regression: baseline.verdict.passed && !current.verdict.passed,
  });
  return { rows, regressions: rows.filter((r) => r.regression), notes };
}

export function renderComparison(cmp: Comparison, limits: RegressionLimits = DEFAULT_REGRESSION_LIMITS): string {
  const show = (n: number | null) => (n === null ? 'n/a' : String(n));
  const lines = [
    `# Baseline comparison: ${cmp.regressions.length ? `${cmp.regressions.length} regression(s)` : 'no regression'}`,
    '',
    `Limits: TTFB p90 up at most ${limits.ttfbIncreasePercent}%, achieved rate down at most ${limits.achievedDropPercent}%.`,
    '',
    '| Subject | Metric | Baseline | Current | Change | Result |',
    '|---|---|---:|---:|---:|---|',
    ...cmp.rows.map(
      (r) =>
        `| ${r.subject} | ${r.metric} | ${r.metric === 'verdict' ? (r.baseline ? 'pass' : 'fail') : show(r.baseline)} | ${r.metric === 'verdict' ? (r.current ? 'pass' : 'fail') : show(r.current)} | ${r.changePercent === null ? '' : `${r.changePercent > 0 ? '+' : ''}${r.changePercent}%`} | ${r.notEvaluated ? 'NOT EVALUATED (no data)' : r.regression ? 'REGRESSION' : 'ok'} |`,
    ),
  ];
  if (cmp.notes.length) lines.push('', ...cmp.notes.map((n) => `- ${n}`));
  return `${lines.join('\n')}\n`;
}
