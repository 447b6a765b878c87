import { type SimAutoscalerFleet, type SimOptions, type SimPolicy, type SimResult, simulate } from './engine';
import type { SimJob } from './workload';

/** The values the search may give each policy (each list in increasing order of idle capacity). */
export interface PolicySpace {
  readonly idleCounts: readonly number[];
  readonly idleTimesMinutes: readonly number[];
  readonly scaleFactors: readonly number[];
}

/** Idle slots 0-8, idle times of 10 min to 1 h, scale factors 0-1. */
export const DEFAULT_POLICY_SPACE: PolicySpace = {
  idleCounts: [0, 1, 2, 3, 4, 5, 6, 8],
  idleTimesMinutes: [10, 15, 20, 30, 45, 60],
  scaleFactors: [0, 0.25, 0.5, 1],
};

/** One policy's settings, as indexes into the space. */
interface Point {
  readonly idle: number;
  readonly time: number;
  readonly factor: number;
}

export interface PolicySetting {
  readonly idleCount: number;
  readonly idleTimeMinutes: number;
  readonly scaleFactor: number;
}

export interface SearchResult {
  /** The cheapest setting found that meets the target, one entry per policy of the fleet; undefined if none does. */
  readonly best?: { readonly settings: PolicySetting[]; readonly result: SimResult };
  /** Simulations run. */
  readonly evaluated: number;
}

/**
 * Finds the cheapest idle policies (fewest instance-hours) whose p95 queue wait is at most the
 * target, keeping the fleet's periods, time zones, capacity and limits. A greedy climb from "no
 * idle capacity": each round makes the one-step change (more idle slots, a longer idle time or a
 * larger scale factor, in one policy) that removes the most late jobs per instance-hour added,
 * until the target is met; then it polishes one policy at a time over its whole idle count x idle
 * time grid (and its scale factors) while the others stay fixed, until nothing cheaper meets the
 * target. Runs are cached; the whole grid of every policy combined is never simulated, so the
 * result is the cheapest setting found, not a proof that none is cheaper.
 */
export function searchPolicies(jobs: readonly SimJob[], fleet: SimAutoscalerFleet, targetP95Seconds: number, options: SimOptions = {}, space: PolicySpace = DEFAULT_POLICY_SPACE): SearchResult {
  if (!(targetP95Seconds >= 0)) throw new Error(`searchPolicies: the wait target must be 0 or more seconds, got ${targetP95Seconds}`);
  for (const [name, list] of Object.entries(space)) if (list.length === 0) throw new Error(`searchPolicies: the space has no ${name}`);
  if (fleet.policies.length === 0) throw new Error('searchPolicies: the fleet has no policy to tune');
  const cache = new Map<string, SimResult>();
  const settingsOf = (points: readonly Point[]): PolicySetting[] =>
    points.map((p) => ({ idleCount: space.idleCounts[p.idle], idleTimeMinutes: space.idleTimesMinutes[p.time], scaleFactor: space.scaleFactors[p.factor] }));
  const run = (points: readonly Point[]): SimResult => {
    const key = JSON.stringify(points);
    let r = cache.get(key);
    if (!r) {
      const policies: SimPolicy[] = fleet.policies.map((p, i) => {
        const s = settingsOf(points)[i];
        return { ...p, idleCount: s.idleCount, idleTimeSeconds: s.idleTimeMinutes * 60, scaleFactor: s.scaleFactor, scaleFactorLimit: undefined };
      });
      r = simulate(jobs, { ...fleet, policies }, options);
      cache.set(key, r);
    }
    return r;
  };
  const late = (r: SimResult) => r.waits.filter((w) => w > targetP95Seconds).length + r.unserved;
  const meets = (r: SimResult) => r.unserved === 0 && r.waitP95 <= targetP95Seconds;
  const neighbours = (points: readonly Point[], direction: 1 | -1): Point[][] => {
    const out: Point[][] = [];
    points.forEach((p, i) => {
      for (const [field, size] of [
        ['idle', space.idleCounts.length],
        ['time', space.idleTimesMinutes.length],
        ['factor', space.scaleFactors.length],
      ] as const) {
        const next = p[field] + direction;
        if (next >= 0 && next < size) out.push(points.map((q, j) => (j === i ? { ...q, [field]: next } : q)));
      }
    });
    return out;
  };

  let current: Point[] = fleet.policies.map(() => ({ idle: 0, time: 0, factor: 0 }));
  let result = run(current);
  // Climb: the step that buys the most on-time jobs per instance-hour.
  while (!meets(result)) {
    let chosen: { points: Point[]; r: SimResult; score: number } | undefined;
    for (const points of neighbours(current, 1)) {
      const r = run(points);
      const gained = late(result) - late(r);
      const cost = Math.max(r.instanceHours - result.instanceHours, 0.01);
      const score = gained / cost;
      if (gained > 0 && (!chosen || score > chosen.score)) chosen = { points, r, score };
    }
    if (!chosen) return { evaluated: cache.size };
    current = chosen.points;
    result = chosen.r;
  }
  // Polish, one policy at a time: every idle count x idle time (then every scale factor) with the
  // other policies fixed; keep the cheapest setting that still meets the target; repeat until stable.
  const polishMoves = (points: readonly Point[]): Point[][] =>
    points.flatMap((p, i) => {
      const at = (q: Point) => points.map((x, j) => (j === i ? q : x));
      const grid = space.idleCounts.flatMap((_, idle) => space.idleTimesMinutes.map((__, time) => at({ ...p, idle, time })));
      return [...grid, ...space.scaleFactors.map((_, factor) => at({ ...p, factor }))];
    });
  for (let improved = true; improved; ) {
    improved = false;
    for (const points of polishMoves(current)) {
      const r = run(points);
      if (meets(r) && r.instanceHours < result.instanceHours - 1e-9) {
        current = points;
        result = r;
        improved = true;
      }
    }
  }
  return { best: { settings: settingsOf(current), result }, evaluated: cache.size };
}
