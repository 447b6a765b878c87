/** Scheduling arithmetic for k6's arrival-rate executors (pure, unit-tested). */

/** Longest time unit tried for an exact rate; past it the rate is rounded per hour. */
const MAX_TIME_UNIT_SECONDS = 3600;

/**
 * k6 wants a whole number of iterations per time unit, and any duration may be the unit. The
 * smallest whole number of seconds that makes the rate whole gives it exactly: 40/s stays per
 * second, 0.5/s becomes 1 per 2 s, 40 x 1/19.5 becomes 80 per 39 s. Rates with no such unit up
 * to an hour are rounded per hour (an error below 1/7200 of the rate).
 */
export function arrivalRate(rps: number): { rate: number; timeUnit: string } {
  if (!(rps > 0) || !Number.isFinite(rps)) throw new Error(`expected a rate above 0, got ${rps}`);
  for (let seconds = 1; seconds <= MAX_TIME_UNIT_SECONDS; seconds++) {
    const perUnit = rps * seconds;
    const whole = Math.round(perUnit);
    if (whole >= 1 && Math.abs(perUnit - whole) <= 1e-9 * Math.max(1, perUnit)) return { rate: whole, timeUnit: `${seconds}s` };
  }
  return { rate: Math.max(1, Math.round(rps * 3600)), timeUnit: '3600s' };
}

/** The rate in iterations per second that an arrivalRate() result stands for. */
export function ratePerSecond(r: { rate: number; timeUnit: string }): number {
  const m = /^(\d+)s$/.exec(r.timeUnit);
  if (!m) throw new Error(`expected a time unit in whole seconds, got ${r.timeUnit}`);
  return r.rate / Number(m[1]);
}

export interface VuPool {
  readonly preAllocatedVUs: number;
  readonly maxVUs: number;
}

/**
 * VUs for an arrival rate of `rps` when one iteration takes up to `iterationMs`. k6 drops an
 * iteration that finds no free VU even while it adds one from the maxVUs reserve, so the
 * pre-allocated pool alone must carry a healthy target: the busy VUs by Little's law times
 * `headroom`, plus one spare for bursts. maxVUs doubles that for an unhealthy target; both are
 * bounded by `cap`.
 */
export function vuPool(rps: number, iterationMs: number, headroom: number, cap: number): VuPool {
  const busy = (rps * iterationMs) / 1000;
  const pre = Math.min(cap, Math.ceil(busy * headroom) + 1);
  return { preAllocatedVUs: pre, maxVUs: Math.min(cap, pre * 2) };
}
