import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LEGACY_KEYS_SESSION_PREFIX } from '@gitlab-aws/core';

export type PipelineRoleKind = 'deploy' | 'plan';

export interface AwsProfileFiles {
  /** Files to write (path -> content); all are written with mode 0600. */
  readonly files: Record<string, string>;
  /** Shell lines for `eval`: point the AWS SDKs (Terraform, its S3 backend) at the profile. */
  readonly shell: string[];
}

export const PROFILE = 'gitlab-ci';

/**
 * Credentials for a job, as an AWS config profile every SDK understands: the hub pipeline role,
 * assumed with the job's ID token (GITLAB_OIDC_TOKEN from `id_tokens`), or, in the legacy
 * static-key mode (AWS_CI_AUTH=static-keys, for instances AWS cannot reach for OIDC), with the IAM
 * user's keys (moved out of the environment, where they would win over the profile). Spoke roles are assumed by the Terraform provider from there.
 */
export function awsProfile(role: PipelineRoleKind, env: Readonly<Record<string, string | undefined>>, dir: string): AwsProfileFiles {
  // PIPELINE_ROLE_ARN: set by the generated jobs from the environment files; else the GitLab-side variables.
  const variable = env.PIPELINE_ROLE_ARN ? 'PIPELINE_ROLE_ARN' : role === 'deploy' ? 'AWS_HUB_DEPLOY_ROLE_ARN' : 'AWS_HUB_PLAN_ROLE_ARN';
  const roleArn = env[variable];
  if (!roleArn) {
    throw new Error(`${variable} is not set: the GitLab-side stack (devops-gitlab-ci) defines it${role === 'deploy' ? ', for protected refs only' : ''}`);
  }
  const session = `gitlab-ci-${env.CI_PIPELINE_ID ?? 'local'}-${env.CI_JOB_ID ?? '0'}`.slice(0, 64);
  const legacySession = `${LEGACY_KEYS_SESSION_PREFIX}${env.CI_PIPELINE_ID ?? 'local'}-${env.CI_JOB_ID ?? '0'}`.slice(0, 64);
  const region = env.AWS_DEFAULT_REGION ? [`region = ${env.AWS_DEFAULT_REGION}`] : [];
  const config = join(dir, 'config');
  const shell = [`export AWS_CONFIG_FILE='${config}'`, `export AWS_PROFILE=${PROFILE}`, 'unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN'];
  const forceKeys = env.AWS_CI_AUTH === 'static-keys';
  if (env.GITLAB_OIDC_TOKEN && !forceKeys) {
    const tokenFile = join(dir, 'web-identity-token');
    return {
      files: {
        [tokenFile]: env.GITLAB_OIDC_TOKEN,
        [config]: [`[profile ${PROFILE}]`, `role_arn = ${roleArn}`, `web_identity_token_file = ${tokenFile}`, `role_session_name = ${session}`, ...region, ''].join('\n'),
      },
      shell,
    };
  }
  if (forceKeys && role === 'deploy' && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    const credentials = join(dir, 'credentials');
    return {
      files: {
        [credentials]: ['[gitlab-ci-legacy-keys]', `aws_access_key_id = ${env.AWS_ACCESS_KEY_ID}`, `aws_secret_access_key = ${env.AWS_SECRET_ACCESS_KEY}`, ''].join('\n'),
        // The hub deploy role admits the keys only under a legacy session name, and holds such sessions to their environments.
        [config]: [`[profile ${PROFILE}]`, `role_arn = ${roleArn}`, 'source_profile = gitlab-ci-legacy-keys', `role_session_name = ${legacySession}`, ...region, ''].join('\n'),
      },
      shell: [`export AWS_SHARED_CREDENTIALS_FILE='${credentials}'`, ...shell],
    };
  }
  if (forceKeys) throw new Error(`AWS_CI_AUTH is "static-keys" but ${role === 'plan' ? 'the plan role has no static keys (use OIDC)' : 'AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are not set (protected refs only)'}`);
  throw new Error('no credentials: add `id_tokens: { GITLAB_OIDC_TOKEN: { aud: ... } }` to the job (OIDC), or turn on the legacy static keys in the hub file');
}

export function writeProfile(profile: AwsProfileFiles, dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const [path, content] of Object.entries(profile.files)) {
    writeFileSync(path, content, { mode: 0o600 });
    chmodSync(path, 0o600);
  }
}

/** Variables through which an AWS SDK could find credentials other than the profile's. */
const OTHER_CREDENTIALS = /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|SECURITY_TOKEN|PROFILE|DEFAULT_PROFILE|ROLE_ARN|ROLE_SESSION_NAME|WEB_IDENTITY_TOKEN_FILE|CONTAINER_CREDENTIALS_(RELATIVE|FULL)_URI|CONTAINER_AUTHORIZATION_TOKEN(_FILE)?|CREDENTIAL_PROFILES_FILE)$/;

/**
 * The environment for a signed-in command (Terraform, cdktf): the profile and nothing else. Every
 * other credential source is cut off, the runner's keys, its ~/.aws files and its instance role
 * (metadata) included, so a deploy can never fall back to whatever credentials the runner has.
 */
export function signedInEnvironment(profile: AwsProfileFiles, dir: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(env).filter(([k]) => !OTHER_CREDENTIALS.test(k)));
  const credentials = Object.keys(profile.files).find((f) => f.endsWith('/credentials'));
  return {
    ...out,
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_PROFILE: PROFILE,
    AWS_SHARED_CREDENTIALS_FILE: credentials ?? join(dir, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}
