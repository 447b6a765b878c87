import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrafficType } from '@gitlab-aws/core';
import { resolveSuiteConfig, type SuiteConfig } from '../lib/config';
import { endpointOpsMetric, holdDroppedMetric, judgedPhase, minimumOps, successMetric, trafficOpsMetric, ttfbMetric } from '../lib/k6-options';
import { SMOKE } from '../lib/config';
import type { K6MetricSummary, K6SummaryData } from '../lib/k6-summary';
import { buildPlan, type Plan } from '../lib/plan';

/** An environment file as a user writes it: a spoke with a GitLab of `size` and a loadTest section. */
export function environmentFixture(size: 'poc' | '2k' | '3k', loadTest: Record<string, unknown> = {}, name = `gitlab-${size}`): Record<string, unknown> {
  return {
    name,
    kind: 'spoke',
    accountId: '222222222222',
    region: 'eu-west-1',
    owner: 'platform-team',
    hub: { environment: 'devops', accountId: '111111111111', region: 'eu-west-1' },
    gitlab: { size, externalUrl: `https://gitlab-${size}.example.com` },
    loadTest: { projectPath: 'perf/gitlabhq', ...loadTest },
  };
}

export function configFixture(size: 'poc' | '2k' | '3k', loadTest: Record<string, unknown> = {}, env: Record<string, string> = {}): SuiteConfig {
  return resolveSuiteConfig(`environments/gitlab-${size}.json`, environmentFixture(size, loadTest), env);
}

export function planFixture(size: 'poc' | '2k' | '3k', loadTest: Record<string, unknown> = {}, env: Record<string, string> = {}): Plan {
  return buildPlan(configFixture(size, loadTest, env));
}

/** A workspace folder with environments/<name>.json files, for the CLIs. */
export function workspaceFixture(files: Record<string, unknown>): string {
  const root = mkdtempSync(join(tmpdir(), 'load-tests-ws-'));
  mkdirSync(join(root, 'environments'));
  for (const [name, data] of Object.entries(files)) writeFileSync(join(root, 'environments', `${name}.json`), JSON.stringify(data, null, 2));
  return root;
}

export interface RunShape {
  /** TTFB p90 by endpoint (ms). Default: half its limit. */
  readonly ttfbP90?: Record<string, number>;
  /** Success rate by endpoint. Default: 0.999. */
  readonly success?: Record<string, number>;
  /** Fraction of the target operations achieved, by traffic type. Default: 1. */
  readonly achieved?: Partial<Record<TrafficType, number>>;
  /** Iterations dropped in the hold window (all in the first endpoint's hold scenario). */
  readonly dropped?: number;
  /** Iterations dropped during ramp-up (not judged). */
  readonly rampDropped?: number;
  /** Endpoints with no samples at all, shown as k6 shows a threshold sub-metric without samples. */
  readonly noSamples?: readonly string[];
  /** What setup() returned as its failure; k6 hands it to handleSummary as setup_data. */
  readonly setupError?: string;
  /** Fraction of the planned load this runner carried (1/N for one of N runners). Default: 1. */
  readonly loadShare?: number;
}

const trend = (avg: number, p90: number, count: number, limit?: number): K6MetricSummary => ({
  type: 'trend',
  contains: 'time',
  // k6 reports an empty trend as all zeros (and an empty trend's p(90)<limit threshold as ok).
  values: count ? { avg, min: avg / 4, med: avg, max: p90 * 2, 'p(90)': p90, 'p(95)': p90 * 1.2, count } : { avg: 0, min: 0, med: 0, max: 0, 'p(90)': 0, 'p(95)': 0, count: 0 },
  ...(limit === undefined ? {} : { thresholds: { [`p(90)<${limit}`]: { ok: count === 0 || p90 < limit } } }),
});

/**
 * handleSummary() data shaped as k6 produces it for the suite's thresholds: sub-metric keys as
 * written in `options.thresholds`, k6's value names per metric type, and the threshold flags.
 * The numbers are chosen by the test (this is a fixture, not a measurement).
 */
export function k6SummaryFixture(plan: Plan, shape: RunShape = {}): K6SummaryData {
  const share = shape.loadShare ?? 1;
  const phase = judgedPhase(plan);
  const smoke = plan.mode === SMOKE;
  const metrics: Record<string, K6MetricSummary> = {};
  let requests = 0;
  const trafficOps: Record<string, number> = {};
  for (const e of plan.endpoints) {
    const ratio = shape.achieved?.[e.traffic] ?? 1;
    const ops = shape.setupError !== undefined || shape.noSamples?.includes(e.name) ? 0 : smoke ? 1 : Math.round(e.targetRps * plan.holdSeconds * ratio * share);
    const rate = shape.success?.[e.name] ?? (smoke ? 1 : 0.999);
    const passes = Math.round(ops * rate);
    const p90 = shape.ttfbP90?.[e.name] ?? e.ttfbP90Ms / 2;
    const minOps = minimumOps(e.targetOps, plan.achievedRateRatio, 1 / plan.parallelism);
    metrics[ttfbMetric(e.name, phase)] = trend(p90 * 0.6, p90, ops, smoke ? undefined : e.ttfbP90Ms);
    metrics[successMetric(e.name, phase)] = {
      type: 'rate',
      contains: 'default',
      values: { rate: ops ? passes / ops : 0, passes, fails: ops - passes },
      // k6 skips a rate threshold without samples: it stays ok.
      thresholds: { [`rate>${plan.successRate}`]: { ok: ops === 0 || passes / ops > plan.successRate } },
    };
    metrics[endpointOpsMetric(e.name, phase)] = { type: 'counter', contains: 'default', values: { count: ops, rate: ops / Math.max(1, plan.holdSeconds + plan.rampUpSeconds) }, thresholds: { [`count>=${minOps}`]: { ok: ops >= minOps } } };
    if (!smoke) {
      const dropped = e === plan.endpoints[0] ? (shape.dropped ?? 0) : 0;
      metrics[holdDroppedMetric(e.name)] = { type: 'counter', contains: 'default', values: { count: dropped, rate: dropped / plan.holdSeconds }, thresholds: { 'count==0': { ok: dropped === 0 } } };
    }
    trafficOps[e.traffic] = (trafficOps[e.traffic] ?? 0) + ops;
    requests += ops * e.requestsPerOp;
  }
  if (!smoke) {
    for (const t of plan.traffic) {
      const count = trafficOps[t.type] ?? 0;
      const min = minimumOps(t.targetOps, plan.achievedRateRatio, 1 / plan.parallelism);
      metrics[trafficOpsMetric(t.type)] = { type: 'counter', contains: 'default', values: { count, rate: count / plan.holdSeconds }, thresholds: { [`count>=${min}`]: { ok: count >= min } } };
    }
  }
  const dropped = (shape.dropped ?? 0) + (shape.rampDropped ?? 0);
  // k6 lists the parent metric only when some iteration was dropped.
  if (dropped) metrics.dropped_iterations = { type: 'counter', contains: 'default', values: { count: dropped, rate: dropped / plan.holdSeconds } };
  metrics.http_reqs = { type: 'counter', contains: 'default', values: { count: requests, rate: requests / Math.max(1, plan.holdSeconds) } };
  metrics.http_req_waiting = trend(120, 300, requests);
  metrics.iterations = { type: 'counter', contains: 'default', values: { count: requests, rate: requests / Math.max(1, plan.holdSeconds) } };
  metrics.vus = { type: 'gauge', contains: 'default', values: { value: 3, min: 1, max: 40 } };
  return {
    root_group: { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: [], checks: [] },
    options: { summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'count'], summaryTimeUnit: '', noColor: false },
    state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: (plan.rampUpSeconds + plan.holdSeconds) * 1000 + 1234 },
    metrics,
    ...(shape.setupError !== undefined ? { setup_data: { setupError: shape.setupError } } : {}),
  };
}
