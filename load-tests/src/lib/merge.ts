import type { K6MetricSummary, K6SummaryData } from './k6-summary';
import { SUMMARY_SCHEMA, type SummaryDocument } from './summary-document';
import { evaluate } from './verdict';

type Values = Record<string, number>;

/**
 * Combines one metric across runners that ran at the same time. Counts and rates add up; averages
 * are weighted by count. Percentiles cannot be merged exactly from summaries, so the merged
 * median/p90/p95 is the highest runner's value: an upper bound, never an optimistic guess.
 */
function mergeMetric(all: K6MetricSummary[]): K6MetricSummary {
  // A runner's empty trend is all zeros (count 0): it must not pull min or percentiles to 0.
  const measured = all.filter((p) => p.type !== 'trend' || (p.values.count ?? 1) > 0);
  const parts = measured.length ? measured : all;
  const first = parts[0];
  const v = parts.map((p) => p.values);
  const sum = (k: string) => v.reduce((s, x) => s + (x[k] ?? 0), 0);
  const max = (k: string) => Math.max(...v.map((x) => x[k] ?? -Infinity));
  const min = (k: string) => Math.min(...v.map((x) => x[k] ?? Infinity));
  let values: Values;
  switch (first.type) {
    case 'counter':
      values = { count: sum('count'), rate: sum('rate') };
      break;
    case 'rate': {
      const passes = sum('passes');
      const fails = sum('fails');
      values = { passes, fails, rate: passes + fails > 0 ? passes / (passes + fails) : 0 };
      break;
    }
    case 'gauge':
      values = { value: max('value'), min: min('min'), max: max('max') };
      break;
    case 'trend': {
      const count = sum('count');
      values = {};
      for (const key of Object.keys(first.values)) {
        if (key === 'count') values.count = count;
        else if (key === 'avg') values.avg = count > 0 ? v.reduce((s, x) => s + (x.avg ?? 0) * (x.count ?? 0), 0) / count : max('avg');
        else if (key === 'min') values.min = min('min');
        else values[key] = max(key);
      }
      if (!('count' in first.values)) throw new Error('trend metrics lack "count": runs must use the suite\'s summaryTrendStats, which include it');
      break;
    }
    default:
      throw new Error(`unknown k6 metric type ${JSON.stringify((first as { type: unknown }).type)}`);
  }
  const thresholds: Record<string, { ok: boolean }> = {};
  for (const p of all) for (const [expr, t] of Object.entries(p.thresholds ?? {})) thresholds[expr] = { ok: (thresholds[expr]?.ok ?? true) && t.ok };
  return { type: first.type, contains: first.contains, values, ...(Object.keys(thresholds).length ? { thresholds } : {}) };
}

export function mergeK6Data(parts: readonly K6SummaryData[]): K6SummaryData {
  const keys = [...new Set(parts.flatMap((p) => Object.keys(p.metrics)))].sort();
  const metrics: Record<string, K6MetricSummary> = {};
  for (const key of keys) {
    const present = parts.map((p) => p.metrics[key]).filter((m): m is K6MetricSummary => m !== undefined);
    metrics[key] = mergeMetric(present);
  }
  return { metrics, state: { testRunDurationMs: Math.max(...parts.map((p) => p.state?.testRunDurationMs ?? 0)) } };
}

/** One document and one verdict for the N runners of a k6-operator run. */
export function mergeSummaries(docs: readonly SummaryDocument[], generatedAt: string): SummaryDocument {
  if (!docs.length) throw new Error('no summaries to merge');
  const plan = docs[0].plan;
  const identity = (d: SummaryDocument) =>
    JSON.stringify([d.plan.environment, d.plan.size, d.plan.mode, d.plan.holdSeconds, d.plan.parallelism, d.plan.endpoints.map((e) => [e.name, e.targetRps, e.ttfbP90Ms])]);
  docs.forEach((d, i) => {
    if (identity(d) !== identity(docs[0])) throw new Error(`summary ${i + 1} comes from a different run plan than summary 1 (environment, size, mode, duration or endpoints differ): merge only the runners of one run`);
  });
  if (docs.length > plan.parallelism) throw new Error(`${docs.length} summaries, but the run had parallelism ${plan.parallelism}: a runner's summary is there twice?`);
  const k6 = mergeK6Data(docs.map((d) => d.k6));
  const setupErrors = [...new Set(docs.map((d) => d.verdict.setupError).filter((e): e is string => e !== undefined))];
  const setupError = setupErrors.length ? setupErrors.join('; ') : undefined;
  return { schema: SUMMARY_SCHEMA, generatedAt, runners: docs.length, plan, verdict: evaluate(plan, k6, docs.length / plan.parallelism, setupError), k6 };
}
