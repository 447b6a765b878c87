import type { PolicyStatement } from '@gitlab-aws/core';

/** Read, write and list on the named buckets, and nothing else; with a CMK, its use only through S3. */
export function bucketAccessStatements(p: { partition: string; region: string; bucketNames: readonly string[]; kmsKeyArn?: string }): PolicyStatement[] {
  if (p.bucketNames.length === 0) throw new Error('bucketAccessStatements: no bucket to grant');
  const buckets = p.bucketNames.map((b) => `arn:${p.partition}:s3:::${b}`);
  const statements: PolicyStatement[] = [
    { Sid: 'ListOwnBuckets', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation', 's3:ListBucketMultipartUploads'], Resource: buckets },
    {
      Sid: 'ObjectsOfOwnBuckets',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      Resource: buckets.map((b) => `${b}/*`),
    },
  ];
  if (p.kmsKeyArn) {
    statements.push({
      Sid: 'BucketKeyThroughS3',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: p.kmsKeyArn,
      Condition: { StringEquals: { 'kms:ViaService': `s3.${p.region}.amazonaws.com` } },
    });
  }
  return statements;
}
