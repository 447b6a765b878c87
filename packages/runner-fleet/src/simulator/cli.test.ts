import { join } from 'node:path';
import { runnerEnvironment, MR_FLEET, DEPLOY_FLEET } from '../__fixtures__/runner-stacks';
import { runSimulatorCli } from './cli';
import { loadEnvironmentFile } from '@gitlab-aws/core';
import { simulate } from './engine';
import { simFleetFromConfig } from './fleet-model';
import { generateWorkload } from './workload';

const devops = join(__dirname, '..', '..', '..', '..', 'environments', 'devops.json');

function run(args: string[]): string {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
    chunks.push(String(c));
    return true;
  });
  try {
    expect(runSimulatorCli(args)).toBe(0);
  } finally {
    spy.mockRestore();
  }
  return chunks.join('');
}

describe('fleet model from the environment file', () => {
  it('carries the autoscaler policies and the instance schedule the stacks deploy', () => {
    const env = runnerEnvironment([MR_FLEET, DEPLOY_FLEET]);
    const mr = simFleetFromConfig(env.runners!.fleets[0], { idleCount: 1 });
    expect(mr).toMatchObject({ mode: 'autoscaler', capacityPerInstance: 2, maxInstances: 12, maxUseCount: 1, bootSeconds: 90 });
    expect(mr.mode === 'autoscaler' && mr.policies.map((p) => [p.timeZone, p.idleCount, p.idleTimeSeconds])).toEqual([['Europe/Dublin', 1, 1800]]);
    const deploy = simFleetFromConfig(env.runners!.fleets[1]);
    expect(deploy).toMatchObject({ mode: 'instance', minInstances: 1, targetPercent: 55, maxInstances: 4 });
    expect(deploy.mode === 'instance' && deploy.schedule.map((a) => [a.minInstances, a.maxInstances])).toEqual([
      [0, 0],
      [1, 4],
    ]);
  });
});

describe('simulator CLI', () => {
  it('prints the fleet beside the always-on fleet, the same for the same seed', () => {
    const args = ['--env', devops, '--fleet', 'mr', '--days', '1', '--seed', '9', '--json'];
    const out = JSON.parse(run(args));
    expect(out).toMatchObject({ environment: 'devops', fleet: 'mr', mode: 'autoscaler' });
    expect(out.jobs).toBeGreaterThan(100);
    expect(out.alwaysOn.instanceHours).toBeCloseTo(out.fleetResult.peakInstances * (out.fleetResult.endSeconds / 3600), 6);
    expect(out.fleetResult.instanceHours).toBeLessThan(out.alwaysOn.instanceHours);
    expect(out.alwaysOn.waitMax).toBeLessThanOrEqual(out.fleetResult.waitMax);
    expect(run(args)).toBe(JSON.stringify(out, null, 2) + '\n');
    const table = run(['--env', devops, '--fleet', 'mr', '--days', '1', '--seed', '9']);
    expect(table).toMatch(/wait p50 +wait p95 +wait max +unserved +instance-hours +peak/);
    expect(table).toMatch(/always-on, \d+ instances/);
  });

  it('rejects an unknown fleet with the names it knows', () => {
    expect(() => runSimulatorCli(['--env', devops, '--fleet', 'nope'])).toThrow('--fleet: no fleet "nope" in devops; expected one of deploy, mr');
  });

  it('searches the idle policies for the cheapest setting that meets a p95 wait target, keeping the periods', () => {
    const out = JSON.parse(run(['--env', devops, '--fleet', 'mr', '--days', '1', '--seed', '3', '--peak-jobs-per-hour', '8', '--target-p95', '45', '--json']));
    expect(out.search).toMatchObject({ targetP95Seconds: 45 });
    expect(out.search.fleetResult.waitP95).toBeLessThanOrEqual(45);
    expect(out.search.fleetResult.unserved).toBe(0);
    expect(out.search.idlePolicies.map((p: { periods: string[]; timeZone: string }) => [p.periods, p.timeZone])).toEqual([
      [['* * * * *'], 'Europe/Dublin'],
      [['* 8-18 * * mon-fri'], 'Europe/Dublin'],
    ]);
    const table = run(['--env', devops, '--fleet', 'mr', '--days', '1', '--seed', '3', '--peak-jobs-per-hour', '8', '--target-p95', '45']);
    expect(table).toMatch(/cheapest idle policies found with p95 queue wait <= 45 s \(\d+ simulations\):/);
    expect(table).toContain('"idlePolicies": [{"periods":["* * * * *"],"timeZone":"Europe/Dublin"');
  });

  it('says when no setting meets the target, and refuses a search on an instance-mode fleet', () => {
    expect(run(['--env', devops, '--fleet', 'mr', '--days', '1', '--boot-seconds', '90', '--max-instances', '1', '--target-p95', '0'])).toContain('no idle policy in the search space keeps p95 queue wait at or under 0 s');
    expect(() => runSimulatorCli(['--env', devops, '--fleet', 'deploy', '--target-p95', '60'])).toThrow('--target-p95: fleet "deploy" is in instance mode');
    expect(() => runSimulatorCli(['--env', devops, '--fleet', 'mr', '--target-p95', 'soon'])).toThrow('--target-p95: expected a non-negative number, got "soon"');
  });
});

describe('the example fleet', () => {
  it('meets p95 queue wait <= 60 s at no more than half the instance-hours of always-on, on the 7-day trace', () => {
    const fleet = loadEnvironmentFile(devops).runners!.fleets.find((f) => f.name === 'mr')!;
    const jobs = generateWorkload({ seed: 42, days: 7, peakJobsPerHour: 30, meanDurationMinutes: 8 });
    const r = simulate(jobs, simFleetFromConfig(fleet), { horizonSeconds: 7 * 86400 });
    const alwaysOn = simulate(jobs, { mode: 'fixed', capacityPerInstance: fleet.capacityPerInstance, instances: r.peakInstances }, { horizonSeconds: r.endSeconds });
    expect(r.unserved).toBe(0);
    expect(r.waitP95).toBeLessThanOrEqual(60);
    expect(r.instanceHours / alwaysOn.instanceHours).toBeLessThanOrEqual(0.5);
  });
});

