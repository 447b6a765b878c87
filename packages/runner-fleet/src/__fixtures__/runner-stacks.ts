import { Testing } from 'cdktf';
import { TEST_HUB, testEnvironment } from '@gitlab-aws/core';
import { RunnerFleetStack } from '../runner-fleet-stack';
import { RunnerTokenStack } from '../runner-token-stack';

/* Test helpers of this package (not exported from index.ts). */

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const MR_FLEET = {
  name: 'mr',
  tags: ['docker'],
  maxInstances: 12,
  capacityPerInstance: 2,
  onDemandBase: 1,
  instanceTypes: ['m7i.xlarge', 'm6i.xlarge'],
  idlePolicies: [{ periods: ['* 8-18 * * mon-fri'], timeZone: 'Europe/Dublin', idleCount: 4 }],
};

export const DEPLOY_FLEET = {
  name: 'deploy',
  mode: 'instance',
  tags: ['deploy'],
  protectedOnly: true,
  maxInstances: 4,
  jobTimeoutMinutes: 90,
  drainMarginMinutes: 10,
  scaling: { minInstances: 1, cpuTargetPercent: 55, memoryTargetPercent: 75 },
  schedule: [
    { name: 'night', recurrence: '0 20 * * *', timeZone: 'Europe/Dublin', minInstances: 0, maxInstances: 0 },
    { name: 'morning', recurrence: '0 7 * * mon-fri', timeZone: 'Europe/Dublin', minInstances: 1 },
  ],
};

export function runnerEnvironment(fleets: unknown[] = [MR_FLEET, DEPLOY_FLEET], extra: Record<string, unknown> = {}) {
  return testEnvironment(TEST_HUB, {
    network: { vpcCidr: '10.10.0.0/16', natGateways: 'single' },
    gitlab: { size: 'poc', externalUrl: 'https://gitlab.example.com' },
    runners: { alarmEmails: ['oncall@example.com'], fleets, ...extra },
  });
}

/** Synthesized JSON of the AWS stack and of the GitLab-side token stack. */
export function synthRunnerStacks(fleets?: unknown[], extra?: Record<string, unknown>): { aws: Json; tokens: Json } {
  const environment = runnerEnvironment(fleets, extra);
  const app = Testing.app();
  const aws = JSON.parse(Testing.synth(new RunnerFleetStack(app, { environment })));
  const tokens = JSON.parse(Testing.synth(new RunnerTokenStack(app, { environment })));
  return { aws, tokens };
}

/** Resources of one type, by their synthesized logical name. */
export function resources(stack: Json, type: string): Json[] {
  return Object.values(stack.resource?.[type] ?? {});
}

/** The one resource of `type` whose `field` equals `value`. */
export function resourceWhere(stack: Json, type: string, field: string, value: unknown): Json {
  const found = resources(stack, type).filter((r) => r[field] === value);
  if (found.length !== 1) throw new Error(`expected one ${type} with ${field} = ${String(value)}, found ${found.length}`);
  return found[0];
}

export function decodeUserData(template: Json): string {
  return Buffer.from(template.user_data, 'base64').toString('utf8');
}

/** Every string anywhere in a JSON value. */
export function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(allStrings);
  return [];
}
