import type { GitLabTopology, NodeRole } from './topology';
import { BUCKET_TYPES, NODE_ROLES, nodesOf } from './topology';
import { internalCaFiles } from './internal-tls';
import { generatedSecrets, managedSecrets, sharedFiles, sharedSecretName, ssmParameterName, statusParameterName } from './secrets';

/**
 * What each role's instance profile must allow, as data: the infrastructure turns it into one
 * least-privilege policy per role (`iamPolicyDocument` does it with ARNs).
 */
export interface RoleIamNeeds {
  role: NodeRole;
  /** SSM SecureString parameters read with decryption and created if absent (put-parameter, no overwrite). */
  ssmSecureParameters: string[];
  /** SSM String parameter name pattern the role overwrites with its boot status. */
  ssmStatusParameter: string;
  /** Secrets Manager secrets (by name) the role reads. */
  secretsRead: string[];
  /** Secrets Manager secrets (by name) the role may create (Rails: its seed node's shared files; Gitaly, Praefect: the internal CA). */
  secretsCreate: string[];
  /** Secrets Manager secrets (by ARN, owned by RDS/ElastiCache) the role reads. */
  managedSecretArns: string[];
  /** Secrets (by ARN) only the role's seed node reads: the RDS master secrets (dedicated-login setup). */
  seedOnlySecretArns: string[];
  /** Buckets the role reads and writes (object storage, backups). */
  buckets: string[];
  /** KMS key for SecureStrings and secrets, when not the AWS managed keys. */
  kmsKeyId?: string;
}

/** IAM needs of every role present in the topology. */
export function iamNeeds(t: GitLabTopology): RoleIamNeeds[] {
  return NODE_ROLES.filter((role) => nodesOf(t, role).length > 0).map((role) => {
    const shared = [...sharedFiles(t), ...internalCaFiles(t)].filter((f) => f.roles.includes(role));
    // The all-in-one node (1k) runs Rails and Sidekiq: every bucket, like them.
    const app = role === 'rails' || role === 'sidekiq' || role === 'all-in-one';
    // Gitaly writes server-side repository backups to the backups bucket.
    const buckets = app ? BUCKET_TYPES.map((b) => t.buckets[b]) : role === 'gitaly' ? [t.buckets.backups] : [];
    return {
      role,
      ssmSecureParameters: generatedSecrets(t)
        .filter((s) => s.roles.includes(role))
        .map((s) => ssmParameterName(t, s.name)),
      ssmStatusParameter: statusParameterName(t, role, '*'),
      secretsRead: shared.map((f) => sharedSecretName(t, f.name)),
      secretsCreate: shared.filter((f) => (f.publishers ?? f.roles.slice(0, 1)).includes(role)).map((f) => sharedSecretName(t, f.name)),
      managedSecretArns: [...new Set(managedSecrets(t).filter((s) => s.roles.includes(role) && !s.seedOnly).map((s) => s.secretArn))],
      seedOnlySecretArns: [...new Set(managedSecrets(t).filter((s) => s.roles.includes(role) && s.seedOnly).map((s) => s.secretArn))],
      buckets,
      ...(t.secrets.kmsKeyId ? { kmsKeyId: t.secrets.kmsKeyId } : {}),
    };
  });
}

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/**
 * One role's needs as an IAM policy document (JSON), with ARNs for the given account. The KMS key
 * decrypts only this role's SecureStrings and secrets (the encryption context SSM and Secrets
 * Manager bind to each value), so roles sharing the key cannot read each other's secrets through
 * it. `seedInstanceArn` (the role's first instance) is required when the role has seed-only secrets.
 */
export function iamPolicyDocument(
  needs: RoleIamNeeds,
  ctx: { accountId: string; region: string; partition?: string; kmsKeyArn?: string; seedInstanceArn?: string },
): { Version: '2012-10-17'; Statement: PolicyStatement[] } {
  const p = ctx.partition ?? 'aws';
  const param = (name: string) => `arn:${p}:ssm:${ctx.region}:${ctx.accountId}:parameter/${name.replace(/^\//, '')}`;
  // Secrets Manager appends "-" and six random characters to every secret ARN.
  const secret = (name: string) => `arn:${p}:secretsmanager:${ctx.region}:${ctx.accountId}:secret:${name}-??????`;
  const statements: PolicyStatement[] = [];
  if (needs.ssmSecureParameters.length > 0)
    statements.push({ Sid: 'GeneratedSecrets', Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:PutParameter'], Resource: needs.ssmSecureParameters.map(param) });
  statements.push({ Sid: 'BootStatus', Effect: 'Allow', Action: ['ssm:PutParameter'], Resource: [param(needs.ssmStatusParameter)] });
  if (needs.secretsRead.length > 0) statements.push({ Sid: 'SharedFilesRead', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: needs.secretsRead.map(secret) });
  if (needs.secretsCreate.length > 0)
    statements.push({ Sid: 'SharedFilesCreate', Effect: 'Allow', Action: ['secretsmanager:CreateSecret'], Resource: needs.secretsCreate.map(secret) });
  if (needs.managedSecretArns.length > 0)
    statements.push({ Sid: 'ManagedCredentials', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: needs.managedSecretArns });
  if (needs.seedOnlySecretArns.length > 0) {
    if (!ctx.seedInstanceArn) throw new Error(`iamPolicyDocument: ${needs.role} has seed-only secrets (the RDS master secret); pass the seed instance's ARN as seedInstanceArn`);
    // Instance-profile credentials carry the instance's ARN: only the seed node may read the master secret.
    statements.push({
      Sid: 'DatabaseMasterSeedOnly',
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue'],
      Resource: needs.seedOnlySecretArns,
      Condition: { StringEquals: { 'ec2:SourceInstanceARN': ctx.seedInstanceArn } },
    });
  }
  if (needs.buckets.length > 0) {
    statements.push(
      { Sid: 'ObjectStorageBuckets', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation', 's3:ListBucketMultipartUploads'], Resource: needs.buckets.map((b) => `arn:${p}:s3:::${b}`) },
      {
        Sid: 'ObjectStorageObjects',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        Resource: needs.buckets.map((b) => `arn:${p}:s3:::${b}/*`),
      },
    );
  }
  if (ctx.kmsKeyArn) {
    if (needs.buckets.length > 0) {
      // The buckets encrypt with the environment key (SSE-KMS): usable through S3 only.
      statements.push({ Sid: 'ObjectStorageKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: [ctx.kmsKeyArn], Condition: { StringEquals: { 'kms:ViaService': `s3.${ctx.region}.amazonaws.com` } } });
    }
    if (needs.ssmSecureParameters.length > 0) {
      statements.push({
        Sid: 'SecureStringKey',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
        Resource: [ctx.kmsKeyArn],
        Condition: { StringEquals: { 'kms:ViaService': `ssm.${ctx.region}.amazonaws.com`, 'kms:EncryptionContext:PARAMETER_ARN': needs.ssmSecureParameters.map(param) } },
      });
    }
    const secretArns = [...needs.secretsRead.map(secret), ...needs.managedSecretArns, ...needs.seedOnlySecretArns];
    if (secretArns.length > 0) {
      statements.push({
        Sid: 'SecretsKey',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: [ctx.kmsKeyArn],
        Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${ctx.region}.amazonaws.com` }, StringLike: { 'kms:EncryptionContext:SecretARN': secretArns } },
      });
    }
  }
  return { Version: '2012-10-17', Statement: statements };
}
