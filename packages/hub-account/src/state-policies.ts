import { breakGlassRoleArn, hubPipelineRoleArns, partitionOf, SECRET_STATE_FOLDER, type PolicyStatement } from '@gitlab-aws/core';
import type { HubWithIdentity } from './hub-config';

/** What the plan role may never do to state objects: write or delete them, lock files included. */
export const PLAN_DENIED_WRITES = ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectAcl', 's3:RestoreObject'];
/** How state holding secrets could be read: the plan role gets neither. */
export const PLAN_DENIED_SECRET_READS = ['s3:GetObject', 's3:GetObjectVersion'];

/**
 * Who may touch which state. The pipeline roles hold no identity permissions besides assuming spoke
 * roles; the bucket and key policies grant them state access instead, and only under the listed
 * spokes' prefixes (`<spoke>/`): the deploy role the non-protected spokes', the protected deploy
 * role the protected spokes'; the plan role reads state but never writes (merge-request plans run
 * without the lock) and never reads `<spoke>/secrets/`. Nobody but these roles and the named
 * break-glass role reaches the bucket at all, so the hub's own state (`<hub>/`) is the break-glass
 * role's alone.
 */
export function stateBucketStatements(hub: HubWithIdentity, bucketName: string): PolicyStatement[] {
  const bucket = `arn:${partitionOf(hub.region)}:s3:::${bucketName}`;
  const roles = hubPipelineRoleArns(hub);
  const spokes = hub.identity.spokes;
  const prefixes = (list: typeof spokes) => list.map((s) => `${bucket}/${s.environment}/*`);
  const both = [bucket, `${bucket}/*`];
  const statements: PolicyStatement[] = [
    { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: both, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    { Sid: 'DenyOutdatedTls', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: both, Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } } },
    {
      Sid: 'DenyEveryoneButPipelineAndBreakGlass',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: both,
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': [roles.deploy, roles.protectedDeploy, roles.plan, breakGlassRoleArn(hub, hub.identity)] } },
    },
    { Sid: 'DenyPlanWrites', Effect: 'Deny', Principal: { AWS: roles.plan }, Action: PLAN_DENIED_WRITES, Resource: `${bucket}/*` },
    { Sid: 'DenyPlanSecretState', Effect: 'Deny', Principal: { AWS: roles.plan }, Action: PLAN_DENIED_SECRET_READS, Resource: `${bucket}/*/${SECRET_STATE_FOLDER}/*` },
  ];
  if (!spokes.length) return statements;
  const open = spokes.filter((s) => !s.protected);
  const guarded = spokes.filter((s) => s.protected);
  const readWrite = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'];
  const pipeline = [roles.deploy, roles.protectedDeploy, roles.plan];
  statements.push({ Sid: 'PipelineListStateKeys', Effect: 'Allow', Principal: { AWS: pipeline }, Action: 's3:ListBucket', Resource: bucket });
  if (open.length) statements.push({ Sid: 'DeployReadWriteSpokeState', Effect: 'Allow', Principal: { AWS: roles.deploy }, Action: readWrite, Resource: prefixes(open) });
  if (guarded.length) {
    statements.push({ Sid: 'ProtectedDeployReadWriteState', Effect: 'Allow', Principal: { AWS: roles.protectedDeploy }, Action: readWrite, Resource: prefixes(guarded) });
  }
  statements.push({ Sid: 'PlanReadSpokeState', Effect: 'Allow', Principal: { AWS: roles.plan }, Action: 's3:GetObject', Resource: spokes.map((s) => `${bucket}/${s.environment}/*.tfstate`) });
  return statements;
}

/**
 * Key policy of the state key: the account's administrators through IAM (the usual root
 * statement), and the pipeline roles only through S3 in this region; the plan role may decrypt
 * but not make data keys (it writes nothing).
 */
export function stateKeyStatements(hub: HubWithIdentity): PolicyStatement[] {
  const partition = partitionOf(hub.region);
  const roles = hubPipelineRoleArns(hub);
  const viaS3 = { StringEquals: { 'kms:ViaService': `s3.${hub.region}.amazonaws.com${partition === 'aws-cn' ? '.cn' : ''}` } };
  const statements: PolicyStatement[] = [
    { Sid: 'AccountAdministersThroughIam', Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${hub.accountId}:root` }, Action: 'kms:*', Resource: '*' },
  ];
  if (!hub.identity.spokes.length) return statements;
  statements.push(
    {
      Sid: 'DeployEncryptsState',
      Effect: 'Allow',
      Principal: { AWS: [roles.deploy, roles.protectedDeploy] },
      Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      Resource: '*',
      Condition: viaS3,
    },
    { Sid: 'PlanReadsState', Effect: 'Allow', Principal: { AWS: roles.plan }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*', Condition: viaS3 },
  );
  return statements;
}
