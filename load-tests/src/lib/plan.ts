import type { GitLabSize } from '@gitlab-aws/core/src/environment/sections/gitlab';
import { TRAFFIC_TYPES, targetRates, type TargetRates, type TrafficType } from '@gitlab-aws/core/src/gitlab/target-rates';
import { SMOKE, type SuiteConfig, type SuiteMode } from './config';
import { ENDPOINTS } from './endpoints';
import type { Endpoint, TestData } from './types';

export interface PlannedEndpoint {
  readonly name: string;
  readonly traffic: TrafficType;
  readonly title: string;
  /** Requests (operations) per second this endpoint should get. */
  readonly targetRps: number;
  /** Its share of its traffic type in mixed mode (1 in per-endpoint mode). */
  readonly share: number;
  readonly ttfbP90Ms: number;
  /** Relative weight: its share of its traffic type in mixed mode. */
  readonly weight: number;
  /** Operations expected in the judged window (one in a smoke run). */
  readonly targetOps: number;
  /** HTTP requests one operation sends (git_pull sends two), for sizing VU pools. */
  readonly requestsPerOp: number;
}

export interface PlannedTraffic {
  readonly type: TrafficType;
  /** The size's target rate for this traffic type. */
  readonly targetRps: number;
  readonly endpoints: readonly string[];
  /** Operations expected over the judged (hold) windows. */
  readonly targetOps: number;
}

/** What a run does and how it is judged; stored in every summary so reports can be rebuilt. */
export interface Plan {
  readonly environment: string;
  readonly size: GitLabSize;
  readonly mode: SuiteMode;
  readonly baseUrl: string;
  readonly projectPath: string;
  readonly groupPath: string;
  readonly rates: TargetRates;
  readonly rampUpSeconds: number;
  readonly holdSeconds: number;
  readonly successRate: number;
  readonly achievedRateRatio: number;
  readonly unsafeWrites: boolean;
  readonly parallelism: number;
  readonly endpoints: readonly PlannedEndpoint[];
  readonly traffic: readonly PlannedTraffic[];
  /** Catalog endpoints not run, and why. */
  readonly skipped: ReadonlyArray<{ readonly name: string; readonly reason: string }>;
}

/** Endpoints a config selects, in catalog order; unknown names in the config are errors. */
export function selectEndpoints(config: SuiteConfig): { run: Endpoint[]; skipped: Array<{ name: string; reason: string }> } {
  const known = new Set(ENDPOINTS.map((e) => e.name));
  const unknown = [
    ...config.excludeEndpoints.map((n) => ['loadTest.excludeEndpoints', n]),
    ...Object.keys(config.thresholds.ttfbP90Ms).map((n) => ['loadTest.thresholds.ttfbP90Ms', n]),
    ...(config.onlyEndpoints ?? []).map((n) => ['LOAD_TEST_ENDPOINTS', n]),
  ].filter(([, n]) => !known.has(n));
  if (unknown.length) {
    throw new Error(`${unknown.map(([where, n]) => `${where} names unknown endpoint "${n}"`).join('; ')}: known endpoints are ${[...known].join(', ')}`);
  }
  const run: Endpoint[] = [];
  const skipped: Array<{ name: string; reason: string }> = [];
  for (const e of ENDPOINTS) {
    if (config.onlyEndpoints && !config.onlyEndpoints.includes(e.name)) skipped.push({ name: e.name, reason: 'not selected' });
    else if (config.excludeEndpoints.includes(e.name)) skipped.push({ name: e.name, reason: 'excluded by the environment file' });
    else if (e.write && !config.unsafeWrites) skipped.push({ name: e.name, reason: 'writes data: needs the unsafe-writes flag' });
    else run.push(e);
  }
  if (!run.length) throw new Error('no endpoint is left to run: check loadTest.excludeEndpoints and LOAD_TEST_ENDPOINTS');
  return { run, skipped };
}

export function buildPlan(config: SuiteConfig): Plan {
  const rates = targetRates(config.size);
  const { run, skipped } = selectEndpoints(config);
  const endpoints: PlannedEndpoint[] = [];
  const traffic: PlannedTraffic[] = [];
  for (const type of TRAFFIC_TYPES) {
    const members = run.filter((e) => e.traffic === type);
    if (!members.length) continue;
    const totalWeight = members.reduce((s, e) => s + e.weight, 0);
    for (const e of members) {
      const share = config.mode === 'mixed' ? e.weight / totalWeight : 1;
      const targetRps = config.mode === SMOKE ? 0 : config.mode === 'mixed' ? rates[type] * share : rates[type] * (e.rateFactor ?? 1);
      endpoints.push({
        name: e.name,
        traffic: type,
        title: e.title,
        targetRps,
        share,
        ttfbP90Ms: config.thresholds.ttfbP90Ms[e.name] ?? e.ttfbP90Ms,
        weight: e.weight,
        targetOps: config.mode === SMOKE ? 1 : round(targetRps * config.holdSeconds),
        requestsPerOp: e.requests(SAMPLE_DATA, SAMPLE_HELPERS).length,
      });
    }
    const planned = endpoints.filter((p) => p.traffic === type);
    traffic.push({ type, targetRps: config.mode === SMOKE ? 0 : rates[type], endpoints: planned.map((p) => p.name), targetOps: round(planned.reduce((s, p) => s + p.targetOps, 0)) });
  }
  return {
    environment: config.environment,
    size: config.size,
    mode: config.mode,
    baseUrl: config.baseUrl,
    projectPath: config.projectPath,
    groupPath: config.groupPath,
    rates,
    rampUpSeconds: config.rampUpSeconds,
    holdSeconds: config.holdSeconds,
    successRate: config.thresholds.successRate,
    achievedRateRatio: config.thresholds.achievedRateRatio,
    unsafeWrites: config.unsafeWrites,
    parallelism: config.parallelism,
    endpoints,
    traffic,
    skipped,
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** Stand-in test data, only to count the requests of each endpoint's operation. */
const SAMPLE_DATA: TestData = {
  projectId: 1,
  projectPath: 'g/p',
  groupId: 1,
  groupPath: 'g',
  branch: 'main',
  filePath: 'README.md',
  commitSha: 'a'.repeat(40),
  parentSha: 'b'.repeat(40),
  mergeRequestIid: 1,
  issueIid: 1,
};
const SAMPLE_HELPERS = { sha1Hex: () => '0'.repeat(40), unique: () => 'x' };
