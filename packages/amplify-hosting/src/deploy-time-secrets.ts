import type { EnvironmentConfig } from '@gitlab-aws/core';

/** A secret the Amplify stack takes as a sensitive Terraform variable, filled from SSM at deploy time. */
export interface DeployTimeSecret {
  /** Terraform variable name; the deploy step exports TF_VAR_<variable>. */
  readonly variable: string;
  /** SSM SecureString parameter in the environment's account that holds the value. */
  readonly parameter: string;
  readonly description: string;
}

/**
 * The secrets of an environment's Amplify stack and where they live. The GitLab-side stack writes
 * the token parameter; the basic-auth parameter ("user:password") is created by an operator.
 */
export function amplifyDeployTimeSecrets(env: Pick<EnvironmentConfig, 'name'>): { gitlabToken: DeployTimeSecret; basicAuth: DeployTimeSecret } {
  return {
    gitlabToken: {
      variable: 'gitlab_oauth_token',
      parameter: `/${env.name}/amplify/gitlab-token`,
      description: 'GitLab project access token Amplify uses to install its webhook and deploy key',
    },
    basicAuth: {
      variable: 'amplify_basic_auth',
      parameter: `/${env.name}/amplify/basic-auth`,
      description: 'Basic-auth credentials ("user:password") of the password-protected branches',
    },
  };
}

/** The shell lines a deploy job runs before `cdktf deploy`, with the spoke deploy role's credentials. */
export function deployTimeExports(secrets: readonly DeployTimeSecret[]): string[] {
  return secrets.map(
    (s) => `export TF_VAR_${s.variable}="$(aws ssm get-parameter --name ${s.parameter} --with-decryption --query Parameter.Value --output text)"`,
  );
}
