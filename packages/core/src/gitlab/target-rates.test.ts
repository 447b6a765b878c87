import { GITLAB_SIZES } from '../environment/sections/gitlab';
import { GITLAB_TARGET_RATES, targetRates } from './target-rates';

describe('target rates per reference-architecture size', () => {
  it('gives GitLab published rates: 2K 40/4/4/1, 3K 60/6/6/1', () => {
    expect(targetRates('2k')).toEqual({ api: 40, web: 4, gitPull: 4, gitPush: 1 });
    expect(targetRates('3k')).toEqual({ api: 60, web: 6, gitPull: 6, gitPush: 1 });
  });

  it('holds a POC to the 2K targets', () => {
    expect(targetRates('poc')).toEqual(targetRates('2k'));
  });

  it('covers every size the gitlab section accepts, and nothing else', () => {
    expect(Object.keys(GITLAB_TARGET_RATES).sort()).toEqual([...GITLAB_SIZES].sort());
  });

  it('rejects a size read from an unvalidated file with the accepted values', () => {
    expect(() => targetRates('5k' as never)).toThrow('unknown GitLab size "5k": expected one of poc, 2k, 3k');
  });
});
