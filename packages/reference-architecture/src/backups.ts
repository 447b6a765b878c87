import { Construct } from 'constructs';
import { BackupPlan } from '@cdktf/provider-aws/lib/backup-plan';
import { BackupSelection } from '@cdktf/provider-aws/lib/backup-selection';
import { BackupVault } from '@cdktf/provider-aws/lib/backup-vault';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { enclosingAccountId, fitName, serviceTrustPolicy, type ResourceNames } from '@gitlab-aws/core';
import { preventDestroy } from './protect';

export interface BackupsProps {
  readonly names: ResourceNames;
  readonly partition: string;
  readonly kmsKeyArn: string;
  /** Resources carrying this tag with the environment's name are backed up. */
  readonly tagKey: string;
  readonly retentionDays: number;
  readonly schedule: string;
  readonly protect: boolean;
}

/**
 * AWS Backup for the volumes that hold repositories and databases: an encrypted vault, a daily
 * plan, and a tag-based selection (a new Gitaly or database volume is covered by its tag alone).
 */
export class Backups extends Construct {
  readonly vault: BackupVault;

  constructor(scope: Construct, id: string, props: BackupsProps) {
    super(scope, id);
    const { names } = props;
    this.vault = new BackupVault(this, 'vault', { name: fitName(names.name('vault'), 50), kmsKeyArn: props.kmsKeyArn, forceDestroy: false });
    preventDestroy(props.protect, this.vault);
    const plan = new BackupPlan(this, 'plan', {
      name: names.name('daily'),
      rule: [{ ruleName: 'daily', targetVaultName: this.vault.name, schedule: props.schedule, startWindow: 60, completionWindow: 360, lifecycle: { deleteAfter: props.retentionDays } }],
    });
    const role = new IamRole(this, 'role', {
      name: names.name('backup', 'iamRole'),
      // Only AWS Backup acting for this account (confused-deputy guard). AWS Backup documents no
      // aws:SourceArn for its service role, so the account is the whole condition.
      assumeRolePolicy: serviceTrustPolicy({
        service: 'backup.amazonaws.com',
        account: enclosingAccountId(this, 'Backups: the backup role\'s aws:SourceAccount condition needs the account: build Backups inside an EnvironmentStack'),
      }),
    });
    for (const [i, policy] of ['AWSBackupServiceRolePolicyForBackup', 'AWSBackupServiceRolePolicyForRestores'].entries()) {
      new IamRolePolicyAttachment(this, `role-policy-${i}`, { role: role.name, policyArn: `arn:${props.partition}:iam::aws:policy/service-role/${policy}` });
    }
    new BackupSelection(this, 'selection', {
      name: names.name('tagged'),
      planId: plan.id,
      iamRoleArn: role.arn,
      resources: ['*'],
      selectionTag: [{ type: 'STRINGEQUALS', key: props.tagKey, value: names.environment }],
    });
  }
}
