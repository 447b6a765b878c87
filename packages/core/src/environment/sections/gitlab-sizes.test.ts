import { checkEnvironmentText } from '../loader';
import { formatProblem } from '../problems';
import { TEST_SPOKE } from '../../testing/environments';
import { BUILT_SIZES, GITLAB_SIZES, hasRedisCache, isHaSize, isSingleNodeSize, UNBUILT_SIZES } from './gitlab';

function check(gitlab: Record<string, unknown>) {
  return checkEnvironmentText('environments/dev.json', JSON.stringify({ ...TEST_SPOKE, gitlab: { externalUrl: 'https://gitlab.example.com', ...gitlab } }));
}
const problems = (gitlab: Record<string, unknown>) => check(gitlab).problems.map(formatProblem);

describe('gitlab.size', () => {
  it.each(['1k', 'poc', '2k', '3k', '5k', '10k', '25k', '50k'])('accepts %s', (size) => {
    expect(problems({ size })).toEqual([]);
    expect(check({ size }).config?.gitlab?.size).toBe(size);
  });

  it('builds 1k as one all-in-one node: self-managed components only, no Cloud Native Hybrid', () => {
    expect(GITLAB_SIZES.filter(isSingleNodeSize)).toEqual(['1k']);
    expect(problems({ size: '1k', components: { database: 'managed' } })).toEqual([expect.stringMatching(/gitlab\.components\.database: is "managed", but size "1k" is one all-in-one node .*use size "2k"/)]);
    expect(problems({ size: '1k', components: { redis: 'managed' } })).toEqual([expect.stringMatching(/gitlab\.components\.redis: is "managed".*all-in-one/)]);
    expect(problems({ size: '2k', components: { database: 'managed', redis: 'managed' } })).toEqual([]);
    expect(problems({ size: '1k', deployment: 'cloud-native-hybrid', domain: { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012' } })).toEqual([
      expect.stringMatching(/gitlab\.deployment: size "1k" has no Cloud Native Hybrid table/),
    ]);
  });

  it('lists the accepted sizes for an unknown one', () => {
    expect(problems({ size: '7k' })).toEqual([expect.stringContaining('gitlab.size: expected "1k", "poc", "2k", "3k", "5k", "10k", "25k", "50k"')]);
  });

  it('builds 3K and up with the HA layout, POC and 2K without', () => {
    expect(GITLAB_SIZES.filter(isHaSize)).toEqual(['3k', '5k', '10k', '25k', '50k']);
    expect(BUILT_SIZES).toEqual(GITLAB_SIZES);
    expect(Object.keys(UNBUILT_SIZES)).toEqual([]);
  });

  it('splits Redis in cache and persistent clusters from 10K up only', () => {
    expect(GITLAB_SIZES.filter(hasRedisCache)).toEqual(['10k', '25k', '50k']);
  });
});
