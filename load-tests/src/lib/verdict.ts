import type { TrafficType } from '@gitlab-aws/core/src/gitlab/target-rates';
import { SMOKE } from './config';
import { endpointOpsMetric, holdDroppedMetric, judgedPhase, minimumOps, successMetric, trafficOpsMetric, ttfbMetric } from './k6-options';
import { findMetric, type K6SummaryData } from './k6-summary';
import type { Plan } from './plan';

export type CheckKind = 'setup' | 'ttfb' | 'success' | 'ops' | 'achieved' | 'dropped';
/** "not-evaluated": there was nothing to judge (no samples, or setup failed); it never counts as a pass. */
export type CheckStatus = 'pass' | 'fail' | 'not-evaluated';

/** One rule of the verdict, with what was measured and by how much it missed. */
export interface CheckResult {
  readonly kind: CheckKind;
  /** Endpoint name, traffic type, or "run". */
  readonly subject: string;
  readonly status: CheckStatus;
  /** status === 'pass'. */
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
  /** Worst status of the endpoint's checks. */
  readonly status: CheckStatus;
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
  /** Why setup() found no test data; the run sent no load. */
  readonly setupError?: string;
  /**
   * GPT-style score in %: mean over endpoints of min(1, achieved/target) x success rate x latency
   * factor (1 within the TTFB limit, else limit / p90). Above 90 is healthy.
   */
  readonly score: number;
  /** Dropped in the judged (hold) windows. */
  readonly droppedIterations: number;
  /** Dropped during ramp-ups: reported, not judged. */
  readonly rampDroppedIterations: number;
  readonly endpoints: readonly EndpointRow[];
  readonly traffic: readonly TrafficRow[];
  readonly checks: readonly CheckResult[];
  /** Checks that failed or could not be evaluated. */
  readonly failures: readonly CheckResult[];
}

const r1 = (n: number) => Math.round(n * 10) / 10;
const r2 = (n: number) => Math.round(n * 100) / 100;
const r3 = (n: number) => Math.round(n * 1000) / 1000;
const pct = (n: number) => `${r1(n * 100)}%`;

const check = (kind: CheckKind, subject: string, status: CheckStatus, actual: number | null, limit: number, message: string): CheckResult => ({
  kind,
  subject,
  status,
  ok: status === 'pass',
  actual,
  limit,
  message,
});
const worst = (cs: readonly CheckResult[]): CheckStatus => (cs.some((c) => c.status === 'fail') ? 'fail' : cs.some((c) => c.status === 'not-evaluated') ? 'not-evaluated' : 'pass');

/** Score factor for latency: full within the limit, shrinking with the overshoot; nothing without data. */
export function latencyFactor(p90: number | null, limit: number): number {
  if (p90 === null) return 0;
  return p90 < limit ? 1 : limit / p90;
}

/**
 * Judges a run from its metric values, not from k6's threshold flags, so the same rules apply to
 * one runner, to merged runners and to a summary re-read later. `loadShare` is the fraction of the
 * planned load this summary carries (1/N for one of N k6-operator runners). A sub-metric without
 * samples (k6 reports it as count 0, p(90) 0) is "not evaluated", never a pass.
 */
export function evaluate(plan: Plan, data: K6SummaryData, loadShare = 1, setupError?: string): Verdict {
  const checks: CheckResult[] = [];
  const smoke = plan.mode === SMOKE;
  const phase = judgedPhase(plan);
  const hold = plan.holdSeconds;
  const window = smoke ? 'the smoke run' : 'the hold window';
  if (setupError !== undefined) checks.push(check('setup', 'run', 'fail', null, 0, `setup failed, no load was sent: ${setupError}`));
  // After a failed setup nothing was sent: the rules are not evaluated and only the cause is reported.
  const unevaluated = setupError !== undefined;

  const endpoints: EndpointRow[] = plan.endpoints.map((e) => {
    const mine: CheckResult[] = [];
    const ttfb = findMetric(data, ttfbMetric(e.name, phase))?.values;
    const success = findMetric(data, successMetric(e.name, phase))?.values;
    const ops = findMetric(data, endpointOpsMetric(e.name, phase))?.values.count ?? 0;
    // k6 keeps "count" in trends with the suite's summaryTrendStats; else the endpoint's own count tells.
    const samples = ttfb ? (ttfb.count ?? ops) : 0;
    const p90 = samples > 0 ? (ttfb?.['p(90)'] ?? null) : null;
    const successRate = success && (success.passes ?? 0) + (success.fails ?? 0) > 0 ? success.rate : null;
    const minOps = minimumOps(e.targetOps, plan.achievedRateRatio, loadShare);

    if (!smoke) {
      const ok = p90 !== null && p90 < e.ttfbP90Ms;
      mine.push(
        check(
          'ttfb',
          e.name,
          unevaluated || p90 === null ? 'not-evaluated' : ok ? 'pass' : 'fail',
          p90 === null ? null : r1(p90),
          e.ttfbP90Ms,
          p90 === null
              ? `${e.name}: TTFB not evaluated: no requests measured in ${window}`
              : `${e.name}: TTFB p90 ${r1(p90)} ms ${ok ? '<' : '>='} ${e.ttfbP90Ms} ms${ok ? '' : ` (+${r1(((p90 - e.ttfbP90Ms) / e.ttfbP90Ms) * 100)}%)`}`,
        ),
      );
    }
    const successOk = successRate !== null && successRate > plan.successRate;
    mine.push(
      check(
        'success',
        e.name,
        unevaluated || successRate === null ? 'not-evaluated' : successOk ? 'pass' : 'fail',
        successRate === null ? null : r3(successRate),
        plan.successRate,
        successRate === null
            ? `${e.name}: success rate not evaluated: no operations recorded in ${window}`
            : `${e.name}: success rate ${pct(successRate)} ${successOk ? '>' : '<='} ${pct(plan.successRate)}${successOk ? '' : ` (${pct(1 - successRate)} failed)`}`,
      ),
    );
    const opsOk = ops >= minOps;
    mine.push(
      check(
        'ops',
        e.name,
        unevaluated ? 'not-evaluated' : opsOk ? 'pass' : 'fail',
        ops,
        minOps,
        `${e.name}: ${ops} operations ${opsOk ? '>=' : '<'} ${minOps} needed${smoke ? '' : ` (${pct(plan.achievedRateRatio)} of its target)`}`,
      ),
    );
    checks.push(...mine);
    const status = worst(mine);
    return {
      name: e.name,
      traffic: e.traffic,
      title: e.title,
      targetRps: r2(e.targetRps * loadShare),
      achievedRps: hold > 0 ? r2(ops / hold) : 0,
      ops,
      ttfbAvgMs: p90 === null || ttfb?.avg === undefined ? null : r1(ttfb.avg),
      ttfbP90Ms: p90 === null ? null : r1(p90),
      ttfbLimitMs: e.ttfbP90Ms,
      successRate: successRate === null ? null : r3(successRate),
      status,
      ok: status === 'pass',
    };
  });

  const traffic: TrafficRow[] = smoke
    ? []
    : plan.traffic.map((t) => {
        const ops = findMetric(data, trafficOpsMetric(t.type))?.values.count ?? 0;
        const targetOps = t.targetOps * loadShare;
        const ratio = targetOps > 0 ? ops / targetOps : 0;
        const ok = ratio >= plan.achievedRateRatio;
        const target = t.targetRps * loadShare;
        checks.push(
          check(
            'achieved',
            t.type,
            unevaluated ? 'not-evaluated' : ok ? 'pass' : 'fail',
            r3(ratio),
            plan.achievedRateRatio,
            `${t.type}: achieved ${r2(target * ratio)} of ${r2(target)} RPS (${pct(ratio)}, needs ${pct(plan.achievedRateRatio)})`,
          ),
        );
        return { type: t.type, targetRps: r2(target), achievedRps: r2(target * ratio), ratio: r3(ratio), ok: ok && !unevaluated };
      });

  const total = findMetric(data, 'dropped_iterations')?.values.count ?? 0;
  const dropped = smoke ? 0 : plan.endpoints.reduce((s, e) => s + (findMetric(data, holdDroppedMetric(e.name))?.values.count ?? 0), 0);
  if (!smoke) {
    checks.push(
      check(
        'dropped',
        'run',
        dropped === 0 ? 'pass' : 'fail',
        dropped,
        0,
        dropped === 0
          ? 'no dropped iterations in the hold window'
          : `${dropped} iterations dropped in the hold window: the VU pools were too small or GitLab too slow to keep the arrival rate (raise loadTest.vus.expectedLatencyMs or maxVUs, or find the slow endpoint)`,
      ),
    );
  }

  const scores = endpoints.map((e) =>
    smoke ? (e.successRate ?? 0) : Math.min(1, e.targetRps > 0 ? e.achievedRps / e.targetRps : 0) * (e.successRate ?? 0) * latencyFactor(e.ttfbP90Ms, e.ttfbLimitMs),
  );
  const judged = unevaluated ? checks.filter((c) => c.kind === 'setup') : checks;
  const failures = judged.filter((c) => c.status !== 'pass');
  return {
    passed: failures.length === 0,
    ...(setupError !== undefined ? { setupError } : {}),
    score: setupError === undefined && scores.length ? r1((scores.reduce((s, x) => s + x, 0) / scores.length) * 100) : 0,
    droppedIterations: dropped,
    rampDroppedIterations: Math.max(0, total - dropped),
    endpoints,
    traffic,
    checks: judged,
    failures,
  };
}
