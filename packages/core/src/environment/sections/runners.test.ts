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
      runnerVersion: '18.5.0',
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
});
