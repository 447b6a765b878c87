import { Testing } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { TEST_HUB, TEST_SPOKE, testEnvironment } from '../testing/environments';
import { EnvironmentStack } from './environment-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function synth(env = testEnvironment(TEST_SPOKE), component = 'baseline'): Json {
  const app = Testing.app();
  const stack = new EnvironmentStack(app, { environment: env, component });
  new S3Bucket(stack, 'bucket', { bucket: stack.names.bucket('example', env.accountId) });
  return JSON.parse(Testing.synth(stack));
}

describe('EnvironmentStack', () => {
  it('keeps state in the hub bucket, one key per stack, encrypted and lock-filed', () => {
    expect(synth().terraform.backend.s3).toEqual({
      bucket: 'gitlab-aws-tfstate-111111111111-eu-west-1',
      key: 'dev/dev-baseline.tfstate',
      region: 'eu-west-1',
      encrypt: true,
      use_lockfile: true,
    });
  });

  it('lets the environment name the bucket, a KMS key and a role for the backend', () => {
    const env = testEnvironment(TEST_SPOKE, { state: { bucket: 'acme-state', kmsKeyId: 'alias/tfstate', roleName: 'tfstate-access' } });
    expect(synth(env).terraform.backend.s3).toMatchObject({
      bucket: 'acme-state',
      kms_key_id: 'alias/tfstate',
      assume_role: { role_arn: 'arn:aws:iam::111111111111:role/tfstate-access', session_name: 'tfstate-dev' },
    });
  });

  it('assumes the spoke deploy role by a deterministic ARN, or the plan role for MR plans', () => {
    const json = synth();
    const provider = json.provider.aws[0];
    expect(provider.region).toBe('eu-west-1');
    expect(provider.allowed_account_ids).toEqual(['222222222222']);
    expect(provider.assume_role[0].role_arn).toBe(
      '${var.pipeline_role == "plan" ? "arn:aws:iam::222222222222:role/gitlab-ci-plan" : "arn:aws:iam::222222222222:role/gitlab-ci-deploy"}',
    );
    expect(json.variable.pipeline_role.default).toBe('deploy');
    expect(json.variable.pipeline_role.validation[0].condition).toBe('${contains(["deploy", "plan"], var.pipeline_role)}');
  });

  it('passes the ExternalId when the spoke requires one', () => {
    const env = testEnvironment(TEST_SPOKE, { roles: { externalId: 'acme-ci-7f3a' } });
    expect(synth(env).provider.aws[0].assume_role[0].external_id).toBe('acme-ci-7f3a');
  });

  it('uses the caller credentials in the hub (no role to assume there)', () => {
    const json = synth(testEnvironment(TEST_HUB));
    expect(json.provider.aws[0].assume_role).toBeUndefined();
    expect(json.variable).toBeUndefined();
    expect(json.terraform.backend.s3.key).toBe('devops/devops-baseline.tfstate');
  });

  it('tags every taggable resource through the provider default tags', () => {
    const env = testEnvironment(TEST_SPOKE, { tags: { CostCenter: '42' } });
    expect(synth(env).provider.aws[0].default_tags[0].tags).toEqual({
      CostCenter: '42',
      Environment: 'dev',
      Stack: 'dev-baseline',
      Owner: 'platform-team',
      ManagedBy: 'gitlab-on-aws/cdktf',
    });
  });

  it('derives resource names from environment and component', () => {
    expect(synth().resource.aws_s3_bucket.bucket.bucket).toBe('dev-example-222222222222');
  });

  it('rejects a component that is not a slug, with the fix', () => {
    expect(() => synth(testEnvironment(TEST_SPOKE), 'Runner Fleet')).toThrow(
      'EnvironmentStack: component "Runner Fleet" must be lowercase letters, digits and hyphens (e.g. "runner-fleet")',
    );
  });

  it('uses the partition of the region in ARNs', () => {
    const env = testEnvironment(TEST_SPOKE, { region: 'cn-north-1' });
    expect(synth(env).provider.aws[0].assume_role[0].role_arn).toContain('arn:aws-cn:iam::222222222222:role/gitlab-ci-deploy');
  });
});
