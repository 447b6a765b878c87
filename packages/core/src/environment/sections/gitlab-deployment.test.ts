import { checkEnvironmentText } from '../loader';
import { formatProblem } from '../problems';
import { TEST_SPOKE } from '../../testing/environments';

function check(gitlab: Record<string, unknown>) {
  return checkEnvironmentText('environments/dev.json', JSON.stringify({ ...TEST_SPOKE, gitlab: { externalUrl: 'https://gitlab.example.com', ...gitlab } }));
}
const problems = (gitlab: Record<string, unknown>) => check(gitlab).problems.map(formatProblem);

describe('gitlab.deployment', () => {
  it('defaults to the Linux package on EC2, with no Kubernetes settings', () => {
    const config = check({ size: '3k' }).config;
    expect(config?.gitlab?.deployment).toBe('linux-package');
    expect(config?.gitlab?.kubernetes).toBeUndefined();
  });

  it.each(['2k', '3k', '5k'])('accepts Cloud Native Hybrid for %s, with a private cluster and an autoscaling factor of 2 by default', (size) => {
    const config = check({ size, deployment: 'cloud-native-hybrid', kubernetes: {} }).config;
    expect(config?.gitlab).toMatchObject({ deployment: 'cloud-native-hybrid', kubernetes: { maxScaleFactor: 2 } });
    expect(config?.gitlab?.kubernetes?.publicAccessCidrs).toBeUndefined();
    // No load-test pool unless asked for; asking with an empty object still leaves it off.
    expect(config?.gitlab?.kubernetes?.loadTestPool).toBeUndefined();
    expect(check({ size, deployment: 'cloud-native-hybrid', kubernetes: { loadTestPool: {} } }).config?.gitlab?.kubernetes?.loadTestPool).toEqual({ enabled: false });
  });

  it('refuses Cloud Native Hybrid for a size without a hybrid table, saying which sizes have one', () => {
    expect(problems({ size: 'poc', deployment: 'cloud-native-hybrid' })).toEqual([
      expect.stringContaining('gitlab.deployment: size "poc" has no Cloud Native Hybrid table (GitLab publishes one for 2k, 3k, 5k, 10k, 25k, 50k)'),
    ]);
  });

  it('refuses Kubernetes settings on a Linux-package deployment', () => {
    expect(problems({ size: '2k', kubernetes: { maxScaleFactor: 3 } })).toEqual([expect.stringContaining('gitlab.kubernetes: is used only by deployment "cloud-native-hybrid"')]);
  });

  it('refuses an API endpoint open to the internet, and accepts a listed network', () => {
    expect(problems({ size: '3k', deployment: 'cloud-native-hybrid', kubernetes: { publicAccessCidrs: ['203.0.113.0/24', '0.0.0.0/0'] } })).toEqual([
      expect.stringContaining('gitlab.kubernetes.publicAccessCidrs[1]: opens the Kubernetes API to the internet'),
    ]);
    expect(problems({ size: '3k', deployment: 'cloud-native-hybrid', kubernetes: { publicAccessCidrs: ['203.0.113.0/24'] } })).toEqual([]);
  });

  it.each([
    [{ version: '1.35' }, undefined],
    [{ version: '135' }, 'gitlab.kubernetes.version'],
    [{ version: '1.3' }, 'gitlab.kubernetes.version'],
    [{ maxScaleFactor: 1 }, undefined],
    [{ maxScaleFactor: 10 }, undefined],
    [{ maxScaleFactor: 0 }, 'gitlab.kubernetes.maxScaleFactor'],
    [{ maxScaleFactor: 11 }, 'gitlab.kubernetes.maxScaleFactor'],
    [{ maxScaleFactor: 1.5 }, 'gitlab.kubernetes.maxScaleFactor'],
    [{ nodes: 3 }, 'gitlab.kubernetes.nodes'],
    [{ loadTestPool: { enabled: true } }, undefined],
    [{ loadTestPool: { enabled: true, instanceType: 'c6i.2xlarge', maxNodes: 50 } }, undefined],
    [{ loadTestPool: { enabled: true, maxNodes: 0 } }, 'gitlab.kubernetes.loadTestPool.maxNodes'],
    [{ loadTestPool: { enabled: true, maxNodes: 51 } }, 'gitlab.kubernetes.loadTestPool.maxNodes'],
    [{ loadTestPool: { enabled: true, instanceType: 'big' } }, 'gitlab.kubernetes.loadTestPool.instanceType'],
    [{ loadTestPool: { size: 2 } }, 'gitlab.kubernetes.loadTestPool.size'],
  ])('kubernetes %j: problem at %s', (kubernetes, field) => {
    const found = problems({ size: '3k', deployment: 'cloud-native-hybrid', kubernetes });
    if (field === undefined) expect(found).toEqual([]);
    else expect(found).toEqual([expect.stringContaining(`${field}:`)]);
  });

  it('refuses an unknown deployment, listing both', () => {
    expect(problems({ size: '3k', deployment: 'helm' })).toEqual([expect.stringContaining('gitlab.deployment: expected "linux-package" or "cloud-native-hybrid"')]);
  });
});
