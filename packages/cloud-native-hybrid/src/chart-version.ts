/**
 * GitLab Helm chart release per GitLab release. The chart has its own version numbers (major =
 * GitLab major - 9 since 16.0); GitLab's "GitLab Helm chart versions" page maps them, and patch
 * numbers do not always line up (8.7.8 shipped 17.7.6), so the mapping is a table, not a formula.
 */
export const CHART_VERSIONS: Readonly<Record<string, string>> = {
  '19.3.0': '10.3.0',
};

/** Chart version that ships `gitlabVersion`, or an error naming the fix. */
export function chartVersionFor(gitlabVersion: string): string {
  const chart = CHART_VERSIONS[gitlabVersion];
  if (!chart) {
    throw new Error(
      `gitlab.version "${gitlabVersion}" has no known GitLab Helm chart release here (known: ${Object.keys(CHART_VERSIONS).join(', ')}): ` +
        'add its row to packages/cloud-native-hybrid/src/chart-version.ts from docs.gitlab.com/charts/installation/version_mappings, or pin a listed version',
    );
  }
  return chart;
}
