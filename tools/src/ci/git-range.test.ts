import { nxArgs, nxRange } from './git-range';

const HEAD = 'a'.repeat(40);
const BASE = 'b'.repeat(40);
const ZERO = '0'.repeat(40);

describe('nx range from GitLab variables', () => {
  it('compares a merge request with its diff base', () => {
    const range = nxRange({ CI_PIPELINE_SOURCE: 'merge_request_event', CI_COMMIT_SHA: HEAD, CI_MERGE_REQUEST_DIFF_BASE_SHA: BASE, CI_COMMIT_BEFORE_SHA: ZERO });
    expect(range).toMatchObject({ base: BASE, head: HEAD });
    expect(nxArgs(range, ['lint', 'test'])).toEqual(['affected', '-t', 'lint', 'test', `--base=${BASE}`, `--head=${HEAD}`]);
  });

  it('falls back to the target branch head when a merge request has no diff base', () => {
    expect(nxRange({ CI_PIPELINE_SOURCE: 'merge_request_event', CI_COMMIT_SHA: HEAD, CI_MERGE_REQUEST_TARGET_BRANCH_SHA: BASE })).toMatchObject({ base: BASE, head: HEAD });
  });

  it('compares a push with the commit before it', () => {
    expect(nxRange({ CI_PIPELINE_SOURCE: 'push', CI_COMMIT_SHA: HEAD, CI_COMMIT_BEFORE_SHA: BASE })).toMatchObject({ base: BASE, head: HEAD });
  });

  it('counts every project when the before-SHA is all zeros (new branch, manual or scheduled pipeline)', () => {
    for (const source of ['push', 'web', 'schedule']) {
      const range = nxRange({ CI_PIPELINE_SOURCE: source, CI_COMMIT_SHA: HEAD, CI_COMMIT_BEFORE_SHA: ZERO });
      expect(range).toMatchObject({ all: true });
      expect(nxArgs(range, ['deploy'])).toEqual(['run-many', '-t', 'deploy']);
    }
  });

  it('counts every project outside GitLab', () => {
    expect(nxRange({})).toMatchObject({ all: true });
  });
});
