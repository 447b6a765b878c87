import type { TrafficType } from '@gitlab-aws/core/src/gitlab/target-rates';
import { endpointOpsMetric, successMetric, trafficOpsMetric, ttfbMetric } from './k6-options';
import { findMetric, type K6SummaryData } from './k6-summary';
import type { Plan } from './plan';

export type CheckKind = 'ttfb' | 'success' | 'achieved' | 'dropped';

/** One rule of the verdict, with what was measured and by how much it missed. */
export interface CheckResult {
  readonly kind: CheckKind;
  /** Endpoint name, traffic type, or "run". */
  readonly subject: string;
  readonly ok: boolean;
  readonly actual: number | null;
  readonly limit: number;
  readonly message: string;
}

export interface EndpointRow {
  readonly name: string;
  readonly traffic: TrafficType;
  readonly title: string;
  readonly targetRps: number;
  readonly achievedRps: number;
  readonly ops: number;
  readonly ttfbAvgMs: number | null;
  readonly ttfbP90Ms: number | null;
  readonly ttfbLimitMs: number;
  readonly successRate: number | null;
  readonly ok: boolean;
}

export interface TrafficRow {
  readonly type: TrafficType;
  readonly targetRps: number;
  readonly achievedRps: number;
  readonly ratio: number;
  readonly ok: boolean;
}

export interface Verdict {
  readonly passed: boolean;
  /** GPT-style score in %: mean over endpoints of min(1, achieved/target) x success rate. Above 90 is healthy. */
  readonly score: number;
  readonly droppedIterations: number;
  readonly endpoints: readonly EndpointRow[];
  readonly traffic: readonly TrafficRow[];
  readonly checks: readonly CheckResult[];
  readonly failures: readonly CheckResult[];
}

const r1 = (n: number) => Math.round(n * 10) / 10;
const r2 = (n: number) => Math.round(n * 100) / 100;
const r3 = (n: number) => Math.round(n * 1000) / 1000;
const pct = (n: number) => `${r1(n * 100)}%`;

/**
 * Judges a run from its metric values, not from k6's threshold flags, so the same rules apply to
 * one runner, to merged runners and to a summary re-read later. `loadShare` is the fraction of the
 * planned load this summary carries (1/N for one of N k6-operator runners).
 */
export function evaluate(plan: Plan, data: K6SummaryData, loadShare = 1): Verdict {
  const checks: CheckResult[] = [];
  const hold = plan.holdSeconds;
  const endpoints: EndpointRow[] = plan.endpoints.map((e) => {
    const ttfb = findMetric(data, ttfbMetric(e.name))?.values;
    const success = findMetric(data, successMetric(e.name))?.values;
    const ops = findMetric(data, endpointOpsMetric(e.name))?.values.count ?? 0;
    const p90 = ttfb?.['p(90)'] ?? null;
    const successRate = success && (success.passes ?? 0) + (success.fails ?? 0) > 0 ? success.rate : null;
    const ttfbOk = p90 !== null && p90 < e.ttfbP90Ms;
    const successOk = successRate !== null && successRate > plan.successRate;
    checks.push({
      kind: 'ttfb',
      subject: e.name,
      ok: ttfbOk,
      actual: p90 === null ? null : r1(p90),
      limit: e.ttfbP90Ms,
      message:
        p90 === null
          ? `${e.name}: no requests measured in the hold window`
          : `${e.name}: TTFB p90 ${r1(p90)} ms ${ttfbOk ? '<' : '>='} ${e.ttfbP90Ms} ms${ttfbOk ? '' : ` (+${r1(((p90 - e.ttfbP90Ms) / e.ttfbP90Ms) * 100)}%)`}`,
    });
    checks.push({
      kind: 'success',
      subject: e.name,
      ok: successOk,
      actual: successRate === null ? null : r3(successRate),
      limit: plan.successRate,
      message:
        successRate === null
          ? `${e.name}: no operations recorded`
          : `${e.name}: success rate ${pct(successRate)} ${successOk ? '>' : '<='} ${pct(plan.successRate)}${successOk ? '' : ` (${pct(1 - successRate)} failed)`}`,
    });
    return {
      name: e.name,
      traffic: e.traffic,
      title: e.title,
      targetRps: r2(e.targetRps * loadShare),
      achievedRps: r2(ops / hold),
      ops,
      ttfbAvgMs: ttfb?.avg === undefined ? null : r1(ttfb.avg),
      ttfbP90Ms: p90 === null ? null : r1(p90),
      ttfbLimitMs: e.ttfbP90Ms,
      successRate: successRate === null ? null : r3(successRate),
      ok: ttfbOk && successOk,
    };
  });

  const traffic: TrafficRow[] = plan.traffic.map((t) => {
    const ops = findMetric(data, trafficOpsMetric(t.type))?.values.count ?? 0;
    const targetOps = t.targetOps * loadShare;
    const ratio = targetOps > 0 ? ops / targetOps : 0;
    const ok = ratio >= plan.achievedRateRatio;
    const target = t.targetRps * loadShare;
    checks.push({
      kind: 'achieved',
      subject: t.type,
      ok,
      actual: r3(ratio),
      limit: plan.achievedRateRatio,
      message: `${t.type}: achieved ${r2(target * ratio)} of ${r2(target)} RPS (${pct(ratio)}, needs ${pct(plan.achievedRateRatio)})`,
    });
    return { type: t.type, targetRps: r2(target), achievedRps: r2(target * ratio), ratio: r3(ratio), ok };
  });

  const dropped = findMetric(data, 'dropped_iterations')?.values.count ?? 0;
  checks.push({
    kind: 'dropped',
    subject: 'run',
    ok: dropped === 0,
    actual: dropped,
    limit: 0,
    message: dropped === 0 ? 'no dropped iterations' : `${dropped} iterations dropped: the VU pools were too small or GitLab too slow to keep the arrival rate (raise loadTest.vus.maxVUs or find the slow endpoint)`,
  });

  const scores = endpoints.map((e) => Math.min(1, e.targetRps > 0 ? e.achievedRps / e.targetRps : 0) * (e.successRate ?? 0));
  const failures = checks.filter((c) => !c.ok);
  return {
    passed: failures.length === 0,
    score: scores.length ? r1((scores.reduce((s, x) => s + x, 0) / scores.length) * 100) : 0,
    droppedIterations: dropped,
    endpoints,
    traffic,
    checks,
    failures,
  };
}
