import type { EnvironmentConfig } from '@gitlab-aws/core';
import { deploymentOrder, deploymentTier, deployRunnerTags, isProtected, pipelineRoleArn, TIERS, type DeploymentTier } from './environment-order';

export type PipelineSource = 'merge_request' | 'default_branch' | 'release_tag';

export interface ChildPipelineInput {
  readonly source: PipelineSource;
  readonly environments: readonly EnvironmentConfig[];
  /** Environments this pipeline affects (merge request: against the target; default branch: against each one's last successful deployment). */
  readonly affected: ReadonlySet<string>;
  /** The job image (the parent pipeline's CI_IMAGE). */
  readonly image: string;
  /** Per environment, why it is (or is not) in the pipeline; written as a comment-like variable. */
  readonly reasons?: Readonly<Record<string, string>>;
}

type Job = Record<string, unknown>;

export const CLI = 'npx tsx tools/src/ci/cli.ts';
/** node_modules from the lockfile-keyed cache, or npm ci when the cache missed. */
export const INSTALL_NODE_MODULES = '[ -x node_modules/.bin/nx ] || npm ci --no-audit --no-fund';
/** The pinned Terraform, checksum verified (.ci/install-terraform); the job fails without it. */
export const INSTALL_TERRAFORM = '.ci/install-terraform';
const OIDC = { GITLAB_OIDC_TOKEN: { aud: '$CI_SERVER_URL' } };

/** The deploy stage of a tier: deploy-development, ..., deploy-production. */
export const deployStage = (tier: DeploymentTier) => `deploy-${tier}`;

/**
 * The child pipeline, generated from the environment files and what the pipeline affects: a
 * read-only plan per affected spoke in a merge request; on the default branch, a deploy per affected
 * spoke in tier order (each waits for the tier before it), protected (production) spokes excluded; on
 * a release tag, a manual deploy of each affected protected spoke. An environment
 * that is not affected gets no job, so a pipeline that does not touch production never waits on a
 * manual job. The hub is deployed by an administrator (docs/identity.md), never by these jobs.
 */
export function childPipeline(input: ChildPipelineInput): Record<string, unknown> {
  const affected = deploymentOrder(input.environments).filter((e) => e.kind === 'spoke' && input.affected.has(e.name));
  // Protected spokes deploy only from release tags (the only refs their hub role trusts); the
  // default branch deploys the rest. Merge requests plan every affected spoke.
  const spokes =
    input.source === 'merge_request' ? affected : affected.filter((e) => isProtected(e, input.environments) === (input.source === 'release_tag'));
  const jobs: Record<string, Job> = {};
  if (input.source === 'merge_request') {
    for (const env of spokes) {
      jobs[`plan:${env.name}`] = {
        stage: 'plan',
        id_tokens: OIDC,
        variables: { ENVIRONMENT: env.name, PIPELINE_ROLE_ARN: pipelineRoleArn(env, 'plan') },
        script: [`${CLI} live-plan ${env.name}`],
        artifacts: { when: 'always', expire_in: '2 weeks', paths: [`apps/${env.name}/.verify/live/`] },
      };
    }
  } else {
    let previous: string[] = [];
    const tags = deployRunnerTags(input.environments);
    for (const tier of TIERS) {
      const inTier = spokes.filter((e) => deploymentTier(e, input.environments) === tier);
      for (const env of inTier) {
        jobs[`deploy:${env.name}`] = {
          stage: deployStage(tier),
          needs: previous,
          interruptible: false,
          id_tokens: OIDC,
          resource_group: env.name,
          ...(tags.length ? { tags } : {}),
          environment: { name: env.name, deployment_tier: tier },
          variables: { ENVIRONMENT: env.name, PIPELINE_ROLE_ARN: pipelineRoleArn(env, 'deploy') },
          script: [`${CLI} deploy ${env.name}`],
          artifacts: { expire_in: '30 days', paths: [`apps/${env.name}/outputs.json`] },
          // Production waits for a person (and the protected environment's approvals); a failed or
          // skipped production deploy keeps the pipeline red instead of passing it silently.
          ...(tier === 'production' ? { when: 'manual', allow_failure: false } : {}),
        };
      }
      if (inTier.length) previous = inTier.map((e) => `deploy:${e.name}`);
    }
  }
  const reasons = Object.entries(input.reasons ?? {}).map(([env, why]) => `${env}: ${why}`);
  if (!Object.keys(jobs).length) {
    jobs['nothing-to-do'] = {
      stage: input.source === 'merge_request' ? 'plan' : deployStage('development'),
      script: [`echo "no environment is affected by this pipeline: nothing to ${input.source === 'merge_request' ? 'plan' : 'deploy'}"`, ...reasons.map((r) => `echo ${JSON.stringify(r)}`)],
    };
  }
  return {
    stages: input.source === 'merge_request' ? ['plan'] : TIERS.map(deployStage),
    variables: { CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', NX_DAEMON: 'false', NX_TUI: 'false' },
    default: {
      image: input.image,
      cache: [{ key: { files: ['package-lock.json'] }, paths: ['node_modules/'], policy: 'pull' }],
      before_script: [INSTALL_NODE_MODULES, INSTALL_TERRAFORM],
    },
    ...jobs,
  };
}
