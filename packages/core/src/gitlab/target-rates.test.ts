import { GITLAB_SIZES } from '../environment/sections/gitlab';
import { GITLAB_TARGET_RATES, targetRates } from './target-rates';

describe('target rates per reference-architecture size', () => {
  it('gives GitLab published rates: 1K 20/2/2/1, 2K 40/4/4/1, 3K 60/6/6/1', () => {
    expect(targetRates('1k')).toEqual({ api: 20, web: 2, gitPull: 2, gitPush: 1 });
    expect(targetRates('2k')).toEqual({ api: 40, web: 4, gitPull: 4, gitPush: 1 });
    expect(targetRates('3k')).toEqual({ api: 60, web: 6, gitPull: 6, gitPush: 1 });
  });

  it('gives the larger sizes GitLab published rates: 5K 100/10/10/2 up to 50K 1000/100/100/20', () => {
    expect(targetRates('5k')).toEqual({ api: 100, web: 10, gitPull: 10, gitPush: 2 });
    expect(targetRates('10k')).toEqual({ api: 200, web: 20, gitPull: 20, gitPush: 4 });
    expect(targetRates('25k')).toEqual({ api: 500, web: 50, gitPull: 50, gitPush: 10 });
    expect(targetRates('50k')).toEqual({ api: 1000, web: 100, gitPull: 100, gitPush: 20 });
  });

  it('holds a POC to the 2K targets', () => {
    expect(targetRates('poc')).toEqual(targetRates('2k'));
  });

  it('covers every size the gitlab section accepts, and nothing else', () => {
    expect(Object.keys(GITLAB_TARGET_RATES).sort()).toEqual([...GITLAB_SIZES].sort());
  });

  it('rejects a size read from an unvalidated file with the accepted values', () => {
    expect(() => targetRates('100k' as never)).toThrow('unknown GitLab size "100k": expected one of 1k, poc, 2k, 3k, 5k, 10k, 25k, 50k');
  });
});
