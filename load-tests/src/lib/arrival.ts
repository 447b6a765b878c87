/** Scheduling arithmetic for k6's arrival-rate executors (pure, unit-tested). */

/** k6 wants a whole number of iterations per time unit: 40/s stays per second, 0.5/s becomes 30/m. */
export function arrivalRate(rps: number): { rate: number; timeUnit: string } {
  if (!(rps > 0)) throw new Error(`expected a rate above 0, got ${rps}`);
  if (Number.isInteger(rps)) return { rate: rps, timeUnit: '1s' };
  if (Number.isInteger(Math.round(rps * 60 * 1000) / 1000)) return { rate: Math.round(rps * 60), timeUnit: '1m' };
  return { rate: Math.max(1, Math.round(rps * 3600)), timeUnit: '1h' };
}

export interface VuPool {
  readonly preAllocatedVUs: number;
  readonly maxVUs: number;
}

/**
 * VUs needed to sustain `rps` when an iteration takes `latencyMs` (Little's law): that many are
 * allocated up front, and up to `headroom` times as many on demand, never more than `cap`.
 */
export function vuPool(rps: number, latencyMs: number, headroom: number, cap: number): VuPool {
  const busy = Math.max(1, Math.ceil((rps * latencyMs) / 1000));
  const max = Math.min(cap, Math.max(busy, Math.ceil(busy * headroom)));
  return { preAllocatedVUs: Math.min(busy, max), maxVUs: max };
}

/**
 * A repeating order of names in which each appears in proportion to its weight, spread evenly
 * (smooth weighted round-robin). Iteration i of a mixed scenario runs schedule[i % length], so
 * every endpoint gets its share exactly, not just on average.
 */
export function weightedSchedule(weights: ReadonlyArray<{ name: string; weight: number }>, length = 100): string[] {
  const live = weights.filter((w) => w.weight > 0);
  if (!live.length) return [];
  const total = live.reduce((s, w) => s + w.weight, 0);
  const current = live.map(() => 0);
  const out: string[] = [];
  for (let i = 0; i < length; i++) {
    let best = 0;
    for (let j = 0; j < live.length; j++) {
      current[j] += live[j].weight;
      if (current[j] > current[best]) best = j;
    }
    current[best] -= total;
    out.push(live[best].name);
  }
  return out;
}
