import { join } from 'node:path';
import { runnerEnvironment, MR_FLEET, DEPLOY_FLEET } from '../__fixtures__/runner-stacks';
import { runSimulatorCli } from './cli';
import { simFleetFromConfig } from './fleet-model';

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
});
