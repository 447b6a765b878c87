import { Construct } from 'constructs';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { ResourceNames } from '@gitlab-aws/core';
import { preventDestroy } from './protect';

export interface EncryptionKeyProps {
  readonly names: ResourceNames;
  readonly accountId: string;
  /** AWS partition, e.g. "aws". */
  readonly partition: string;
  /** prevent_destroy and the longest deletion window. */
  readonly protect: boolean;
}

/**
 * The environment's customer-managed KMS key for EBS, S3, RDS, ElastiCache and backups, rotated
 * yearly. The key policy delegates to IAM in the account (node roles get only what they need).
 */
export class EncryptionKey extends Construct {
  readonly key: KmsKey;
  /** "alias/<name>": known at synth, so user data can name the key without a Terraform reference. */
  readonly aliasName: string;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    this.key = new KmsKey(this, 'key', {
      description: `GitLab data of ${props.names.environment}`,
      enableKeyRotation: true,
      deletionWindowInDays: props.protect ? 30 : 7,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Sid: 'AccountAdministersThroughIam', Effect: 'Allow', Principal: { AWS: `arn:${props.partition}:iam::${props.accountId}:root` }, Action: 'kms:*', Resource: '*' }],
      }),
    });
    this.aliasName = `alias/${props.names.name('data')}`;
    new KmsAlias(this, 'alias', { name: this.aliasName, targetKeyId: this.key.keyId });
    preventDestroy(props.protect, this.key);
  }
}
