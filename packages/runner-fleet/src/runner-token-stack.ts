import type { Construct } from 'constructs';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { GitlabProvider } from '@cdktf/provider-gitlab/lib/provider';
import { UserRunner } from '@cdktf/provider-gitlab/lib/user-runner';
import { type EnvironmentConfig, EnvironmentStack, type RunnerFleetConfig } from '@gitlab-aws/core';
import { FleetNames, TOKEN_COMPONENT, gitlabUrl, tokenKeyAlias } from './fleet-settings';
import { requireRunners } from './runner-fleet-stack';

export interface RunnerTokenStackProps {
  readonly environment: EnvironmentConfig;
}

function scopeArgs(fleet: RunnerFleetConfig): { runnerType: string; groupId?: number; projectId?: number } {
  switch (fleet.scope.type) {
    case 'group':
      return { runnerType: 'group_type', groupId: fleet.scope.id };
    case 'project':
      return { runnerType: 'project_type', projectId: fleet.scope.id };
    default:
      return { runnerType: 'instance_type' };
  }
}

/**
 * The GitLab side of the runner fleets: one runner per fleet (gitlab_user_runner) whose glrt-
 * token goes straight into an SSM SecureString under the environment's token key. Nothing is
 * output. Needs the GitLab provider (GITLAB_TOKEN in the environment) as well as AWS; deploy it
 * after the runners stack, which creates the key.
 */
export class RunnerTokenStack extends EnvironmentStack {
  constructor(scope: Construct, props: RunnerTokenStackProps) {
    super(scope, { environment: props.environment, component: TOKEN_COMPONENT });
    const env = props.environment;
    const runners = requireRunners(env);
    new GitlabProvider(this, 'gitlab', { baseUrl: `${gitlabUrl(env, runners)}/api/v4/` });

    for (const fleet of runners.fleets) {
      const names = new FleetNames(env, fleet);
      const runner = new UserRunner(this, `${fleet.name}-runner`, {
        ...scopeArgs(fleet),
        description: fleet.description ?? `${env.name} ${fleet.name} fleet`,
        tagList: fleet.tags,
        untagged: fleet.runUntagged,
        locked: fleet.locked,
        accessLevel: fleet.protectedOnly ? 'ref_protected' : 'not_protected',
        maximumTimeout: fleet.jobTimeoutMinutes * 60,
        paused: false,
        maintenanceNote: `Managed by gitlab-on-aws (${this.stackId}); token in SSM ${names.tokenParameterName}`,
        // A rotation registers the new runner before the old one goes, so hosts can switch over.
        lifecycle: { createBeforeDestroy: true },
      });
      new SsmParameter(this, `${fleet.name}-token`, {
        name: names.tokenParameterName,
        description: `GitLab Runner authentication token of fleet ${fleet.name} (read at boot by the fleet's runner role only)`,
        type: 'SecureString',
        keyId: tokenKeyAlias(env),
        value: runner.token,
        tier: 'Standard',
      });
    }
  }
}
