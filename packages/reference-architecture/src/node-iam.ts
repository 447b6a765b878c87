import { Construct } from 'constructs';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SESSION_MANAGER_POLICY, type GitLabNodeRole, type ResourceNames } from '@gitlab-aws/core';
import { kebab } from './node-placement';

/** Roles that read and write object storage (GitLab's `use_iam_profile`); 1k's all-in-one node runs Rails and Sidekiq. */
export const OBJECT_STORAGE_ROLES: readonly GitLabNodeRole[] = ['rails', 'sidekiq', 'allInOne'];

export interface NodeIamProps {
  readonly roles: readonly GitLabNodeRole[];
  readonly names: ResourceNames;
  readonly partition: string;
  readonly bucketArns: readonly string[];
  readonly kmsKeyArn: string;
  readonly permissionsBoundaryArn?: string;
}

/**
 * An instance role and profile per node role: Session Manager for every node (no SSH keys, and
 * no read access to SSM parameters beyond what the role's own boot policy grants), and
 * object storage with its KMS key only for Rails and Sidekiq. Later capabilities add to a role
 * through `roles` (e.g. reading its own secrets).
 */
export class NodeIam extends Construct {
  readonly roles: Partial<Record<GitLabNodeRole, IamRole>> = {};
  readonly profiles: Partial<Record<GitLabNodeRole, IamInstanceProfile>> = {};

  constructor(scope: Construct, id: string, props: NodeIamProps) {
    super(scope, id);
    for (const role of props.roles) {
      const name = props.names.name(`${kebab(role)}-node`, 'iamRole');
      const iamRole = new IamRole(this, `${kebab(role)}-role`, {
        name,
        description: `GitLab ${kebab(role)} nodes`,
        assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
        ...(props.permissionsBoundaryArn ? { permissionsBoundary: props.permissionsBoundaryArn } : {}),
      });
      new IamRolePolicy(this, `${kebab(role)}-session-manager`, { role: iamRole.id, name: 'session-manager', policy: JSON.stringify(SESSION_MANAGER_POLICY) });
      if (OBJECT_STORAGE_ROLES.includes(role)) {
        new IamRolePolicy(this, `${kebab(role)}-object-storage`, {
          role: iamRole.id,
          name: 'object-storage',
          policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              { Sid: 'Buckets', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation', 's3:ListBucketMultipartUploads'], Resource: props.bucketArns },
              {
                Sid: 'Objects',
                Effect: 'Allow',
                Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
                Resource: props.bucketArns.map((a) => `${a}/*`),
              },
              { Sid: 'BucketKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: props.kmsKeyArn },
            ],
          }),
        });
      }
      this.roles[role] = iamRole;
      this.profiles[role] = new IamInstanceProfile(this, `${kebab(role)}-profile`, { name, role: iamRole.name });
    }
  }

  /** Adds an inline policy to a role's instance role (e.g. what the GitLab configuration needs at boot). */
  addPolicy(role: GitLabNodeRole, name: string, document: object): IamRolePolicy {
    const iamRole = this.roles[role];
    if (!iamRole) throw new Error(`NodeIam: no instance role for "${role}" in this environment`);
    return new IamRolePolicy(this, `${kebab(role)}-${name}`, { role: iamRole.id, name, policy: JSON.stringify(document) });
  }
}
