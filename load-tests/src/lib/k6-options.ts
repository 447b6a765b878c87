import { arrivalRate, vuPool } from './arrival';
import { SMOKE, type SuiteConfig } from './config';
import type { Plan, PlannedEndpoint } from './plan';

/** Custom metrics the suite records: one sample per endpoint operation. */
export const METRICS = { ops: 'gitlab_ops', success: 'gitlab_success' } as const;
/** Only the hold window is judged; the ramp-up is tagged apart. */
export const HOLD = 'hold';
export const RAMP = 'ramp';
/** The phase tag of a smoke run's samples. */
export const SMOKE_PHASE = 'smoke';
/** Seconds between two endpoints' runs in per-endpoint mode, so one's stragglers do not overlap the next. */
export const ENDPOINT_GAP_SECONDS = 10;
export const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'count'];

/** Exported function names of the suite that scenarios run. */
export const EXEC = { endpoint: 'endpoint', smoke: 'smoke' } as const;
/** Scenario environment variable naming the one endpoint a scenario runs. */
export const SCENARIO_ENDPOINT_ENV = 'LOAD_TEST_SCENARIO_ENDPOINT';

/** The phase whose samples a plan's verdict judges. */
export const judgedPhase = (plan: Pick<Plan, 'mode'>) => (plan.mode === SMOKE ? SMOKE_PHASE : HOLD);
export const ttfbMetric = (endpoint: string, phase = HOLD) => `http_req_waiting{endpoint:${endpoint},phase:${phase}}`;
export const successMetric = (endpoint: string, phase = HOLD) => `${METRICS.success}{endpoint:${endpoint},phase:${phase}}`;
export const endpointOpsMetric = (endpoint: string, phase = HOLD) => `${METRICS.ops}{endpoint:${endpoint},phase:${phase}}`;
export const trafficOpsMetric = (traffic: string, phase = HOLD) => `${METRICS.ops}{traffic:${traffic},phase:${phase}}`;
/**
 * Drops of one hold scenario. k6 tags dropped_iterations with the scenario name only (not with the
 * scenario's own tags), so the hold window is selected by scenario.
 */
export const holdDroppedMetric = (endpoint: string) => `dropped_iterations{scenario:${endpoint}}`;
export const rampScenario = (endpoint: string) => `${endpoint}_${RAMP}`;

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

/**
 * How long one operation of an endpoint may take: each request within its TTFB limit (the slowest
 * a healthy target may answer), or within what an earlier run measured when that was slower, so
 * a slow target fails on latency, not on dropped iterations. A configured expected latency wins.
 */
export function iterationMs(e: Pick<PlannedEndpoint, 'name' | 'ttfbP90Ms' | 'requestsPerOp'>, vus: SuiteConfig['vus']): number {
  const perRequest = vus.expectedLatencyMs ?? Math.max(e.ttfbP90Ms, vus.measuredLatencyMs?.[e.name] ?? 0);
  return perRequest * e.requestsPerOp;
}

/** An endpoint's ramp-up and hold scenarios, at its exact rate, with a pool sized for it. */
function endpointScenarios(e: PlannedEndpoint, vus: SuiteConfig['vus'], startSeconds: number, plan: Plan): Record<string, Scenario> {
  const { rate, timeUnit } = arrivalRate(e.targetRps);
  const pool = vuPool(e.targetRps, iterationMs(e, vus), vus.headroom, vus.maxVUs);
  const common = { exec: EXEC.endpoint, env: { [SCENARIO_ENDPOINT_ENV]: e.name } };
  const tags = { traffic: e.traffic };
  const out: Record<string, Scenario> = {};
  if (plan.rampUpSeconds > 0) {
    out[rampScenario(e.name)] = {
      executor: 'ramping-arrival-rate',
      startRate: 0,
      timeUnit,
      stages: [{ target: rate, duration: `${plan.rampUpSeconds}s` }],
      ...pool,
      startTime: `${startSeconds}s`,
      gracefulStop: '10s',
      ...common,
      tags: { ...tags, phase: RAMP },
    };
  }
  out[e.name] = {
    executor: 'constant-arrival-rate',
    rate,
    timeUnit,
    duration: `${plan.holdSeconds}s`,
    ...pool,
    startTime: `${startSeconds + plan.rampUpSeconds}s`,
    gracefulStop: '30s',
    ...common,
    tags: { ...tags, phase: HOLD },
  };
  return out;
}

/**
 * Fewest operations a summary must hold for an endpoint or traffic type: its share of the target
 * at the achieved-rate ratio, and at least one (no data is never a pass).
 */
export function minimumOps(targetOps: number, achievedRateRatio: number, loadShare: number): number {
  return Math.max(1, Math.floor(targetOps * achievedRateRatio * loadShare + 1e-9));
}

/**
 * k6 `options` for a plan. Every endpoint has its own arrival-rate scenario at its exact rate (in
 * mixed mode all at once, in per-endpoint mode one after another), so with execution segments
 * each runner runs every endpoint at its share of the rate. One threshold per verdict rule.
 */
export function buildK6Options(plan: Plan, vus: SuiteConfig['vus']): K6Options {
  const scenarios: Record<string, Scenario> = {};
  const thresholds: Record<string, string[]> = {};
  if (plan.mode === SMOKE) {
    // One VU runs every endpoint once; each must succeed.
    scenarios.smoke = { executor: 'shared-iterations', vus: 1, iterations: 1, maxDuration: '10m', exec: EXEC.smoke, tags: { phase: SMOKE_PHASE } };
    for (const e of plan.endpoints) {
      thresholds[successMetric(e.name, SMOKE_PHASE)] = [`rate>${plan.successRate}`];
      thresholds[endpointOpsMetric(e.name, SMOKE_PHASE)] = ['count>=1'];
      // Always true (a trend has no count aggregation): keeps the endpoint's TTFB in the summary.
      thresholds[ttfbMetric(e.name, SMOKE_PHASE)] = ['max>=0'];
    }
  } else {
    let start = 0;
    for (const e of plan.endpoints) {
      Object.assign(scenarios, endpointScenarios(e, vus, start, plan));
      if (plan.mode === 'per-endpoint') start += plan.rampUpSeconds + plan.holdSeconds + ENDPOINT_GAP_SECONDS;
    }
    for (const e of plan.endpoints) {
      thresholds[ttfbMetric(e.name)] = [`p(90)<${e.ttfbP90Ms}`];
      thresholds[successMetric(e.name)] = [`rate>${plan.successRate}`];
      // Also fails k6 when an endpoint recorded nothing: an empty trend's p(90) is 0, which passes.
      thresholds[endpointOpsMetric(e.name)] = [`count>=${minimumOps(e.targetOps, plan.achievedRateRatio, 1 / plan.parallelism)}`];
      thresholds[holdDroppedMetric(e.name)] = ['count==0'];
    }
    for (const t of plan.traffic) thresholds[trafficOpsMetric(t.type)] = [`count>=${minimumOps(t.targetOps, plan.achievedRateRatio, 1 / plan.parallelism)}`];
  }

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
  if (plan.mode === SMOKE) return 0;
  if (plan.mode === 'mixed') return plan.rampUpSeconds + plan.holdSeconds;
  return plan.endpoints.length * (plan.rampUpSeconds + plan.holdSeconds + ENDPOINT_GAP_SECONDS) - ENDPOINT_GAP_SECONDS;
}
