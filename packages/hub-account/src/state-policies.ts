import { hubRoleArns, partitionOf, type PolicyStatement } from '@gitlab-aws/core';
import type { HubWithIdentity } from './hub-config';

/**
 * Who may touch which state. The pipeline roles hold no identity permissions besides assuming spoke
 * roles; the bucket and key policies grant them state access instead, and only under the listed
 * spokes' prefixes (`<spoke>/`): deploy reads and writes state, plan reads state and takes the lock
 * (the `.tflock` object S3 native locking writes). The hub's own state (`<hub>/`) is reachable by
 * the account's administrators alone, so no pipeline can rewrite the hub that trusts it.
 */
export function stateBucketStatements(hub: HubWithIdentity, bucketName: string): PolicyStatement[] {
  const bucket = `arn:${partitionOf(hub.region)}:s3:::${bucketName}`;
  const roles = hubRoleArns(hub);
  const spokes = hub.identity.spokes.map((s) => s.environment);
  const statements: PolicyStatement[] = [
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [bucket, `${bucket}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
    {
      Sid: 'DenyOutdatedTls',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [bucket, `${bucket}/*`],
      Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } },
    },
  ];
  if (!spokes.length) return statements;
  statements.push(
    { Sid: 'PipelineListStateKeys', Effect: 'Allow', Principal: { AWS: [roles.deploy, roles.plan] }, Action: 's3:ListBucket', Resource: bucket },
    {
      Sid: 'DeployReadWriteSpokeState',
      Effect: 'Allow',
      Principal: { AWS: roles.deploy },
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: spokes.map((s) => `${bucket}/${s}/*`),
    },
    { Sid: 'PlanReadSpokeState', Effect: 'Allow', Principal: { AWS: roles.plan }, Action: 's3:GetObject', Resource: spokes.map((s) => `${bucket}/${s}/*`) },
    {
      Sid: 'PlanTakeStateLock',
      Effect: 'Allow',
      Principal: { AWS: roles.plan },
      Action: ['s3:PutObject', 's3:DeleteObject'],
      Resource: spokes.map((s) => `${bucket}/${s}/*.tflock`),
    },
  );
  return statements;
}

/**
 * Key policy of the state key: the account's administrators through IAM (the usual root
 * statement), and the pipeline roles only through S3 in this region.
 */
export function stateKeyStatements(hub: HubWithIdentity): PolicyStatement[] {
  const partition = partitionOf(hub.region);
  const roles = hubRoleArns(hub);
  const viaS3 = { StringEquals: { 'kms:ViaService': `s3.${hub.region}.amazonaws.com${partition === 'aws-cn' ? '.cn' : ''}` } };
  const statements: PolicyStatement[] = [
    { Sid: 'AccountAdministersThroughIam', Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${hub.accountId}:root` }, Action: 'kms:*', Resource: '*' },
  ];
  if (!hub.identity.spokes.length) return statements;
  statements.push(
    {
      Sid: 'DeployEncryptsState',
      Effect: 'Allow',
      Principal: { AWS: roles.deploy },
      Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      Resource: '*',
      Condition: viaS3,
    },
    {
      Sid: 'PlanReadsStateAndWritesLock',
      Effect: 'Allow',
      Principal: { AWS: roles.plan },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      Resource: '*',
      Condition: viaS3,
    },
  );
  return statements;
}
