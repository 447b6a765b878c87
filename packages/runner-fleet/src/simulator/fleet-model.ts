import { type RunnerFleetConfig, parseCron } from '@gitlab-aws/core';
import { idlePolicies, instanceScaling } from '../fleet-settings';
import type { SimFleet } from './engine';

/** What-if changes to a fleet's settings from the command line. */
export interface FleetOverrides {
  readonly maxInstances?: number;
  readonly capacityPerInstance?: number;
  readonly bootSeconds?: number;
  /** Sets idle_count of every policy. */
  readonly idleCount?: number;
  readonly maxUseCount?: number;
}

/**
 * The simulator's model of a fleet from the environment file: the same idle policies and schedule
 * the stacks deploy. Instance mode tracks its CPU target on busy job slots.
 */
export function simFleetFromConfig(fleet: RunnerFleetConfig, o: FleetOverrides = {}): SimFleet {
  const capacityPerInstance = o.capacityPerInstance ?? fleet.capacityPerInstance;
  const maxInstances = o.maxInstances ?? fleet.maxInstances;
  const bootSeconds = o.bootSeconds ?? fleet.bootSeconds;
  if (fleet.mode === 'autoscaler') {
    return {
      mode: 'autoscaler',
      bootSeconds,
      capacityPerInstance,
      maxInstances,
      maxUseCount: o.maxUseCount ?? fleet.maxUseCount,
      policies: idlePolicies(fleet).map((p) => ({
        periods: p.periods.map(parseCron),
        timeZone: p.timeZone,
        idleCount: o.idleCount ?? p.idleCount,
        idleTimeSeconds: p.idleTimeMinutes * 60,
        scaleFactor: p.scaleFactor,
        scaleFactorLimit: p.scaleFactorLimit,
      })),
    };
  }
  const scaling = instanceScaling(fleet);
  return {
    mode: 'instance',
    bootSeconds,
    capacityPerInstance,
    maxInstances,
    minInstances: Math.min(scaling.minInstances, maxInstances),
    targetPercent: scaling.cpuTargetPercent,
    schedule: (fleet.schedule ?? []).map((a) => ({
      recurrence: parseCron(a.recurrence),
      timeZone: a.timeZone,
      minInstances: a.minInstances,
      maxInstances: Math.min(a.maxInstances ?? maxInstances, maxInstances),
    })),
  };
}
