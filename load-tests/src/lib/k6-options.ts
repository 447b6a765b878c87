import type { SuiteConfig } from './config';
import { arrivalRate, vuPool } from './arrival';
import type { Plan, PlannedEndpoint } from './plan';

/** Custom metrics the suite records: one sample per endpoint operation. */
export const METRICS = { ops: 'gitlab_ops', success: 'gitlab_success' } as const;
/** Only the hold window is judged; the ramp-up is tagged apart. */
export const HOLD = 'hold';
/** Seconds between two endpoints' runs in per-endpoint mode, so one's stragglers do not overlap the next. */
export const ENDPOINT_GAP_SECONDS = 10;
export const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'count'];

/** Exported function names of the suite that scenarios run. */
export const EXEC = { api: 'api', web: 'web', gitPull: 'gitPull', gitPush: 'gitPush', endpoint: 'endpoint' } as const;
export const SCENARIO_ENDPOINT_ENV = 'LOAD_TEST_SCENARIO_ENDPOINT';

export const ttfbMetric = (endpoint: string) => `http_req_waiting{endpoint:${endpoint},phase:${HOLD}}`;
export const successMetric = (endpoint: string) => `${METRICS.success}{endpoint:${endpoint},phase:${HOLD}}`;
export const endpointOpsMetric = (endpoint: string) => `${METRICS.ops}{endpoint:${endpoint},phase:${HOLD}}`;
export const trafficOpsMetric = (traffic: string) => `${METRICS.ops}{traffic:${traffic},phase:${HOLD}}`;

type Scenario = Record<string, unknown>;

export interface K6Options {
  scenarios: Record<string, Scenario>;
  thresholds: Record<string, string[]>;
  summaryTrendStats: string[];
  setupTimeout: string;
  teardownTimeout: string;
  userAgent: string;
  tags: Record<string, string>;
}

/** Expected latency of a group of endpoints: configured, or their share-weighted TTFB limits. */
function expectedLatencyMs(endpoints: readonly PlannedEndpoint[], vus: SuiteConfig['vus']): number {
  if (vus.expectedLatencyMs) return vus.expectedLatencyMs;
  const weight = endpoints.reduce((s, e) => s + e.weight, 0);
  return endpoints.reduce((s, e) => s + e.ttfbP90Ms * e.weight, 0) / weight;
}

function scenarioPair(
  name: string,
  rps: number,
  latencyMs: number,
  vus: SuiteConfig['vus'],
  startSeconds: number,
  rampUpSeconds: number,
  holdSeconds: number,
  common: Scenario,
  tags: Record<string, string>,
): Record<string, Scenario> {
  const { rate, timeUnit } = arrivalRate(rps);
  const pool = vuPool(rps, latencyMs, vus.headroom, vus.maxVUs);
  const out: Record<string, Scenario> = {};
  if (rampUpSeconds > 0) {
    out[`${name}_ramp`] = {
      executor: 'ramping-arrival-rate',
      startRate: 0,
      timeUnit,
      stages: [{ target: rate, duration: `${rampUpSeconds}s` }],
      ...pool,
      startTime: `${startSeconds}s`,
      gracefulStop: '10s',
      ...common,
      tags: { ...tags, phase: 'ramp' },
    };
  }
  out[name] = {
    executor: 'constant-arrival-rate',
    rate,
    timeUnit,
    duration: `${holdSeconds}s`,
    ...pool,
    startTime: `${startSeconds + rampUpSeconds}s`,
    gracefulStop: '30s',
    ...common,
    tags: { ...tags, phase: HOLD },
  };
  return out;
}

/** k6 `options` for a plan: scenarios per mode and one threshold per verdict rule. */
export function buildK6Options(plan: Plan, vus: SuiteConfig['vus']): K6Options {
  const scenarios: Record<string, Scenario> = {};
  if (plan.mode === 'mixed') {
    for (const t of plan.traffic) {
      const members = plan.endpoints.filter((e) => e.traffic === t.type);
      Object.assign(
        scenarios,
        scenarioPair(t.type, t.targetRps, expectedLatencyMs(members, vus), vus, 0, plan.rampUpSeconds, plan.holdSeconds, { exec: EXEC[t.type] }, { traffic: t.type }),
      );
    }
  } else {
    let start = 0;
    for (const e of plan.endpoints) {
      Object.assign(
        scenarios,
        scenarioPair(e.name, e.targetRps, expectedLatencyMs([e], vus), vus, start, plan.rampUpSeconds, plan.holdSeconds, { exec: EXEC.endpoint, env: { [SCENARIO_ENDPOINT_ENV]: e.name } }, { traffic: e.traffic }),
      );
      start += plan.rampUpSeconds + plan.holdSeconds + ENDPOINT_GAP_SECONDS;
    }
  }

  const thresholds: Record<string, string[]> = {};
  for (const e of plan.endpoints) {
    thresholds[ttfbMetric(e.name)] = [`p(90)<${e.ttfbP90Ms}`];
    thresholds[successMetric(e.name)] = [`rate>${plan.successRate}`];
    // Always true: makes k6 keep the per-endpoint count in the summary for the report.
    thresholds[endpointOpsMetric(e.name)] = ['count>=0'];
  }
  for (const t of plan.traffic) {
    // Each runner of a k6-operator run carries 1/parallelism of the load and judges only that.
    thresholds[trafficOpsMetric(t.type)] = [`count>=${Math.floor((t.targetOps * plan.achievedRateRatio) / plan.parallelism)}`];
  }
  thresholds.dropped_iterations = ['count==0'];

  return {
    scenarios,
    thresholds,
    summaryTrendStats: SUMMARY_TREND_STATS,
    setupTimeout: '120s',
    teardownTimeout: '60s',
    userAgent: 'gitlab-aws-load-tests (k6)',
    tags: { environment: plan.environment, size: plan.size, mode: plan.mode },
  };
}

/** Wall-clock length of a run's scenarios, without k6's start-up and graceful stops. */
export function plannedSeconds(plan: Plan): number {
  if (plan.mode === 'mixed') return plan.rampUpSeconds + plan.holdSeconds;
  return plan.endpoints.length * (plan.rampUpSeconds + plan.holdSeconds + ENDPOINT_GAP_SECONDS) - ENDPOINT_GAP_SECONDS;
}
