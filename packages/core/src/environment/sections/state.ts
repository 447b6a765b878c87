import { z } from 'zod';
import { iamRoleName } from './primitives';

/** Where Terraform state lives: one S3 bucket in the hub account, one key per stack. */
export const stateSection = z
  .strictObject({
    /** Bucket name. Default: derived, `<prefix>-<hub account>-<hub region>`. */
    bucket: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'expected an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens' })
      .optional(),
    /** Prefix of the derived bucket name. Default: "gitlab-aws-tfstate". */
    bucketPrefix: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{1,30}$/, { error: 'expected 2-31 lowercase letters, digits and hyphens' })
      .default('gitlab-aws-tfstate'),
    /** Role in the hub account that the backend assumes to reach the bucket. Default: none (ambient credentials). */
    roleName: iamRoleName.optional(),
    /** KMS key (ARN or alias) that encrypts state objects. Default: the bucket's default encryption. */
    kmsKeyId: z
      .string()
      .regex(/^(arn:aws[\w-]*:kms:[\w-]+:\d{12}:(key|alias)\/[\w/-]+|alias\/[\w/-]+)$/, {
        error: 'expected a KMS key ARN or an alias such as "alias/terraform-state"',
      })
      .optional(),
  })
  .default({ bucketPrefix: 'gitlab-aws-tfstate' });
