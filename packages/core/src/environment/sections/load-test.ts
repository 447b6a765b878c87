import { z } from 'zod';
import { LOAD_TEST_DEFAULTS, LOAD_TEST_MODES } from './load-test-defaults';

const D = LOAD_TEST_DEFAULTS;

/** A GitLab namespace path: "group", "group/subgroup" or "group/project". */
const namespacePath = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*(\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$/, {
    error: 'expected a GitLab path such as "perf/gitlabhq" (no leading or trailing slash, no URL)',
  });

const seconds = (what: string, min: number) =>
  z.number().int({ error: `expected whole seconds for ${what}` }).min(min, { error: `expected at least ${min} second(s) for ${what}` });

const phase = (defaults: { rampUpSeconds: number; holdSeconds: number }) =>
  z
    .strictObject({
      /** Seconds from 0 to the target rate. */
      rampUpSeconds: seconds('the ramp-up', 0).default(defaults.rampUpSeconds),
      /** Seconds at the target rate; only this window is judged. */
      holdSeconds: seconds('the hold time', 1).default(defaults.holdSeconds),
    })
    .default({ ...defaults });

/**
 * What the k6 suites (load-tests/) run against this environment's GitLab. Rates are not set here:
 * they follow from `gitlab.size`, the value that sized the infrastructure.
 */
export const loadTestSection = z.strictObject({
  /** Project the read endpoints use (a large repository, e.g. an import of GitLab FOSS). */
  projectPath: namespacePath,
  /** Group the group endpoints use. Default: the project's parent namespace. */
  groupPath: namespacePath.optional(),
  /** "mixed" (all traffic types at once, the realistic load) or "per-endpoint" (GPT style). Default: "mixed". */
  mode: z.enum(LOAD_TEST_MODES, { error: 'expected "mixed" or "per-endpoint"' }).default(D.mode),
  /** Durations of mixed runs. Default: 60 s ramp-up, 900 s hold. */
  mixed: phase(D.mixed),
  /** Durations of each endpoint's run in per-endpoint mode. Default: 5 s ramp-up, 60 s hold. */
  perEndpoint: phase(D.perEndpoint),
  vus: z
    .strictObject({
      /** Expected latency used to size VU pools. Default: the traffic's share-weighted TTFB thresholds. */
      expectedLatencyMs: z.number().int().positive({ error: 'expected milliseconds above 0' }).optional(),
      /** Multiplier on the VU estimate. Default: 2. */
      headroom: z.number().min(1, { error: 'expected a multiplier of at least 1' }).default(D.vus.headroom),
      /** Largest VU pool of any scenario. Default: 500. */
      maxVUs: z.number().int().min(1, { error: 'expected at least 1 VU' }).max(10000, { error: 'expected at most 10000 VUs per runner; scale out with the k6-operator' }).default(D.vus.maxVUs),
    })
    .default({ headroom: D.vus.headroom, maxVUs: D.vus.maxVUs }),
  thresholds: z
    .strictObject({
      /** Success rate each endpoint must stay above. Default: 0.99. */
      successRate: z.number().gt(0, { error: 'expected a fraction between 0 and 1' }).lt(1, { error: 'expected a fraction below 1 (the check is "above")' }).default(D.thresholds.successRate),
      /** Fraction of the target rate each traffic type must achieve. Default: 0.95. */
      achievedRateRatio: z.number().gt(0, { error: 'expected a fraction between 0 and 1' }).max(1, { error: 'expected a fraction of at most 1' }).default(D.thresholds.achievedRateRatio),
      /** TTFB p90 limits in ms by endpoint name, replacing the catalog's values. Default: none. */
      ttfbP90Ms: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'expected an endpoint name such as "api_project"' }), z.number().int().positive({ error: 'expected milliseconds above 0' })).default({}),
    })
    .default({ successRate: D.thresholds.successRate, achievedRateRatio: D.thresholds.achievedRateRatio, ttfbP90Ms: {} }),
  /** Endpoint names left out of every run. Default: none. */
  excludeEndpoints: z.array(z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'expected an endpoint name such as "web_group"' })).default([]),
  /** Run the writing endpoints (Git push, creating issues). Default: false; the runner's --unsafe-writes also enables them. */
  unsafeWrites: z.boolean({ error: 'expected true or false' }).default(D.unsafeWrites),
});

export type LoadTestConfig = z.output<typeof loadTestSection>;
export type LoadTestInput = z.input<typeof loadTestSection>;
