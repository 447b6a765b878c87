import { checkEnvironmentText } from '../loader';
import { formatProblem } from '../problems';
import { TEST_SPOKE } from '../../testing/environments';
import { BUILT_SIZES, GITLAB_SIZES, hasRedisCache, isHaSize, UNBUILT_SIZES } from './gitlab';

function check(gitlab: Record<string, unknown>) {
  return checkEnvironmentText('environments/dev.json', JSON.stringify({ ...TEST_SPOKE, gitlab: { externalUrl: 'https://gitlab.example.com', ...gitlab } }));
}
const problems = (gitlab: Record<string, unknown>) => check(gitlab).problems.map(formatProblem);

describe('gitlab.size', () => {
  it.each(['poc', '2k', '3k', '5k', '10k', '25k', '50k'])('accepts %s', (size) => {
    expect(problems({ size })).toEqual([]);
    expect(check({ size }).config?.gitlab?.size).toBe(size);
  });

  it('refuses 1k as not built yet, naming the missing single-node role and the alternative', () => {
    expect(problems({ size: '1k' })).toEqual([expect.stringMatching(/gitlab\.size: "1k" is not built yet: .*all-in-one node.*use "poc"/)]);
  });

  it('lists the accepted sizes for an unknown one', () => {
    expect(problems({ size: '7k' })).toEqual([expect.stringContaining('gitlab.size: expected "poc", "2k", "3k", "5k", "10k", "25k", "50k"')]);
  });

  it('builds 3K and up with the HA layout, POC and 2K without', () => {
    expect(GITLAB_SIZES.filter(isHaSize)).toEqual(['3k', '5k', '10k', '25k', '50k']);
    expect(BUILT_SIZES).toEqual(GITLAB_SIZES);
    expect(Object.keys(UNBUILT_SIZES)).toEqual(['1k']);
  });

  it('splits Redis in cache and persistent clusters from 10K up only', () => {
    expect(GITLAB_SIZES.filter(hasRedisCache)).toEqual(['10k', '25k', '50k']);
  });
});
