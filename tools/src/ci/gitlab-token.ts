import type { SynthesizedStack } from '../verify/synthesized-stacks';

/** The variable the GitLab provider reads its token from (docs/identity.md, docs/amplify.md). */
export const GITLAB_TOKEN_ENV = 'GITLAB_TOKEN';

/**
 * Why a deploy cannot start for lack of a GitLab token, or undefined: the stacks that use the
 * gitlabhq/gitlab provider need GITLAB_TOKEN (a masked, protected CI/CD variable in the pipeline).
 */
export function gitlabTokenProblem(stacks: readonly SynthesizedStack[], env: Readonly<Record<string, string | undefined>>): string | undefined {
  const needing = stacks.filter((s) => s.requiredProviders.some((p) => p.key.endsWith('/gitlabhq/gitlab'))).map((s) => s.name);
  if (!needing.length || env[GITLAB_TOKEN_ENV]) return undefined;
  return (
    `${GITLAB_TOKEN_ENV} is not set, and ${needing.join(', ')} use${needing.length === 1 ? 's' : ''} the GitLab provider: add ${GITLAB_TOKEN_ENV} as a masked, ` +
    'protected CI/CD variable (a token with api scope; docs/identity.md, docs/amplify.md) or export it locally; nothing was deployed'
  );
}
