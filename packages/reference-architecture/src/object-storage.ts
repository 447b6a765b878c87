import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import type { ResourceNames } from '@gitlab-aws/core';
import { preventDestroy } from './protect';

/** Object-storage types GitLab uses, one bucket each (no registry: the container registry is not enabled). */
export const OBJECT_STORAGE_TYPES = ['artifacts', 'backups', 'dependency-proxy', 'lfs', 'mr-diffs', 'packages', 'terraform-state', 'uploads', 'ci-secure-files'] as const;
export type ObjectStorageType = (typeof OBJECT_STORAGE_TYPES)[number];

/** Types whose objects exist nowhere else: versioned, so an overwrite or delete can be undone. Artifacts expire by design and the dependency proxy is a cache. */
export const VERSIONED_TYPES: readonly ObjectStorageType[] = ['backups', 'lfs', 'mr-diffs', 'packages', 'terraform-state', 'uploads', 'ci-secure-files'];

export interface ObjectStorageProps {
  readonly names: ResourceNames;
  readonly accountId: string;
  readonly kmsKeyArn: string;
  /** prevent_destroy on the buckets. */
  readonly protect: boolean;
  /** Days old versions are kept. Default: 30. */
  readonly noncurrentVersionDays?: number;
}

/**
 * GitLab's object storage: one private bucket per type, SSE-KMS with bucket keys, owner-enforced
 * (no ACLs), TLS-only, versioned where data loss matters, and lifecycle rules that clean up
 * incomplete uploads and old versions.
 */
export class ObjectStorage extends Construct {
  /** Bucket name per type. */
  readonly bucketNames: Record<ObjectStorageType, string>;
  readonly bucketArns: string[] = [];

  constructor(scope: Construct, id: string, props: ObjectStorageProps) {
    super(scope, id);
    const names = {} as Record<ObjectStorageType, string>;
    for (const type of OBJECT_STORAGE_TYPES) {
      const name = props.names.bucket(type, props.accountId);
      names[type] = name;
      const bucket = new S3Bucket(this, type, { bucket: name, forceDestroy: false, tags: { GitLabObjectStorage: type } });
      this.bucketArns.push(bucket.arn);
      new S3BucketPublicAccessBlock(this, `${type}-public-access-block`, { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
      new S3BucketOwnershipControls(this, `${type}-ownership`, { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
      new S3BucketServerSideEncryptionConfigurationA(this, `${type}-encryption`, {
        bucket: bucket.id,
        rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }],
      });
      new S3BucketPolicy(this, `${type}-policy`, {
        bucket: bucket.id,
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Sid: 'TlsOnly', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [bucket.arn, `${bucket.arn}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
        }),
      });
      const versioned = VERSIONED_TYPES.includes(type);
      if (versioned) new S3BucketVersioningA(this, `${type}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
      new S3BucketLifecycleConfiguration(this, `${type}-lifecycle`, {
        bucket: bucket.id,
        rule: [
          { id: 'abort-incomplete-uploads', status: 'Enabled', filter: [{ prefix: '' }], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }] },
          ...(versioned
            ? [{ id: 'expire-old-versions', status: 'Enabled', filter: [{ prefix: '' }], noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? 30 }] }]
            : []),
        ],
      });
      preventDestroy(props.protect, bucket);
    }
    this.bucketNames = names;
  }
}
