import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsProfile, writeProfile } from './aws-profile';

const DEPLOY = 'arn:aws:iam::111111111111:role/gitlab-ci-hub-deploy';
const PLAN = 'arn:aws:iam::111111111111:role/gitlab-ci-hub-plan';
const base = { AWS_HUB_DEPLOY_ROLE_ARN: DEPLOY, AWS_HUB_PLAN_ROLE_ARN: PLAN, AWS_DEFAULT_REGION: 'eu-west-1', CI_PIPELINE_ID: '42', CI_JOB_ID: '7' };

describe('AWS profile for a job', () => {
  it('assumes the hub role with the job ID token (OIDC)', () => {
    const p = awsProfile('plan', { ...base, GITLAB_OIDC_TOKEN: 'jwt' }, '/tmp/x');
    expect(p.files['/tmp/x/web-identity-token']).toBe('jwt');
    expect(p.files['/tmp/x/config']).toBe(
      '[profile gitlab-ci]\nrole_arn = arn:aws:iam::111111111111:role/gitlab-ci-hub-plan\nweb_identity_token_file = /tmp/x/web-identity-token\nrole_session_name = gitlab-ci-42-7\nregion = eu-west-1\n',
    );
    expect(p.shell).toEqual(["export AWS_CONFIG_FILE='/tmp/x/config'", 'export AWS_PROFILE=gitlab-ci', 'unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN']);
  });

  it('uses the static keys only when asked, only to assume the hub deploy role under a legacy session name (the role trust requires it), and moves them out of the environment', () => {
    const env = { ...base, GITLAB_OIDC_TOKEN: 'jwt', AWS_CI_AUTH: 'static-keys', AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret/example' };
    const p = awsProfile('deploy', env, '/tmp/x');
    expect(p.files['/tmp/x/config']).toContain(`role_arn = ${DEPLOY}\nsource_profile = gitlab-ci-legacy-keys\nrole_session_name = legacy-keys-42-7\n`);
    expect(p.files['/tmp/x/credentials']).toContain('aws_secret_access_key = secret/example');
    expect(p.shell).toContain('unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN');
    expect(p.shell.join('\n')).not.toContain('secret/example');
    expect(() => awsProfile('plan', env, '/tmp/x')).toThrow('the plan role has no static keys');
  });

  it('says which variable is missing, e.g. the deploy role on an unprotected ref', () => {
    expect(() => awsProfile('deploy', { GITLAB_OIDC_TOKEN: 'jwt' }, '/tmp/x')).toThrow('AWS_HUB_DEPLOY_ROLE_ARN is not set');
    expect(() => awsProfile('plan', { ...base }, '/tmp/x')).toThrow('no credentials: add `id_tokens');
  });

  it('writes the files readable by the owner only', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'profile-')), 'aws');
    writeProfile(awsProfile('plan', { ...base, GITLAB_OIDC_TOKEN: 'jwt' }, dir), dir);
    expect(statSync(join(dir, 'web-identity-token')).mode & 0o777).toBe(0o600);
  });
});
