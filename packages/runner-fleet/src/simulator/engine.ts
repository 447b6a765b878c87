import { type CronExpression, type WallClock, cronMatches } from '@gitlab-aws/core';
import { EventQueue } from './event-queue';
import { DEFAULT_START, type SimJob } from './workload';
import { zonedClock } from './zoned-clock';

/** One `[[runners.autoscaler.policy]]`, parsed. */
export interface SimPolicy {
  readonly periods: readonly CronExpression[];
  readonly timeZone: string;
  readonly idleCount: number;
  readonly idleTimeSeconds: number;
  /** Idle slots to keep per slot in use, at least idleCount, at most scaleFactorLimit. Default: 0. */
  readonly scaleFactor?: number;
  readonly scaleFactorLimit?: number;
}

export interface SimScheduledAction {
  readonly recurrence: CronExpression;
  readonly timeZone: string;
  readonly minInstances: number;
  readonly maxInstances: number;
}

interface CommonFleet {
  readonly capacityPerInstance: number;
}

/** docker-autoscaler: instances appear when jobs (plus idle_count) need slots and leave after idle_time. */
export interface SimAutoscalerFleet extends CommonFleet {
  readonly mode: 'autoscaler';
  readonly bootSeconds: number;
  readonly maxInstances: number;
  /** Jobs an instance runs before it is removed; 0 = unlimited. */
  readonly maxUseCount: number;
  /** In order; the last matching one applies. With none matching: idle_count 0, idle_time 0. */
  readonly policies: readonly SimPolicy[];
}

/**
 * Instance mode: target tracking on busy slots (the stand-in for CPU and memory), checked each
 * minute; out after `scaleOutMinutes` high minutes, in after `scaleInMinutes` low ones; a removed
 * instance first finishes its jobs (the drain hook).
 */
export interface SimInstanceFleet extends CommonFleet {
  readonly mode: 'instance';
  readonly bootSeconds: number;
  readonly maxInstances: number;
  readonly minInstances: number;
  readonly targetPercent: number;
  readonly schedule: readonly SimScheduledAction[];
  /** Default: 3 (CloudWatch's scale-out alarm: 3 of 3 minutes). */
  readonly scaleOutMinutes?: number;
  /** Default: 15 (CloudWatch's scale-in alarm: 15 of 15 minutes). */
  readonly scaleInMinutes?: number;
}

/** The comparison: a fleet of fixed size, ready from the start, never scaled. */
export interface SimFixedFleet extends CommonFleet {
  readonly mode: 'fixed';
  readonly instances: number;
}

export type SimFleet = SimAutoscalerFleet | SimInstanceFleet | SimFixedFleet;

export interface SimOptions {
  /** Wall-clock start, for policy periods and schedules. Default: Monday 2024-01-01 00:00 UTC. */
  readonly start?: Date;
  /** Length of the measured window, seconds. Default: until the last arrival. */
  readonly horizonSeconds?: number;
  /** Give up on jobs still queued this long after the horizon. Default: 7 days. */
  readonly patienceSeconds?: number;
}

export interface SimResult {
  readonly jobs: number;
  /** Queue wait of each served job, seconds, in arrival order. */
  readonly waits: number[];
  readonly waitP50: number;
  readonly waitP95: number;
  readonly waitMax: number;
  /** Jobs never started (a fleet that cannot scale out from zero, for instance). */
  readonly unserved: number;
  /** Instance-hours from launch (boot included) to removal, within the window. */
  readonly instanceHours: number;
  readonly peakInstances: number;
  /** End of the window, seconds: the horizon or the last job's end, whichever is later. */
  readonly endSeconds: number;
}

interface Instance {
  readonly id: number;
  readonly launchedAt: number;
  ready: boolean;
  running: number;
  used: number;
  idleSince?: number;
  draining: boolean;
  goneAt?: number;
}

type SimEvent =
  | { time: number; priority: 0; kind: 'finish'; instance: Instance }
  | { time: number; priority: 1; kind: 'ready'; instance: Instance }
  | { time: number; priority: 2; kind: 'idle'; instance: Instance; since: number }
  | { time: number; priority: 3; kind: 'tick' }
  | { time: number; priority: 4; kind: 'arrival'; index: number };

const TICK = 60;
const NO_POLICY: SimPolicy = { periods: [], timeZone: 'UTC', idleCount: 0, idleTimeSeconds: 0 };

/** Nearest-rank percentile of values (0 for none). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Replays jobs against a fleet: a discrete-event simulation, deterministic for the same input. */
export function simulate(jobs: readonly SimJob[], fleet: SimFleet, options: SimOptions = {}): SimResult {
  return new Simulation(jobs, fleet, options).run();
}

class Simulation {
  private readonly queue = new EventQueue<SimEvent>();
  private readonly instances: Instance[] = [];
  /** Instances not yet removed, in launch order. */
  private readonly live: Instance[] = [];
  private readonly pending: number[] = [];
  private readonly waits: (number | undefined)[];
  private readonly start: number;
  private readonly horizon: number;
  private now = 0;
  private running = 0;
  private arrived = 0;
  private lastFinish = 0;
  private peak = 0;
  private min = 0;
  private max = 0;
  private highMinutes = 0;
  private lowMinutes = 0;
  /** The active policy of the current minute (policies only change at minute boundaries). */
  private policyCache?: { minute: number; policy: SimPolicy };

  constructor(
    private readonly jobs: readonly SimJob[],
    private readonly fleet: SimFleet,
    private readonly options: SimOptions,
  ) {
    this.waits = new Array(jobs.length).fill(undefined);
    this.start = (options.start ?? DEFAULT_START).getTime();
    this.horizon = options.horizonSeconds ?? jobs.reduce((m, j) => Math.max(m, j.arrival), 0);
    if (fleet.capacityPerInstance < 1) throw new Error('simulate: capacityPerInstance must be at least 1');
  }

  run(): SimResult {
    this.jobs.forEach((j, index) => this.queue.push({ time: j.arrival, priority: 4, kind: 'arrival', index }));
    if (this.fleet.mode === 'fixed') {
      for (let i = 0; i < this.fleet.instances; i++) this.launch(0).ready = true;
    } else {
      if (this.fleet.mode === 'instance') {
        this.min = this.fleet.minInstances;
        this.max = this.fleet.maxInstances;
      }
      this.queue.push({ time: 0, priority: 3, kind: 'tick' });
    }
    const giveUpAt = this.horizon + (this.options.patienceSeconds ?? 7 * 86400);
    for (let e = this.queue.pop(); e; e = this.queue.pop()) {
      this.now = e.time;
      this.handle(e);
      this.peak = Math.max(this.peak, this.alive().length);
      if (e.kind === 'tick') {
        const work = this.pending.length > 0 || this.running > 0 || this.arrived < this.jobs.length;
        const next = this.now + TICK;
        if ((next <= this.horizon || work) && next <= giveUpAt) this.queue.push({ time: next, priority: 3, kind: 'tick' });
      }
    }
    const end = Math.max(this.horizon, this.lastFinish);
    const served = this.waits.filter((w): w is number => w !== undefined);
    const seconds = this.instances.reduce((s, i) => s + Math.max(0, Math.min(i.goneAt ?? end, end) - Math.min(i.launchedAt, end)), 0);
    return {
      jobs: this.jobs.length,
      waits: served,
      waitP50: percentile(served, 50),
      waitP95: percentile(served, 95),
      waitMax: served.reduce((m, w) => Math.max(m, w), 0),
      unserved: this.jobs.length - served.length,
      instanceHours: seconds / 3600,
      peakInstances: this.peak,
      endSeconds: end,
    };
  }

  private handle(e: SimEvent): void {
    switch (e.kind) {
      case 'arrival':
        this.arrived++;
        this.pending.push(e.index);
        this.dispatch();
        if (this.fleet.mode === 'autoscaler') this.scaleAutoscaler(this.fleet);
        break;
      case 'ready':
        if (e.instance.goneAt !== undefined) break;
        e.instance.ready = true;
        e.instance.idleSince = this.now;
        this.dispatch();
        this.afterIdle(e.instance);
        break;
      case 'finish':
        e.instance.running--;
        this.running--;
        this.lastFinish = Math.max(this.lastFinish, this.now);
        if (e.instance.running === 0) e.instance.idleSince = this.now;
        this.dispatch();
        this.afterIdle(e.instance);
        break;
      case 'idle':
        if (e.instance.goneAt === undefined && e.instance.running === 0 && e.instance.idleSince === e.since && this.fleet.mode === 'autoscaler') {
          this.tryRemoveIdle(e.instance, this.fleet);
        }
        break;
      case 'tick':
        if (this.fleet.mode === 'autoscaler') {
          const f = this.fleet;
          for (const i of [...this.alive()]) if (i.ready && i.running === 0) this.tryRemoveIdle(i, f);
          this.scaleAutoscaler(f);
        } else if (this.fleet.mode === 'instance') {
          this.applySchedule(this.fleet);
          this.scaleInstances(this.fleet);
        }
        this.dispatch();
        break;
    }
  }

  private alive(): Instance[] {
    return this.live;
  }

  private launch(at: number): Instance {
    const instance: Instance = { id: this.instances.length, launchedAt: at, ready: false, running: 0, used: 0, draining: false };
    this.instances.push(instance);
    this.live.push(instance);
    if (this.fleet.mode !== 'fixed') this.queue.push({ time: at + this.fleet.bootSeconds, priority: 1, kind: 'ready', instance });
    return instance;
  }

  private remove(i: Instance): void {
    i.goneAt = this.now;
    this.live.splice(this.live.indexOf(i), 1);
  }

  private maxUse(): number {
    return this.fleet.mode === 'autoscaler' ? this.fleet.maxUseCount : 0;
  }

  /** Job slots an instance can still take (booting instances count with their full capacity). */
  private freeSlots(i: Instance): number {
    if (i.goneAt !== undefined || i.draining) return 0;
    const byCapacity = this.fleet.capacityPerInstance - i.running;
    const maxUse = this.maxUse();
    return maxUse > 0 ? Math.min(byCapacity, maxUse - i.used) : byCapacity;
  }

  /** FIFO: the oldest queued job goes to the lowest-numbered ready instance with a free slot. */
  private dispatch(): void {
    while (this.pending.length > 0) {
      const target = this.live.find((i) => i.ready && this.freeSlots(i) > 0);
      if (!target) return;
      const index = this.pending.shift()!;
      const job = this.jobs[index];
      this.waits[index] = this.now - job.arrival;
      target.running++;
      target.used++;
      target.idleSince = undefined;
      this.running++;
      this.queue.push({ time: this.now + job.duration, priority: 0, kind: 'finish', instance: target });
    }
  }

  private afterIdle(i: Instance): void {
    if (i.running > 0 || i.goneAt !== undefined) return;
    if (this.fleet.mode === 'instance' && i.draining) {
      this.remove(i);
      return;
    }
    if (this.fleet.mode !== 'autoscaler') return;
    const maxUse = this.fleet.maxUseCount;
    if (maxUse > 0 && i.used >= maxUse) {
      this.remove(i);
      return;
    }
    const since = i.idleSince ?? this.now;
    this.queue.push({ time: since + this.policyAt(this.fleet).idleTimeSeconds, priority: 2, kind: 'idle', instance: i, since });
  }

  private policyAt(fleet: SimAutoscalerFleet): SimPolicy {
    const minute = Math.floor(this.now / 60);
    if (this.policyCache?.minute === minute) return this.policyCache.policy;
    let active = NO_POLICY;
    for (const p of fleet.policies) if (p.periods.some((c) => cronMatches(c, this.clock(p.timeZone)))) active = p;
    this.policyCache = { minute, policy: active };
    return active;
  }

  private clock(timeZone: string): WallClock {
    return zonedClock(this.start + Math.floor(this.now / 60) * 60000, timeZone);
  }

  private totalFree(): number {
    return this.alive().reduce((s, i) => s + this.freeSlots(i), 0);
  }

  /** Idle slots the active policy asks for: idle_count, or more with a scale factor (up to its limit). */
  private idleTarget(f: SimAutoscalerFleet): number {
    const p = this.policyAt(f);
    if (!p.scaleFactor) return p.idleCount;
    return Math.max(p.idleCount, Math.min(Math.ceil(this.running * p.scaleFactor), p.scaleFactorLimit ?? Infinity));
  }

  /** Enough slots for every queued job plus the idle target, within max_instances. */
  private scaleAutoscaler(f: SimAutoscalerFleet): void {
    const needed = this.pending.length + this.idleTarget(f);
    const free = this.totalFree();
    if (free >= needed) return;
    const perInstance = f.maxUseCount > 0 ? Math.min(f.capacityPerInstance, f.maxUseCount) : f.capacityPerInstance;
    const room = f.maxInstances - this.alive().length;
    const count = Math.min(Math.ceil((needed - free) / perInstance), room);
    for (let k = 0; k < count; k++) this.launch(this.now);
  }

  private tryRemoveIdle(i: Instance, f: SimAutoscalerFleet): void {
    if (!i.ready || i.running > 0 || i.idleSince === undefined) return;
    if (f.maxUseCount > 0 && i.used >= f.maxUseCount) {
      this.remove(i);
      return;
    }
    const policy = this.policyAt(f);
    if (this.now - i.idleSince >= policy.idleTimeSeconds && this.totalFree() - this.freeSlots(i) >= this.idleTarget(f)) this.remove(i);
  }

  private applySchedule(f: SimInstanceFleet): void {
    for (const a of f.schedule) {
      if (cronMatches(a.recurrence, this.clock(a.timeZone))) {
        this.min = a.minInstances;
        this.max = a.maxInstances;
      }
    }
  }

  private scaleInstances(f: SimInstanceFleet): void {
    const active = this.live.filter((i) => !i.draining);
    const current = active.length;
    const ready = active.filter((i) => i.ready);
    const slots = ready.length * f.capacityPerInstance;
    const busy = ready.reduce((s, i) => s + i.running, 0);
    // No ready instance, no metric: target tracking cannot see queued jobs.
    const wanted = ready.length > 0 ? Math.ceil((ready.length * ((busy / slots) * 100)) / f.targetPercent) : current;
    const desired = Math.min(this.max, Math.max(this.min, wanted));
    if (current < this.min || current > this.max) {
      this.resize(active, Math.min(this.max, Math.max(this.min, current)));
      this.highMinutes = this.lowMinutes = 0;
      return;
    }
    if (desired > current) {
      this.lowMinutes = 0;
      if (++this.highMinutes >= (f.scaleOutMinutes ?? 3)) {
        this.resize(active, desired);
        this.highMinutes = 0;
      }
    } else if (desired < current) {
      this.highMinutes = 0;
      if (++this.lowMinutes >= (f.scaleInMinutes ?? 15)) {
        this.resize(active, desired);
        this.lowMinutes = 0;
      }
    } else {
      this.highMinutes = this.lowMinutes = 0;
    }
  }

  /** Launches, or drains the instances with the fewest running jobs (newest first on ties). */
  private resize(active: Instance[], target: number): void {
    for (let k = active.length; k < target; k++) this.launch(this.now);
    const leaving = [...active].sort((a, b) => a.running - b.running || b.id - a.id).slice(0, Math.max(0, active.length - target));
    for (const i of leaving) {
      i.draining = true;
      if (i.running === 0) this.remove(i);
    }
  }
}
