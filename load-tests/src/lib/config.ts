import { LOAD_TEST_DEFAULTS, LOAD_TEST_MODES, type LoadTestMode } from '@gitlab-aws/core/src/environment/sections/load-test-defaults';
import type { GitLabSize } from '@gitlab-aws/core/src/environment/sections/gitlab';
import { GITLAB_TARGET_RATES } from '@gitlab-aws/core/src/gitlab/target-rates';

/** Environment variables the suite reads (the runner and the CI template set them). */
export const ENV_VARS = {
  token: 'GITLAB_TOKEN',
  baseUrl: 'GITLAB_URL',
  environmentFile: 'LOAD_TEST_ENV_FILE',
  mode: 'LOAD_TEST_MODE',
  holdSeconds: 'LOAD_TEST_HOLD_SECONDS',
  rampUpSeconds: 'LOAD_TEST_RAMP_UP_SECONDS',
  unsafeWrites: 'LOAD_TEST_UNSAFE_WRITES',
  endpoints: 'LOAD_TEST_ENDPOINTS',
  reportDir: 'LOAD_TEST_REPORT_DIR',
  parallelism: 'LOAD_TEST_PARALLELISM',
  summaryToStdout: 'LOAD_TEST_SUMMARY_STDOUT',
  measuredLatency: 'LOAD_TEST_MEASURED_LATENCY_MS',
} as const;

/**
 * The file's modes, plus "smoke" (only from LOAD_TEST_MODE or the runner's --smoke): every endpoint
 * once, judged on success alone, to check a target and its test data before a long run.
 */
export const SMOKE = 'smoke';
export type SuiteMode = LoadTestMode | typeof SMOKE;
const SUITE_MODES: readonly string[] = [...LOAD_TEST_MODES, SMOKE];

/** Everything a run needs, from the environment file (defaults applied) and the overrides. */
export interface SuiteConfig {
  readonly environment: string;
  readonly size: GitLabSize;
  readonly baseUrl: string;
  readonly projectPath: string;
  readonly groupPath: string;
  readonly mode: SuiteMode;
  readonly rampUpSeconds: number;
  readonly holdSeconds: number;
  readonly vus: {
    readonly expectedLatencyMs?: number;
    /** Latency per request measured in an earlier run, by endpoint (LOAD_TEST_MEASURED_LATENCY_MS). */
    readonly measuredLatencyMs?: Readonly<Record<string, number>>;
    readonly headroom: number;
    readonly maxVUs: number;
  };
  readonly thresholds: { readonly successRate: number; readonly achievedRateRatio: number; readonly ttfbP90Ms: Readonly<Record<string, number>> };
  readonly excludeEndpoints: readonly string[];
  /** When set, only these endpoints run (for a quick look at one endpoint). */
  readonly onlyEndpoints?: readonly string[];
  readonly unsafeWrites: boolean;
  /** Number of runners sharing the load (k6-operator parallelism). */
  readonly parallelism: number;
}

type Env = Readonly<Record<string, string | undefined>>;
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads an environment file as written (k6 has no zod: the runner validated it already, this
 * checks only what the suite relies on) and applies the same defaults as the schema.
 */
export function resolveSuiteConfig(file: string, raw: unknown, env: Env): SuiteConfig {
  const fail = (field: string, message: string): never => {
    throw new Error(`${file}: ${field} ${message}`);
  };
  if (!isObject(raw)) return fail('(file)', 'is not a JSON object: expected an environment file');
  const gitlab = raw.gitlab;
  if (!isObject(gitlab)) return fail('gitlab', 'is missing: add { "size": "2k", "externalUrl": "https://gitlab.example.com" } so the suite knows its targets');
  const size = gitlab.size;
  if (typeof size !== 'string' || !(size in GITLAB_TARGET_RATES)) return fail('gitlab.size', `is ${JSON.stringify(size)}: expected one of ${Object.keys(GITLAB_TARGET_RATES).join(', ')}`);
  const lt = raw.loadTest;
  if (!isObject(lt)) return fail('loadTest', 'is missing: add { "projectPath": "group/project" } naming the project to test against');
  if (typeof lt.projectPath !== 'string' || !lt.projectPath) return fail('loadTest.projectPath', 'is missing: name the project to test against, e.g. "perf/gitlabhq"');

  const baseUrl = (env[ENV_VARS.baseUrl] || (typeof gitlab.externalUrl === 'string' ? gitlab.externalUrl : '')).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+/.test(baseUrl)) {
    return fail('gitlab.externalUrl', `is ${JSON.stringify(gitlab.externalUrl)}: expected the GitLab address (or set ${ENV_VARS.baseUrl})`);
  }

  const modeText = env[ENV_VARS.mode] || (lt.mode as string | undefined) || LOAD_TEST_DEFAULTS.mode;
  const allowed: readonly string[] = env[ENV_VARS.mode] ? SUITE_MODES : LOAD_TEST_MODES;
  if (!allowed.includes(modeText)) {
    return fail(env[ENV_VARS.mode] ? ENV_VARS.mode : 'loadTest.mode', `is "${modeText}": expected ${allowed.map((m) => `"${m}"`).join(' or ')}`);
  }
  const mode = modeText as SuiteMode;
  const phaseKey = mode === 'mixed' ? 'mixed' : 'perEndpoint';
  const phase = isObject(lt[phaseKey]) ? (lt[phaseKey] as Json) : {};
  const number = (name: string, text: string | undefined, fromFile: unknown, fallback: number, min: number): number => {
    const value = text !== undefined && text !== '' ? Number(text) : fromFile === undefined ? fallback : fromFile;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min) return fail(name, `is ${JSON.stringify(text ?? fromFile)}: expected a number of at least ${min}`);
    return value;
  };
  const vus = isObject(lt.vus) ? lt.vus : {};
  const thresholds = isObject(lt.thresholds) ? lt.thresholds : {};
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const only = env[ENV_VARS.endpoints]?.split(',').map((s) => s.trim()).filter(Boolean);
  const writesText = env[ENV_VARS.unsafeWrites];

  return {
    environment: typeof raw.name === 'string' ? raw.name : file,
    size: size as GitLabSize,
    baseUrl,
    projectPath: lt.projectPath,
    groupPath: typeof lt.groupPath === 'string' ? lt.groupPath : parentNamespace(file, lt.projectPath),
    mode,
    // A smoke run has no ramp and no hold: each endpoint runs once.
    rampUpSeconds: mode === SMOKE ? 0 : Math.round(number(env[ENV_VARS.rampUpSeconds] ? ENV_VARS.rampUpSeconds : `loadTest.${phaseKey}.rampUpSeconds`, env[ENV_VARS.rampUpSeconds], phase.rampUpSeconds, LOAD_TEST_DEFAULTS[phaseKey].rampUpSeconds, 0)),
    holdSeconds: mode === SMOKE ? 0 : Math.round(number(env[ENV_VARS.holdSeconds] ? ENV_VARS.holdSeconds : `loadTest.${phaseKey}.holdSeconds`, env[ENV_VARS.holdSeconds], phase.holdSeconds, LOAD_TEST_DEFAULTS[phaseKey].holdSeconds, 1)),
    vus: {
      expectedLatencyMs: typeof vus.expectedLatencyMs === 'number' ? vus.expectedLatencyMs : undefined,
      ...(env[ENV_VARS.measuredLatency] ? { measuredLatencyMs: measuredLatency(env[ENV_VARS.measuredLatency]!, fail) } : {}),
      headroom: number('loadTest.vus.headroom', undefined, vus.headroom, LOAD_TEST_DEFAULTS.vus.headroom, 1),
      maxVUs: number('loadTest.vus.maxVUs', undefined, vus.maxVUs, LOAD_TEST_DEFAULTS.vus.maxVUs, 1),
    },
    thresholds: {
      successRate: number('loadTest.thresholds.successRate', undefined, thresholds.successRate, LOAD_TEST_DEFAULTS.thresholds.successRate, 0),
      achievedRateRatio: number('loadTest.thresholds.achievedRateRatio', undefined, thresholds.achievedRateRatio, LOAD_TEST_DEFAULTS.thresholds.achievedRateRatio, 0),
      ttfbP90Ms: isObject(thresholds.ttfbP90Ms) ? (thresholds.ttfbP90Ms as Record<string, number>) : {},
    },
    excludeEndpoints: list(lt.excludeEndpoints),
    onlyEndpoints: only && only.length ? only : undefined,
    unsafeWrites: writesText !== undefined && writesText !== '' ? writesText === 'true' || writesText === '1' : lt.unsafeWrites === true,
    parallelism: Math.round(number(ENV_VARS.parallelism, env[ENV_VARS.parallelism], undefined, 1, 1)),
  };
}

/** {"endpoint": milliseconds} from LOAD_TEST_MEASURED_LATENCY_MS. */
function measuredLatency(text: string, fail: (field: string, message: string) => never): Record<string, number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!isObject(parsed) || !Object.values(parsed).every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
    return fail(ENV_VARS.measuredLatency, 'is not a JSON object of endpoint names and milliseconds, e.g. {"api_user":120}');
  }
  return parsed as Record<string, number>;
}

function parentNamespace(file: string, projectPath: string): string {
  const cut = projectPath.lastIndexOf('/');
  if (cut <= 0) throw new Error(`${file}: loadTest.groupPath is missing and "${projectPath}" has no parent group: set loadTest.groupPath`);
  return projectPath.slice(0, cut);
}
