import type { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { IamAccessKey } from '@cdktf/provider-aws/lib/iam-access-key';
import { Project } from '@cdktf/provider-gitlab/lib/project';
import { ProjectEnvironment } from '@cdktf/provider-gitlab/lib/project-environment';
import { ProjectProtectedEnvironment } from '@cdktf/provider-gitlab/lib/project-protected-environment';
import { ProjectVariable } from '@cdktf/provider-gitlab/lib/project-variable';
import { GitlabProvider } from '@cdktf/provider-gitlab/lib/provider';
import { EnvironmentStack, type EnvironmentConfig } from '@gitlab-aws/core';
import { requireHubIdentity, type HubWithIdentity } from './hub-config';
import { pipelineVariables } from './pipeline-variables';

export interface GitLabCiStackProps {
  /** The hub environment; `identity.gitlab.project` is the project whose pipeline deploys. */
  readonly environment: EnvironmentConfig;
  /** The stack with the pipeline roles (and the legacy user); deployed first. Default: none. */
  readonly identityStack?: TerraformStack;
}

/** The sub claim layout the role trust policies are written for; pinned so nobody changes it in the UI. */
export const SUB_CLAIM_COMPONENTS = ['project_path', 'ref_type', 'ref'];

/**
 * The GitLab side of the pipeline, kept apart from the AWS stacks (it needs the gitlabhq/gitlab
 * provider, which the offline verification does not have): CI/CD variables per environment scope,
 * one GitLab environment per spoke (protected, with approvals, where the hub file says so), and the
 * project settings the trust relies on. The token comes from GITLAB_TOKEN, never from the config.
 *
 * With static keys on it also makes the legacy user's access key and hands it to GitLab as
 * protected, masked variables by resource reference: the secret never appears in the synthesized
 * JSON or in an output (it does live in this stack's state, which is KMS-encrypted).
 */
export class GitLabCiStack extends EnvironmentStack {
  readonly hub: HubWithIdentity;
  readonly project: Project;

  constructor(scope: Construct, props: GitLabCiStackProps) {
    const hub = requireHubIdentity(props.environment, 'GitLabCiStack');
    super(scope, { environment: hub, component: 'gitlab-ci' });
    this.hub = hub;
    if (props.identityStack) this.addDependency(props.identityStack);
    const { url, project: projectPath } = hub.identity.gitlab;
    new GitlabProvider(this, 'gitlab', { baseUrl: `${url}/api/v4/` });

    // Adopt the existing project (import block) and set only what the pipeline relies on.
    this.project = new Project(this, 'project', {
      name: projectPath.split('/').pop()!,
      ciIdTokenSubClaimComponents: SUB_CLAIM_COMPONENTS,
      // Nobody may override variables (e.g. the role ARNs) when running a pipeline by hand.
      ciPipelineVariablesMinimumOverrideRole: 'no_one_allowed',
      // An older pipeline must not deploy over a newer one.
      ciForwardDeploymentEnabled: true,
      // Caches of unprotected branches (merge requests) never reach protected deploy jobs.
      ciSeparatedCaches: true,
      onlyAllowMergeIfPipelineSucceeds: true,
      lifecycle: { preventDestroy: true, ignoreChanges: ['name', 'path', 'description', 'visibility_level', 'default_branch'] },
    });
    this.project.importFrom(projectPath);

    const projectId = this.project.id;
    for (const v of pipelineVariables(hub)) {
      new ProjectVariable(this, `var-${v.key.toLowerCase()}-${v.scope === '*' ? 'all' : v.scope}`, {
        project: projectId,
        key: v.key,
        value: v.value,
        environmentScope: v.scope,
        protected: v.protected,
        masked: v.masked,
        raw: true,
        description: v.description,
      });
    }

    for (const spoke of hub.identity.spokes) {
      const environment = new ProjectEnvironment(this, `environment-${spoke.environment}`, { project: projectId, name: spoke.environment });
      if (!spoke.protected) continue;
      new ProjectProtectedEnvironment(this, `protected-environment-${spoke.environment}`, {
        project: projectId,
        environment: environment.name,
        deployAccessLevelsAttribute: [{ accessLevel: 'maintainer' }],
        ...(spoke.requiredApprovals > 0 ? { approvalRules: [{ accessLevel: 'maintainer', requiredApprovals: spoke.requiredApprovals }] } : {}),
      });
    }

    if (hub.identity.staticKeys.enabled) {
      const key = new IamAccessKey(this, 'legacy-access-key', { user: hub.identity.staticKeys.userName });
      // Only jobs of the environments the keys serve see them (and AWS holds them to those, too).
      for (const scope of hub.identity.staticKeys.environments) {
        const secretVariable = (id: string, k: string, value: string) =>
          new ProjectVariable(this, `${id}-${scope}`, { project: projectId, key: k, value, environmentScope: scope, protected: true, masked: true, raw: true, description: `Legacy static key for ${scope} (prefer OIDC)` });
        secretVariable('var-legacy-access-key-id', 'AWS_ACCESS_KEY_ID', key.id);
        secretVariable('var-legacy-secret-access-key', 'AWS_SECRET_ACCESS_KEY', key.secret);
      }
    }
  }
}
