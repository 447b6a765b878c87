import { parseCron } from '@gitlab-aws/core';
import { type SimAutoscalerFleet, type SimInstanceFleet, percentile, simulate } from './engine';

const always = (idleCount: number, idleMinutes: number) => ({ periods: [parseCron('* * * * *')], timeZone: 'UTC', idleCount, idleTimeSeconds: idleMinutes * 60 });

function autoscaler(over: Partial<SimAutoscalerFleet>): SimAutoscalerFleet {
  return { mode: 'autoscaler', bootSeconds: 60, capacityPerInstance: 1, maxInstances: 5, maxUseCount: 0, policies: [always(0, 10)], ...over };
}

const hours = (seconds: number) => seconds / 3600;

describe('autoscaler model, hand-computed', () => {
  it('boots an instance for a job, and removes it as soon as its single use is spent', () => {
    // Job at 0 waits for the boot (60 s), runs 600 s; max_use_count 1 removes the instance at 660.
    const r = simulate([{ arrival: 0, duration: 600 }], autoscaler({ maxUseCount: 1 }));
    expect(r.waits).toEqual([60]);
    expect(r.instanceHours).toBeCloseTo(hours(660), 10);
    expect(r).toMatchObject({ peakInstances: 1, endSeconds: 660, unserved: 0 });
  });

  it('queues behind max_instances and keeps an idle instance for idle_time', () => {
    // One instance at most. Job A (0, 100 s) starts at 60; job B (50, 100 s) waits until A ends at 160.
    // B ends at 260; the instance is idle from 260 and leaves at 260 + 600 = 860.
    const r = simulate(
      [
        { arrival: 0, duration: 100 },
        { arrival: 50, duration: 100 },
      ],
      autoscaler({ maxInstances: 1 }),
      { horizonSeconds: 1200 },
    );
    expect(r.waits).toEqual([60, 110]);
    expect(r.instanceHours).toBeCloseTo(hours(860), 10);
    expect(r.endSeconds).toBe(1200);
  });

  it('keeps idle_count slots warm, replacing the warm slot a job takes', () => {
    // idle_count 1: instance #0 launched at 0 (ready 60). Job at 300 takes it at once, so #1 is
    // launched at 300 (ready 360). #1 idles 300 s and leaves at 660; #0 (idle from 420) stays as
    // the one idle slot. Window ends at 900: 900 s + 360 s.
    const r = simulate([{ arrival: 300, duration: 120 }], autoscaler({ maxInstances: 3, policies: [always(1, 5)] }), { horizonSeconds: 900 });
    expect(r.waits).toEqual([0]);
    expect(r.instanceHours).toBeCloseTo(hours(1260), 10);
    expect(r.peakInstances).toBe(2);
  });

  it('packs capacity_per_instance jobs on one instance', () => {
    const r = simulate(
      [
        { arrival: 0, duration: 100 },
        { arrival: 0, duration: 100 },
      ],
      autoscaler({ bootSeconds: 30, capacityPerInstance: 2, policies: [always(0, 1)] }),
    );
    expect(r.waits).toEqual([30, 30]);
    expect(r.peakInstances).toBe(1);
    // Ready at 30, both jobs end at 130, idle 60 s: gone at 190; the window ends at the last job, 130.
    expect(r.instanceHours).toBeCloseTo(hours(130), 10);
  });

  it('applies the last matching policy: warm in working hours, zero at night', () => {
    // Monday 2024-01-01 from 00:00 UTC; idle 2 from 08:00. At 08:00 two instances launch.
    const policies = [always(0, 10), { periods: [parseCron('* 8-17 * * mon-fri')], timeZone: 'UTC', idleCount: 2, idleTimeSeconds: 600 }];
    const r = simulate([{ arrival: 8 * 3600 + 600, duration: 60 }], autoscaler({ policies }), { horizonSeconds: 9 * 3600 });
    expect(r.waits).toEqual([0]);
    // #0 and #1 warm from 08:00 (ready 08:01). The job takes #0 at 08:10, so #2 is launched to
    // refill the pool. At 08:11 the job ends and #1 has idled 10 min with 3 free slots > 2: it goes.
    // #0 (08:00-09:00) + #1 (08:00-08:11) + #2 (08:10-09:00).
    expect(r.instanceHours).toBeCloseTo(hours(3600 + 660 + 3000), 10);
  });
});

describe('instance model, hand-computed', () => {
  const base: SimInstanceFleet = {
    mode: 'instance',
    bootSeconds: 60,
    capacityPerInstance: 1,
    maxInstances: 2,
    minInstances: 1,
    targetPercent: 50,
    schedule: [],
    scaleOutMinutes: 1,
    scaleInMinutes: 1,
  };

  it('drains on scale-in: a running job finishes before its instance goes', () => {
    // min 1: #0 at 0, ready 60, takes the job (wait 60, ends 1060). 100 % busy at 60 > target 50:
    // #1 launched at 60. At 00:05 the schedule sets max 0: idle #1 goes at 300, busy #0 drains
    // and goes when its job ends at 1060.
    const schedule = [{ recurrence: parseCron('5 0 * * *'), timeZone: 'UTC', minInstances: 0, maxInstances: 0 }];
    const r = simulate([{ arrival: 0, duration: 1000 }], { ...base, schedule });
    expect(r.waits).toEqual([60]);
    expect(r.instanceHours).toBeCloseTo(hours(1060 + 240), 10);
    expect(r).toMatchObject({ peakInstances: 2, endSeconds: 1060, unserved: 0 });
  });

  it('cannot scale out from zero on CPU alone: the job waits until the schedule raises the minimum', () => {
    const noFloor = { ...base, minInstances: 0 };
    expect(simulate([{ arrival: 0, duration: 60 }], noFloor, { patienceSeconds: 3600 }).unserved).toBe(1);
    // A morning action at 00:10 sets min 1: ready at 660, so the job waits 660 s.
    const morning = [{ recurrence: parseCron('10 0 * * *'), timeZone: 'UTC', minInstances: 1, maxInstances: 2 }];
    expect(simulate([{ arrival: 0, duration: 60 }], { ...noFloor, schedule: morning }).waits).toEqual([660]);
  });
});

describe('always-on comparison and statistics', () => {
  it('serves a fixed fleet first come, first served', () => {
    const r = simulate(
      [
        { arrival: 0, duration: 100 },
        { arrival: 10, duration: 100 },
        { arrival: 20, duration: 100 },
      ],
      { mode: 'fixed', capacityPerInstance: 1, instances: 1 },
    );
    expect(r.waits).toEqual([0, 90, 180]);
    expect(r.instanceHours).toBeCloseTo(hours(300), 10);
    expect([r.waitP50, r.waitP95, r.waitMax]).toEqual([90, 180, 180]);
  });

  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 20 }, (_, i) => 20 - i);
    expect([percentile(values, 50), percentile(values, 95), percentile(values, 100)]).toEqual([10, 19, 20]);
    expect(percentile([], 95)).toBe(0);
    expect(percentile([7], 50)).toBe(7);
  });
});

describe('scale factor, hand-computed', () => {
  const factor = (idleCount: number, scaleFactor: number, scaleFactorLimit?: number) => ({ ...always(idleCount, 10), scaleFactor, scaleFactorLimit });
  const burst = (n: number) => Array.from({ length: n }, () => ({ arrival: 0, duration: 600 }));

  it('keeps idle slots in proportion to the busy ones, at least idle_count, at most the limit', () => {
    // Four jobs at 0 on 1-slot instances: four launched at once (ready 60). At 60 all four run, so
    // the idle target is ceil(4 x 0.5) = 2: two more are launched then. Limit 1 caps that at one.
    expect(simulate(burst(4), autoscaler({ maxInstances: 10, policies: [factor(0, 0.5)] }), { horizonSeconds: 100 }).peakInstances).toBe(6);
    expect(simulate(burst(4), autoscaler({ maxInstances: 10, policies: [factor(0, 0.5, 1)] }), { horizonSeconds: 100 }).peakInstances).toBe(5);
    // idle_count is the floor: 3 idle slots even though 4 x 0.5 = 2.
    expect(simulate(burst(4), autoscaler({ maxInstances: 10, policies: [factor(3, 0.5, 8)] }), { horizonSeconds: 100 }).peakInstances).toBe(7);
    // No factor: idle_count alone.
    expect(simulate(burst(4), autoscaler({ maxInstances: 10, policies: [factor(0, 0)] }), { horizonSeconds: 100 }).peakInstances).toBe(4);
  });
});

