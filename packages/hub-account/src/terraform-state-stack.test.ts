import { Testing } from 'cdktf';
import { TEST_HUB, TEST_HUB_IDENTITY, testEnvironment } from '@gitlab-aws/core';
import { HubIdentityStack } from './hub-identity-stack';
import { stateBucketStatements, stateKeyStatements } from './state-policies';
import { TerraformStateStack } from './terraform-state-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const BUCKET = 'gitlab-aws-tfstate-111111111111-eu-west-1';

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

  it('puts the bucket and key policies of state-policies.ts on the bucket and key (their effect: state-policies.test.ts)', () => {
    const hub = testEnvironment(TEST_HUB, { identity: TEST_HUB_IDENTITY }) as Parameters<typeof stateBucketStatements>[0];
    expect(JSON.parse(r.aws_s3_bucket_policy['state-bucket-policy'].policy).Statement).toEqual(stateBucketStatements(hub, BUCKET));
    expect(JSON.parse(r.aws_kms_key['state-key'].policy).Statement).toEqual(stateKeyStatements(hub));
    expect(r.aws_s3_bucket_policy['state-bucket-policy'].bucket).toBe('${aws_s3_bucket.state-bucket.id}');
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
