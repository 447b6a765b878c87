import { TerraformOutput, type TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { EnvironmentStack, policyJson, stateBucketName, type EnvironmentConfig } from '@gitlab-aws/core';
import { requireHubIdentity } from './hub-config';
import { stateBucketStatements, stateKeyStatements } from './state-policies';

export interface TerraformStateStackProps {
  /** The hub environment: the bucket is `stateBucketName(hub)`, the one every backend points at. */
  readonly environment: EnvironmentConfig;
  /** Days a replaced state version is kept before it expires. Default: 90. */
  readonly noncurrentVersionDays?: number;
  /** Replaced versions kept regardless of age. Default: 10. */
  readonly noncurrentVersionsKept?: number;
  /**
   * The stack that creates the pipeline roles the policies name (IAM and S3 reject policies whose
   * principals do not exist yet). Default: none (deploy the identity stack first yourself).
   */
  readonly identityStack?: TerraformStack;
}

/**
 * The Terraform state of every environment: one S3 bucket (versioned, KMS-encrypted with its own
 * rotating key, public access blocked, owner-enforced, TLS-only, old versions expired) and the
 * bucket and key policies that give the pipeline roles access to spoke state only. Its own state
 * lives in the same bucket after the bootstrap in docs/identity.md (local state, then
 * `terraform init -migrate-state`).
 */
export class TerraformStateStack extends EnvironmentStack {
  readonly bucket: S3Bucket;
  readonly key: KmsKey;

  constructor(scope: Construct, props: TerraformStateStackProps) {
    const hub = requireHubIdentity(props.environment, 'TerraformStateStack');
    const days = props.noncurrentVersionDays ?? 90;
    const kept = props.noncurrentVersionsKept ?? 10;
    if (!Number.isInteger(days) || days < 1) throw new Error(`TerraformStateStack: noncurrentVersionDays must be a whole number of days >= 1, got ${days}`);
    if (!Number.isInteger(kept) || kept < 1 || kept > 100) throw new Error(`TerraformStateStack: noncurrentVersionsKept must be 1-100, got ${kept}`);
    super(scope, { environment: hub, component: 'tfstate' });
    if (props.identityStack) this.addDependency(props.identityStack);
    const bucketName = stateBucketName(hub);

    this.key = new KmsKey(this, 'state-key', {
      description: `Terraform state of every environment of hub ${hub.name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policyJson(stateKeyStatements(hub)),
      // Without the key no state object can be read again: it outlives any plan.
      lifecycle: { preventDestroy: true },
    });
    new KmsAlias(this, 'state-key-alias', { name: `alias/${this.names.name('state')}`, targetKeyId: this.key.keyId });

    // Losing this bucket loses every environment's state: Terraform refuses to destroy it.
    this.bucket = new S3Bucket(this, 'state-bucket', { bucket: bucketName, lifecycle: { preventDestroy: true } });
    new S3BucketOwnershipControls(this, 'state-bucket-ownership', { bucket: this.bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketPublicAccessBlock(this, 'state-bucket-public-access-block', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketVersioningA(this, 'state-bucket-versioning', { bucket: this.bucket.id, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'state-bucket-encryption', {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: this.key.arn }, bucketKeyEnabled: true }],
    });
    new S3BucketLifecycleConfiguration(this, 'state-bucket-lifecycle', {
      bucket: this.bucket.id,
      rule: [
        {
          id: 'expire-old-state-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: days, newerNoncurrentVersions: kept }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    new S3BucketPolicy(this, 'state-bucket-policy', { bucket: this.bucket.id, policy: policyJson(stateBucketStatements(hub, bucketName)) });

    new TerraformOutput(this, 'state_bucket', { value: bucketName, description: 'Bucket every stack keeps its state in' });
    new TerraformOutput(this, 'state_key_arn', { value: this.key.arn, description: 'KMS key that encrypts the state objects' });
  }
}
