import { Token } from 'cdktf';
import type { Construct } from 'constructs';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { ProjectAccessToken } from '@cdktf/provider-gitlab/lib/project-access-token';
import { GitlabProvider } from '@cdktf/provider-gitlab/lib/provider';
import { EnvironmentStack, gitlabComProjectPath, type EnvironmentConfig } from '@gitlab-aws/core';
import { amplifyConfigOf } from './amplify-config';
import { amplifyDeployTimeSecrets } from './deploy-time-secrets';

export interface AmplifyGitLabTokenStackProps {
  /** The validated environment; its `amplify` section names the repository (required). */
  readonly environment: EnvironmentConfig;
}

/**
 * Amplify installs a webhook and a deploy key in the project, which needs the "api" scope and the
 * Maintainer role; nothing narrower allows it.
 */
export const AMPLIFY_TOKEN_SCOPES = ['api'] as const;
export const AMPLIFY_TOKEN_ACCESS_LEVEL = 'maintainer';

/**
 * The GitLab side of Amplify hosting: a project access token on the gitlab.com project, rotated by
 * Terraform before it expires, stored as an SSM SecureString in the environment's account for the
 * Amplify stack's deploy step. GitLab-provider resources live here, apart from the AWS stacks, so
 * those stay plannable where only the AWS provider is installed. The GitLab provider reads its own
 * credentials from GITLAB_TOKEN.
 */
export class AmplifyGitLabTokenStack extends EnvironmentStack {
  readonly token: ProjectAccessToken;
  readonly parameter: SsmParameter;

  constructor(scope: Construct, props: AmplifyGitLabTokenStackProps) {
    const env = props.environment;
    const config = amplifyConfigOf(env, 'AmplifyGitLabTokenStack');
    // gitlab_project_access_token keeps the token in state: the plan role may not read it.
    super(scope, { environment: env, component: 'amplify-gitlab', holdsSecrets: true });
    // The schema accepts gitlab.com URLs only, so the path is always there.
    const project = gitlabComProjectPath(config.repository)!;
    const secret = amplifyDeployTimeSecrets(env).gitlabToken;

    new GitlabProvider(this, 'gitlab', { baseUrl: 'https://gitlab.com/api/v4/' });

    this.token = new ProjectAccessToken(this, 'amplify-token', {
      project,
      name: `amplify-${env.name}`,
      description: `Amplify Hosting (${env.name}, account ${env.accountId}): installs its webhook and deploy key`,
      scopes: [...AMPLIFY_TOKEN_SCOPES],
      accessLevel: AMPLIFY_TOKEN_ACCESS_LEVEL,
      // Rotated in place by an apply within rotateBeforeDays of expiry: same bot user, new secret.
      rotationConfiguration: { expirationDays: config.gitlabToken.expirationDays, rotateBeforeDays: config.gitlabToken.rotateBeforeDays },
    });

    this.parameter = new SsmParameter(this, 'amplify-token-parameter', {
      name: secret.parameter,
      description: `${secret.description} (${project}); read into TF_VAR_${secret.variable} by the ${env.name}-amplify deploy`,
      type: 'SecureString',
      // Write-only: the value goes to SSM but never into this stack's state. Each rotation moves the
      // token's expiry date, and that date (as yyyymmdd) is the version that makes Terraform resend it.
      valueWo: this.token.token,
      valueWoVersion: Token.asNumber(`\${parseint(replace(${this.token.fqn}.expires_at, "-", ""), 10)}`),
    });
  }
}
