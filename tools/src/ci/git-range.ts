/** What `nx affected` should compare, from GitLab's predefined CI/CD variables. */
export type NxRange = { readonly base: string; readonly head: string; readonly reason: string } | { readonly all: true; readonly reason: string };

const ZERO_SHA = /^0{40}$/;
const usable = (sha: string | undefined): sha is string => !!sha && /^[0-9a-f]{7,64}$/i.test(sha) && !ZERO_SHA.test(sha);

/**
 * Merge requests compare with the merge-request diff base (what the MR diff shows), falling back to
 * the target branch head. Branch pipelines compare with the commit before the push; when GitLab has
 * none (all zeros: a new branch, a pipeline started by hand or on a schedule) every project counts
 * as affected, so nothing is skipped by mistake.
 */
export function nxRange(env: Readonly<Record<string, string | undefined>>): NxRange {
  const head = env.CI_COMMIT_SHA;
  if (!usable(head)) return { all: true, reason: 'CI_COMMIT_SHA is not set: not in a GitLab pipeline, so every project counts' };
  if (env.CI_PIPELINE_SOURCE === 'merge_request_event') {
    if (usable(env.CI_MERGE_REQUEST_DIFF_BASE_SHA)) return { base: env.CI_MERGE_REQUEST_DIFF_BASE_SHA, head, reason: 'merge request: diff base to head' };
    if (usable(env.CI_MERGE_REQUEST_TARGET_BRANCH_SHA)) return { base: env.CI_MERGE_REQUEST_TARGET_BRANCH_SHA, head, reason: 'merge request: target branch head to head' };
    return { all: true, reason: 'merge request without a diff base: every project counts' };
  }
  if (usable(env.CI_COMMIT_BEFORE_SHA)) return { base: env.CI_COMMIT_BEFORE_SHA, head, reason: 'push: previous head to new head' };
  return { all: true, reason: 'no previous commit for this pipeline (before-SHA is all zeros): every project counts' };
}

/** Nx arguments for a range: `affected --base --head` or `run-many` when everything counts. */
export function nxArgs(range: NxRange, targets: readonly string[]): string[] {
  const t = ['-t', ...targets];
  return 'all' in range ? ['run-many', ...t] : ['affected', ...t, `--base=${range.base}`, `--head=${range.head}`];
}
