// Pure module (no zod): the defaults of the `loadTest` section. The zod schema applies them to
// validated files and the k6 suite, which reads the environment file as written, applies the same
// values, so each default is stated once.

export const LOAD_TEST_MODES = ['mixed', 'per-endpoint'] as const;
export type LoadTestMode = (typeof LOAD_TEST_MODES)[number];

export const LOAD_TEST_DEFAULTS = {
  mode: 'mixed' as LoadTestMode,
  /** Mixed mode: all traffic types at once, ramp-up then a long hold. */
  mixed: { rampUpSeconds: 60, holdSeconds: 900 },
  /** Per-endpoint mode: one endpoint after another, GPT style. */
  perEndpoint: { rampUpSeconds: 5, holdSeconds: 60 },
  vus: {
    /** VUs = rate x expected latency x headroom (Little's law plus a margin). */
    headroom: 2,
    /** Upper bound of any one scenario's VU pool. */
    maxVUs: 500,
  },
  thresholds: {
    /** Share of operations that must succeed; the check is "above". */
    successRate: 0.99,
    /** Achieved rate / target rate that each traffic type must reach. */
    achievedRateRatio: 0.95,
  },
  unsafeWrites: false,
} as const;
