import { parse } from 'smol-toml';
import { TEST_HUB, testEnvironment } from '@gitlab-aws/core';
import { TOKEN_PLACEHOLDER, renderConfigToml } from './config-toml';

type Toml = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function fleetOf(fleet: Record<string, unknown>) {
  return testEnvironment(TEST_HUB, { runners: { fleets: [{ name: 'mr', tags: ['docker'], ...fleet }] } }).runners!.fleets[0];
}

function render(fleet: Record<string, unknown>): Toml {
  const text = renderConfigToml({
    fleet: fleetOf(fleet),
    name: 'devops-mr',
    gitlabUrl: 'https://gitlab.example.com',
    region: 'eu-west-1',
    cacheBucket: 'devops-runner-cache-111111111111',
    cachePrefix: 'mr',
    workerGroupName: 'devops-runners-mr-workers',
  });
  return parse(text) as Toml;
}

describe('config.toml', () => {
  it('sizes concurrency as max instances x capacity per instance, and points the plugin at the worker ASG', () => {
    const toml = render({ maxInstances: 8, capacityPerInstance: 3, maxUseCount: 5 });
    expect(toml.concurrent).toBe(24);
    const runner = toml.runners[0];
    expect(runner).toMatchObject({ executor: 'docker-autoscaler', limit: 24, url: 'https://gitlab.example.com', token: TOKEN_PLACEHOLDER });
    expect(runner.autoscaler).toMatchObject({
      plugin: 'aws:1',
      capacity_per_instance: 3,
      max_use_count: 5,
      max_instances: 8,
      plugin_config: { name: 'devops-runners-mr-workers', region: 'eu-west-1' },
      connector_config: { username: 'ec2-user', use_external_addr: false },
    });
  });

  it('writes one policy per idle policy, in order, so the last matching one wins', () => {
    const toml = render({
      idlePolicies: [
        { periods: ['* * * * *'], idleCount: 0, idleTimeMinutes: 10 },
        { periods: ['* 7-18 * * mon-fri'], timeZone: 'Europe/Berlin', idleCount: 4, idleTimeMinutes: 45 },
      ],
    });
    expect(toml.runners[0].autoscaler.policy).toEqual([
      { periods: ['* * * * *'], timezone: 'UTC', idle_count: 0, idle_time: '10m0s' },
      { periods: ['* 7-18 * * mon-fri'], timezone: 'Europe/Berlin', idle_count: 4, idle_time: '45m0s' },
    ]);
  });

  it('writes a scale factor as a TOML float, and its limit only with it', () => {
    const text = (policy: Record<string, unknown>) =>
      renderConfigToml({ fleet: fleetOf({ idlePolicies: [{ periods: ['* * * * *'], ...policy }] }), name: 'n', gitlabUrl: 'https://g.example.com', region: 'eu-west-1', cacheBucket: 'b', cachePrefix: 'mr', workerGroupName: 'w' });
    expect(text({ scaleFactor: 1, scaleFactorLimit: 6 })).toMatch(/^ {6}scale_factor = 1\.0\n {6}scale_factor_limit = 6$/m);
    expect((parse(text({ scaleFactor: 0.25 })) as Toml).runners[0].autoscaler.policy[0]).toMatchObject({ scale_factor: 0.25 });
    expect(text({ scaleFactor: 0.25 })).not.toContain('scale_factor_limit');
    expect(text({})).not.toContain('scale_factor');
  });

  it('uses the S3 cache through the instance role, in the fleet folder', () => {
    expect(render({}).runners[0].cache).toEqual({
      Type: 's3',
      Path: 'mr',
      Shared: true,
      s3: { ServerAddress: 's3.eu-west-1.amazonaws.com', BucketName: 'devops-runner-cache-111111111111', BucketLocation: 'eu-west-1', AuthenticationType: 'iam' },
    });
  });

  it('keeps docker unprivileged unless asked, and leaves the drain to systemd', () => {
    expect(render({}).runners[0].docker.privileged).toBe(false);
    expect(render({ privileged: true }).runners[0].docker.privileged).toBe(true);
    // shutdown_timeout bounds the forceful stop and the providers' shutdown, not the drain (systemd's stop timeout does).
    expect(render({ jobTimeoutMinutes: 90, drainMarginMinutes: 10 }).shutdown_timeout).toBe(300);
    expect(render({ jobTimeoutMinutes: 10, drainMarginMinutes: 1 }).shutdown_timeout).toBe(300);
  });

  it('gives a worker no job before cloud-init has finished and Docker answers', () => {
    expect(render({}).runners[0].autoscaler.instance_ready_command).toBe('cloud-init status --wait >/dev/null && docker info >/dev/null');
  });

  it('runs the docker executor with its own capacity in instance mode', () => {
    const toml = render({ mode: 'instance', capacityPerInstance: 4, maxInstances: 6 });
    expect(toml.concurrent).toBe(4);
    expect(toml.runners[0]).toMatchObject({ executor: 'docker', limit: 4 });
    expect(toml.runners[0].autoscaler).toBeUndefined();
  });

  it('escapes values that would break TOML', () => {
    const text = renderConfigToml({
      fleet: fleetOf({ defaultImage: 'registry.example.com/img:1 "quoted" \\ back' }),
      name: 'n',
      gitlabUrl: 'https://gitlab.example.com',
      region: 'eu-west-1',
      cacheBucket: 'b',
      cachePrefix: 'mr',
      workerGroupName: 'w',
    });
    expect((parse(text) as Toml).runners[0].docker.image).toBe('registry.example.com/img:1 "quoted" \\ back');
  });
});
