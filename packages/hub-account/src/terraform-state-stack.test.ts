import { Testing } from 'cdktf';
import { TEST_HUB, TEST_HUB_IDENTITY, testEnvironment } from '@gitlab-aws/core';
import { HubIdentityStack } from './hub-identity-stack';
import { TerraformStateStack } from './terraform-state-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const BUCKET = 'gitlab-aws-tfstate-111111111111-eu-west-1';
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const DEPLOY = 'arn:aws:iam::111111111111:role/gitlab-ci-hub-deploy';
const PLAN = 'arn:aws:iam::111111111111:role/gitlab-ci-hub-plan';

function synth(identity: Record<string, unknown> = TEST_HUB_IDENTITY): Json {
  const stack = new TerraformStateStack(Testing.app(), { environment: testEnvironment(TEST_HUB, { identity }) });
  return JSON.parse(Testing.synth(stack));
}

describe('TerraformStateStack', () => {
  const json = synth();
  const r = json.resource;

  it('creates the very bucket every backend points at, and keeps its own state there too', () => {
    expect(r.aws_s3_bucket['state-bucket']).toEqual({ bucket: BUCKET, lifecycle: { prevent_destroy: true } });
    expect(json.terraform.backend.s3).toMatchObject({ bucket: BUCKET, key: 'devops/devops-tfstate.tfstate' });
  });

  it('versions, encrypts with its own rotating key, blocks public access and enforces bucket ownership', () => {
    expect(r.aws_s3_bucket_versioning['state-bucket-versioning'].versioning_configuration).toEqual({ status: 'Enabled' });
    expect(r.aws_kms_key['state-key']).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(r.aws_s3_bucket_server_side_encryption_configuration['state-bucket-encryption'].rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: '${aws_kms_key.state-key.arn}' }, bucket_key_enabled: true },
    ]);
    expect(r.aws_s3_bucket_public_access_block['state-bucket-public-access-block']).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(r.aws_s3_bucket_ownership_controls['state-bucket-ownership'].rule.object_ownership).toBe('BucketOwnerEnforced');
    expect(r.aws_kms_alias['state-key-alias'].name).toBe('alias/devops-tfstate-state');
  });

  it('expires replaced versions after 90 days, keeping the last 10, and aborts stale uploads', () => {
    expect(r.aws_s3_bucket_lifecycle_configuration['state-bucket-lifecycle'].rule).toEqual([
      {
        id: 'expire-old-state-versions',
        status: 'Enabled',
        filter: [{ prefix: '' }],
        noncurrent_version_expiration: [{ noncurrent_days: 90, newer_noncurrent_versions: 10 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
    ]);
  });

  it('allows TLS only, and gives the pipeline roles spoke state alone: deploy read-write, plan read and lock', () => {
    const statements = JSON.parse(r.aws_s3_bucket_policy['state-bucket-policy'].policy).Statement;
    expect(statements).toEqual([
      { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      { Sid: 'DenyOutdatedTls', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`], Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } } },
      { Sid: 'PipelineListStateKeys', Effect: 'Allow', Principal: { AWS: [DEPLOY, PLAN] }, Action: 's3:ListBucket', Resource: BUCKET_ARN },
      { Sid: 'DeployReadWriteSpokeState', Effect: 'Allow', Principal: { AWS: DEPLOY }, Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: [`${BUCKET_ARN}/dev/*`] },
      { Sid: 'PlanReadSpokeState', Effect: 'Allow', Principal: { AWS: PLAN }, Action: 's3:GetObject', Resource: [`${BUCKET_ARN}/dev/*`] },
      { Sid: 'PlanTakeStateLock', Effect: 'Allow', Principal: { AWS: PLAN }, Action: ['s3:PutObject', 's3:DeleteObject'], Resource: [`${BUCKET_ARN}/dev/*.tflock`] },
    ]);
    // No statement reaches the hub's own state.
    expect(JSON.stringify(statements)).not.toContain(`${BUCKET_ARN}/devops/`);
  });

  it('lets the pipeline roles use the key through S3 only; administrators keep it through IAM', () => {
    const statements = JSON.parse(r.aws_kms_key['state-key'].policy).Statement;
    expect(statements.map((s: Json) => [s.Sid, s.Principal.AWS, s.Condition])).toEqual([
      ['AccountAdministersThroughIam', 'arn:aws:iam::111111111111:root', undefined],
      ['DeployEncryptsState', DEPLOY, { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } }],
      ['PlanReadsStateAndWritesLock', PLAN, { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } }],
    ]);
    expect(statements[2].Action).not.toContain('kms:Encrypt');
  });

  it('grants pipelines nothing while no spoke is listed', () => {
    const empty = synth({ ...TEST_HUB_IDENTITY, spokes: [] }).resource;
    expect(JSON.parse(empty.aws_s3_bucket_policy['state-bucket-policy'].policy).Statement.map((s: Json) => s.Effect)).toEqual(['Deny', 'Deny']);
    expect(JSON.parse(empty.aws_kms_key['state-key'].policy).Statement).toHaveLength(1);
  });

  it('outputs names and ARNs only', () => {
    expect(Object.keys(json.output).sort()).toEqual(['state_bucket', 'state_key_arn']);
  });

  it('is deployed after the identity stack whose roles its policies name', () => {
    const app = Testing.app();
    const environment = testEnvironment(TEST_HUB, { identity: TEST_HUB_IDENTITY });
    const identity = new HubIdentityStack(app, { environment });
    const state = new TerraformStateStack(app, { environment, identityStack: identity });
    expect(state.dependencies).toEqual([identity]);
  });

  it('rejects lifecycle settings that make no sense', () => {
    const environment = testEnvironment(TEST_HUB, { identity: TEST_HUB_IDENTITY });
    expect(() => new TerraformStateStack(Testing.app(), { environment, noncurrentVersionDays: 0 })).toThrow('noncurrentVersionDays must be a whole number of days >= 1, got 0');
  });
});
