import { Testing } from 'cdktf';
import { TEST_SPOKE, testEnvironment } from '@gitlab-aws/core';
import { AmplifyGitLabTokenStack } from './amplify-gitlab-token-stack';
import { amplifyDeployTimeSecrets, deployTimeExports } from './deploy-time-secrets';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function synth(amplify: Record<string, unknown> = {}): Json {
  const environment = testEnvironment(TEST_SPOKE, {
    amplify: { repository: 'https://gitlab.com/acme/frontend/web-shop.git', branches: [{ name: 'main', stage: 'PRODUCTION' }], ...amplify },
  });
  return JSON.parse(Testing.synth(new AmplifyGitLabTokenStack(Testing.app(), { environment })));
}

describe('AmplifyGitLabTokenStack', () => {
  it('creates a project access token with the api scope and Maintainer role only, rotated before it expires', () => {
    const token = synth().resource.gitlab_project_access_token['amplify-token'];
    expect(token).toMatchObject({
      project: 'acme/frontend/web-shop',
      name: 'amplify-dev',
      scopes: ['api'],
      access_level: 'maintainer',
      rotation_configuration: { expiration_days: 90, rotate_before_days: 14 },
    });
    expect(synth({ gitlabToken: { expirationDays: 30, rotateBeforeDays: 7 } }).resource.gitlab_project_access_token['amplify-token'].rotation_configuration).toEqual({
      expiration_days: 30,
      rotate_before_days: 7,
    });
  });

  it('stores the token only as an SSM SecureString the Amplify deploy reads (write-only: not in state), never as an output', () => {
    const json = synth();
    const parameter = json.resource.aws_ssm_parameter['amplify-token-parameter'];
    expect(parameter).toMatchObject({
      name: '/dev/amplify/gitlab-token',
      type: 'SecureString',
      value_wo: '${gitlab_project_access_token.amplify-token.token}',
      // A rotation moves the expiry date, which bumps the version, which makes Terraform send the new token.
      value_wo_version: '${parseint(replace(gitlab_project_access_token.amplify-token.expires_at, "-", ""), 10)}',
    });
    expect(parameter.value).toBeUndefined();
    expect(json.output).toBeUndefined();
    expect(json.provider.gitlab).toEqual([{ base_url: 'https://gitlab.com/api/v4/' }]);
    expect(JSON.stringify(json.provider.gitlab)).not.toContain('token');
  });

  it('runs in the environment account, next to the Amplify app, with its state where the plan role cannot read it', () => {
    const json = synth();
    expect(json.provider.aws[0].allowed_account_ids).toEqual(['222222222222']);
    expect(json.terraform.backend.s3.key).toBe('dev/secrets/dev-amplify-gitlab.tfstate');
  });

  it('tells the deploy step how to fill the Amplify stack variables from SSM', () => {
    const secrets = amplifyDeployTimeSecrets({ name: 'dev' });
    expect(deployTimeExports([secrets.gitlabToken, secrets.basicAuth])).toEqual([
      'export TF_VAR_gitlab_oauth_token="$(aws ssm get-parameter --name /dev/amplify/gitlab-token --with-decryption --query Parameter.Value --output text)"',
      'export TF_VAR_amplify_basic_auth="$(aws ssm get-parameter --name /dev/amplify/basic-auth --with-decryption --query Parameter.Value --output text)"',
    ]);
  });
});
