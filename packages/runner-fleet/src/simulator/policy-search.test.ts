import { parseCron } from '@gitlab-aws/core';
import { type SimAutoscalerFleet, simulate } from './engine';
import { searchPolicies } from './policy-search';

const policy = { periods: [parseCron('* * * * *')], timeZone: 'UTC', idleCount: 0, idleTimeSeconds: 600 };
const fleet: SimAutoscalerFleet = { mode: 'autoscaler', bootSeconds: 60, capacityPerInstance: 1, maxInstances: 4, maxUseCount: 0, policies: [policy] };
// One 5-minute job every 2 hours from 00:10: no instance outlives the gap unless kept by idle_count.
const jobs = Array.from({ length: 6 }, (_, i) => ({ arrival: 600 + i * 7200, duration: 300 }));
const space = { idleCounts: [0, 1, 2], idleTimesMinutes: [10, 30], scaleFactors: [0, 0.5] };
const options = { horizonSeconds: 12 * 3600 };

describe('policy search', () => {
  it('buys no idle capacity when a cold boot is within the target', () => {
    const { best } = searchPolicies(jobs, fleet, 60, options, space);
    expect(best?.settings).toEqual([{ idleCount: 0, idleTimeMinutes: 10, scaleFactor: 0 }]);
    // Each job: 60 s boot + 300 s + 600 s idle.
    expect(best?.result.instanceHours).toBeCloseTo((6 * 960) / 3600, 9);
    expect(best?.result.waitP95).toBe(60);
  });

  it('keeps one slot warm when jobs may not wait at all, and nothing more', () => {
    const { best, evaluated } = searchPolicies(jobs, fleet, 0, options, space);
    expect(best?.settings).toEqual([{ idleCount: 1, idleTimeMinutes: 10, scaleFactor: 0 }]);
    expect(best?.result.waitP95).toBe(0);
    expect(evaluated).toBeLessThanOrEqual(3 * 2 * 2);
    // Everything else in the space that meets the target costs at least as much.
    for (const idleCount of space.idleCounts) {
      for (const t of space.idleTimesMinutes) {
        for (const scaleFactor of space.scaleFactors) {
          const r = simulate(jobs, { ...fleet, policies: [{ ...policy, idleCount, idleTimeSeconds: t * 60, scaleFactor }] }, options);
          if (r.waitP95 <= 0) expect(r.instanceHours).toBeGreaterThanOrEqual(best!.result.instanceHours - 1e-9);
        }
      }
    }
  });

  it('tunes each period on its own: idle capacity only where the jobs are', () => {
    const night = { periods: [parseCron('* 6-23 * * *')], timeZone: 'UTC', idleCount: 0, idleTimeSeconds: 600 };
    // Jobs only between 00:00 and 06:00 (the first policy); the second period has none.
    const early = jobs.filter((j) => j.arrival < 6 * 3600);
    const { best } = searchPolicies(early, { ...fleet, policies: [policy, night] }, 0, options, space);
    expect(best?.settings.map((s) => s.idleCount)).toEqual([1, 0]);
  });

  it('reports when nothing in the space meets the target, and rejects a bad target or space', () => {
    expect(searchPolicies(jobs, fleet, 0, options, { ...space, idleCounts: [0] }).best).toBeUndefined();
    expect(() => searchPolicies(jobs, fleet, -1, options, space)).toThrow('the wait target must be 0 or more seconds, got -1');
    expect(() => searchPolicies(jobs, fleet, 60, options, { ...space, scaleFactors: [] })).toThrow('the space has no scaleFactors');
    expect(() => searchPolicies(jobs, { ...fleet, policies: [] }, 60, options, space)).toThrow('the fleet has no policy to tune');
  });
});
