import { Testing } from 'cdktf';
import { TEST_SPOKE, testEnvironment } from '@gitlab-aws/core';
import { AccountBaselineStack } from './account-baseline-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function synth(overrides: Record<string, unknown> = {}): Json {
  const stack = new AccountBaselineStack(Testing.app(), { environment: testEnvironment(TEST_SPOKE, overrides) });
  return JSON.parse(Testing.synth(stack)).resource;
}

describe('AccountBaselineStack', () => {
  it('blocks public S3 on all four switches', () => {
    expect(Object.values(synth().aws_s3_account_public_access_block)[0]).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it('encrypts EBS by default and requires IMDSv2 with hop limit 2', () => {
    const r = synth();
    expect(Object.values(r.aws_ebs_encryption_by_default)[0]).toMatchObject({ enabled: true });
    expect(Object.values(r.aws_ec2_instance_metadata_defaults)[0]).toMatchObject({ http_tokens: 'required', http_put_response_hop_limit: 2 });
  });

  it('blocks public snapshots and AMIs', () => {
    const r = synth();
    expect(Object.values(r.aws_ebs_snapshot_block_public_access)[0]).toMatchObject({ state: 'block-all-sharing' });
    expect(Object.values(r.aws_ec2_image_block_public_access)[0]).toMatchObject({ state: 'block-new-sharing' });
  });

  it('sets a strict password policy from the environment', () => {
    expect(Object.values(synth({ baseline: { minimumPasswordLength: 20, maxPasswordAgeDays: 0 } }).aws_iam_account_password_policy)[0]).toEqual(
      expect.objectContaining({
        minimum_password_length: 20,
        require_symbols: true,
        require_numbers: true,
        require_uppercase_characters: true,
        require_lowercase_characters: true,
        password_reuse_prevention: 24,
      }),
    );
    expect(Object.values(synth({ baseline: { maxPasswordAgeDays: 0 } }).aws_iam_account_password_policy)[0]).not.toHaveProperty('max_password_age');
  });

  it('creates an account Access Analyzer unless switched off', () => {
    expect(Object.values(synth().aws_accessanalyzer_analyzer)[0]).toMatchObject({ analyzer_name: 'dev-baseline-access-analyzer', type: 'ACCOUNT' });
    expect(synth({ baseline: { accessAnalyzer: false } }).aws_accessanalyzer_analyzer).toBeUndefined();
  });

  it('can leave IMDS and snapshot settings to the account', () => {
    const r = synth({ baseline: { requireImdsv2: false, blockPublicSnapshots: false } });
    expect(r.aws_ec2_instance_metadata_defaults).toBeUndefined();
    expect(r.aws_ebs_snapshot_block_public_access).toBeUndefined();
  });
});
