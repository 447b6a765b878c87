import type { GitLabSize } from '../environment/sections/gitlab';

// Pure module (no zod, no cdktf, no Node APIs): the k6 bundles include it as well as the stacks.

/** The kinds of traffic GitLab specifies a reference architecture's request rates for. */
export const TRAFFIC_TYPES = ['api', 'web', 'gitPull', 'gitPush'] as const;
export type TrafficType = (typeof TRAFFIC_TYPES)[number];

/** Requests per second, per traffic type. */
export type TargetRates = Readonly<Record<TrafficType, number>>;

/**
 * The request rates GitLab tests each reference-architecture size at (per 1,000 users about
 * API 20, Web 2, Git pull 2, Git push 0.4, rounded; push is published as 1 up to 3K). A POC is a
 * scaled-down 2K sized for the same 40 RPS, so it is held to the 2K targets. Source: the
 * "Target load" table of reference_architectures/_index.md (gitlab-org/gitlab docs at commit
 * b997aef70b9b6f41285611e08a74cf1713261a16, 18.x-era master) and each size page's "Target load" line.
 */
export const GITLAB_TARGET_RATES: Readonly<Record<GitLabSize, TargetRates>> = {
  '1k': { api: 20, web: 2, gitPull: 2, gitPush: 1 },
  poc: { api: 40, web: 4, gitPull: 4, gitPush: 1 },
  '2k': { api: 40, web: 4, gitPull: 4, gitPush: 1 },
  '3k': { api: 60, web: 6, gitPull: 6, gitPush: 1 },
  '5k': { api: 100, web: 10, gitPull: 10, gitPush: 2 },
  '10k': { api: 200, web: 20, gitPull: 20, gitPush: 4 },
  '25k': { api: 500, web: 50, gitPull: 50, gitPush: 10 },
  '50k': { api: 1000, web: 100, gitPull: 100, gitPush: 20 },
};

/** Target rates of a size; throws on an unknown size (environment files read without zod, e.g. by k6). */
export function targetRates(size: GitLabSize): TargetRates {
  const rates = (GITLAB_TARGET_RATES as Record<string, TargetRates | undefined>)[size];
  if (!rates) throw new Error(`unknown GitLab size "${String(size)}": expected one of ${Object.keys(GITLAB_TARGET_RATES).join(', ')}`);
  return rates;
}
