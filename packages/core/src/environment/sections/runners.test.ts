import { checkEnvironmentText } from '../loader';
import { formatProblem } from '../problems';
import { TEST_HUB } from '../../testing/environments';
import { instanceArchitecture } from './runners';

function check(runners: unknown) {
  return checkEnvironmentText('environments/devops.json', JSON.stringify({ ...TEST_HUB, runners }));
}
const problems = (runners: unknown) => check(runners).problems.map(formatProblem);

describe('runners section', () => {
  it('applies documented defaults to a minimal fleet', () => {
    const config = check({ fleets: [{ name: 'mr', tags: ['docker'] }] }).config;
    expect(config?.runners).toMatchObject({
      runnerVersion: '19.3.0',
      fleetingPlugin: 'aws:1',
      cacheExpiryDays: 14,
      logRetentionDays: 30,
      fleets: [
        {
          name: 'mr',
          mode: 'autoscaler',
          privileged: false,
          protectedOnly: false,
          capacityPerInstance: 1,
          maxInstances: 10,
          onDemandBase: 0,
          jobTimeoutMinutes: 60,
          scope: { type: 'instance' },
          instanceTypes: ['m7i.large', 'm6i.large', 'm5.large'],
        },
      ],
    });
  });

  it('rejects duplicate fleet names, naming the second one', () => {
    expect(problems({ fleets: [{ name: 'mr', tags: ['a'] }, { name: 'mr', tags: ['b'] }] })).toEqual([
      expect.stringContaining('runners.fleets[1].name: duplicate fleet name (fleets[0] has it too): give each fleet its own name, got "mr"'),
    ]);
  });

  it('rejects bad cron periods and unknown time zones with the reason', () => {
    const out = problems({ fleets: [{ name: 'mr', tags: ['a'], idlePolicies: [{ periods: ['* 25 * * *'], timeZone: 'Mars/Base' }] }] });
    expect(out).toEqual(
      expect.arrayContaining([
        expect.stringContaining('runners.fleets[0].idlePolicies[0].periods[0]: expected a five-field cron expression such as "* 7-19 * * mon-fri" (hour: 25 is outside 0-23), got "* 25 * * *"'),
        expect.stringContaining('runners.fleets[0].idlePolicies[0].timeZone: expected an IANA time zone name such as "UTC" or "Europe/Berlin", got "Mars/Base"'),
      ]),
    );
  });

  it('keeps each mode to its own scaling settings', () => {
    expect(problems({ fleets: [{ name: 'aa', tags: ['x'], mode: 'instance', idlePolicies: [{ periods: ['* * * * *'] }] }] })).toEqual([
      expect.stringContaining('runners.fleets[0].idlePolicies: applies to mode "autoscaler"'),
    ]);
    expect(problems({ fleets: [{ name: 'aa', tags: ['x'], schedule: [] }] })).toEqual([expect.stringContaining('runners.fleets[0].schedule: applies to mode "instance"')]);
  });

  it('checks sizes against each other', () => {
    const out = problems({
      fleets: [
        { name: 'aa', tags: ['x'], maxInstances: 2, onDemandBase: 3, idlePolicies: [{ periods: ['* * * * *'], idleCount: 5 }] },
        { name: 'bb', tags: ['x'], mode: 'instance', maxInstances: 4, schedule: [{ name: 'day', recurrence: '0 7 * * mon-fri', minInstances: 5 }] },
      ],
    });
    expect(out).toEqual(
      expect.arrayContaining([
        expect.stringContaining('runners.fleets[0].onDemandBase: expected at most maxInstances (2), got 3'),
        expect.stringContaining('runners.fleets[0].idlePolicies[0].idleCount: expected at most the job slots the fleet holds (maxInstances x capacityPerInstance = 2), got 5'),
        expect.stringContaining('runners.fleets[1].schedule[0].minInstances: expected at most maxInstances (4), got 5'),
      ]),
    );
  });

  it('requires tags or runUntagged, one architecture, and an ID for group runners', () => {
    const out = problems({ fleets: [{ name: 'aa', instanceTypes: ['m7g.large', 'm7i.large'], scope: { type: 'group' } }] });
    expect(out).toEqual(
      expect.arrayContaining([
        expect.stringContaining('runners.fleets[0].tags: a runner without tags only picks up untagged jobs'),
        expect.stringContaining('runners.fleets[0].instanceTypes: mixes arm64 (Graviton) and x86_64 types'),
        expect.stringContaining('runners.fleets[0].scope.id: a group runner needs the numeric group ID'),
      ]),
    );
  });

  it('tells Graviton types apart', () => {
    expect(['m7g.large', 'c6gn.xlarge', 't4g.small', 'r8gd.large'].map(instanceArchitecture)).toEqual(['arm64', 'arm64', 'arm64', 'arm64']);
    expect(['m7i.large', 'c5n.xlarge', 'g5.xlarge', 'm5.large'].map(instanceArchitecture)).toEqual(['x86_64', 'x86_64', 'x86_64', 'x86_64']);
  });

  it('rejects unknown keys and a retention CloudWatch does not offer', () => {
    const out = problems({ logRetentionDays: 10, fleets: [{ name: 'aa', tags: ['x'], spot: true }] });
    expect(out).toEqual(
      expect.arrayContaining([expect.stringContaining('runners.logRetentionDays: expected one of CloudWatch'), expect.stringContaining('runners.fleets[0].spot')]),
    );
  });

  it('takes a fleeting plugin only with a version constraint, so no new major arrives unannounced', () => {
    const fleets = [{ name: 'aa', tags: ['x'] }];
    for (const ok of ['aws:1', 'aws:1.1', 'aws:1.1.0', 'registry.gitlab.com/gitlab-org/fleeting/plugins/aws:1']) {
      expect([ok, problems({ fleetingPlugin: ok, fleets })]).toEqual([ok, []]);
    }
    for (const bad of ['aws', 'aws:latest', 'aws:1.x', 'aws:', 'aws:^1']) {
      expect([bad, problems({ fleetingPlugin: bad, fleets })]).toEqual([bad, [expect.stringContaining('runners.fleetingPlugin: expected a plugin reference pinned to a version, such as "aws:1"')]]);
    }
  });

  it('takes a pre-built image as an AMI ID or an SSM parameter, nothing else', () => {
    const fleet = (imageId: string) => ({ fleets: [{ name: 'aa', tags: ['x'], imageId }] });
    expect(problems(fleet('ami-0123456789abcdef0'))).toEqual([]);
    expect(problems(fleet('resolve:ssm:/images/runner-worker'))).toEqual([]);
    expect(problems(fleet('resolve:ssm:/images/runner-worker:3'))).toEqual([]);
    for (const bad of ['ami-XYZ', 'my-image', 'ssm:/images/x', 'resolve:ssm:images']) {
      expect([bad, problems(fleet(bad))]).toEqual([bad, [expect.stringContaining('runners.fleets[0].imageId: expected an AMI ID')]]);
    }
  });

  it('keeps deploy jobs on the protected fleet: no untagged jobs there, and none of its tags on an unprotected fleet', () => {
    expect(problems({ fleets: [{ name: 'deploy', tags: ['deploy'], protectedOnly: true, runUntagged: true }] })).toEqual([
      expect.stringContaining('runners.fleets[0].runUntagged: a protected fleet must not pick up untagged jobs'),
    ]);
    expect(
      problems({
        fleets: [
          { name: 'mr', tags: ['docker', 'deploy'], runUntagged: true },
          { name: 'deploy', tags: ['deploy', 'aws'], protectedOnly: true },
          { name: 'other', tags: ['aws'], protectedOnly: true },
        ],
      }),
    ).toEqual([expect.stringContaining('runners.fleets[0].tags[1]: tag of the protected fleet "deploy": a job with it could run here, on an unprotected fleet; remove it, or set "protectedOnly": true, got "deploy"')]);
    expect(problems({ fleets: [{ name: 'mr', tags: ['docker'], runUntagged: true }, { name: 'deploy', tags: ['deploy'], protectedOnly: true }] })).toEqual([]);
  });

  it('takes a scale factor with a limit between idleCount and the fleet\'s job slots', () => {
    const fleet = (policy: Record<string, unknown>) => ({ fleets: [{ name: 'aa', tags: ['x'], maxInstances: 4, capacityPerInstance: 2, idlePolicies: [{ periods: ['* * * * *'], ...policy }] }] });
    expect(check(fleet({ idleCount: 1, scaleFactor: 0.5, scaleFactorLimit: 8 })).config?.runners?.fleets[0].idlePolicies).toEqual([
      { periods: ['* * * * *'], timeZone: 'UTC', idleCount: 1, idleTimeMinutes: 30, scaleFactor: 0.5, scaleFactorLimit: 8 },
    ]);
    expect(problems(fleet({ scaleFactorLimit: 2 }))).toEqual([expect.stringContaining('idlePolicies[0].scaleFactorLimit: limits the scale factor, which is 0 here')]);
    expect(problems(fleet({ idleCount: 3, scaleFactor: 1, scaleFactorLimit: 2 }))).toEqual([expect.stringContaining('idlePolicies[0].scaleFactorLimit: expected at least idleCount (3)')]);
    expect(problems(fleet({ scaleFactor: 1, scaleFactorLimit: 9 }))).toEqual([expect.stringContaining('idlePolicies[0].scaleFactorLimit: expected at most the job slots the fleet holds (8)')]);
    expect(problems(fleet({ scaleFactor: 11 }))).toEqual([expect.stringContaining('idlePolicies[0].scaleFactor: expected 0-10')]);
  });
});

