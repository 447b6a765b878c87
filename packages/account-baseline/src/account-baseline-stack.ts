import type { Construct } from 'constructs';
import { AccessanalyzerAnalyzer } from '@cdktf/provider-aws/lib/accessanalyzer-analyzer';
import { EbsEncryptionByDefault } from '@cdktf/provider-aws/lib/ebs-encryption-by-default';
import { EbsSnapshotBlockPublicAccess } from '@cdktf/provider-aws/lib/ebs-snapshot-block-public-access';
import { Ec2ImageBlockPublicAccess } from '@cdktf/provider-aws/lib/ec2-image-block-public-access';
import { Ec2InstanceMetadataDefaults } from '@cdktf/provider-aws/lib/ec2-instance-metadata-defaults';
import { IamAccountPasswordPolicy } from '@cdktf/provider-aws/lib/iam-account-password-policy';
import { S3AccountPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-account-public-access-block';
import { EnvironmentStack, type EnvironmentConfig } from '@gitlab-aws/core';

export interface AccountBaselineStackProps {
  /** The validated environment; its `baseline` section tunes the settings (all on by default). */
  readonly environment: EnvironmentConfig;
}

/**
 * Account-wide guard rails every environment gets before anything else is deployed: no public S3,
 * encrypted EBS, IMDSv2 for new instances, no public snapshots or AMIs, a strict password policy,
 * and an Access Analyzer that reports resources shared outside the account.
 */
export class AccountBaselineStack extends EnvironmentStack {
  constructor(scope: Construct, props: AccountBaselineStackProps) {
    super(scope, { environment: props.environment, component: 'baseline' });
    const settings = props.environment.baseline;

    new S3AccountPublicAccessBlock(this, 's3-public-access-block', {
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });

    new EbsEncryptionByDefault(this, 'ebs-encryption-by-default', { enabled: true });

    if (settings.requireImdsv2) {
      // Hop limit 2 so containers (Docker builds on runners) can still reach IMDS through the bridge.
      new Ec2InstanceMetadataDefaults(this, 'imds-defaults', {
        httpTokens: 'required',
        httpPutResponseHopLimit: 2,
        httpEndpoint: 'enabled',
        instanceMetadataTags: 'no-preference',
      });
    }

    if (settings.blockPublicSnapshots) {
      new EbsSnapshotBlockPublicAccess(this, 'ebs-snapshot-block-public-access', { state: 'block-all-sharing' });
      new Ec2ImageBlockPublicAccess(this, 'ami-block-public-access', { state: 'block-new-sharing' });
    }

    new IamAccountPasswordPolicy(this, 'password-policy', {
      minimumPasswordLength: settings.minimumPasswordLength,
      requireLowercaseCharacters: true,
      requireUppercaseCharacters: true,
      requireNumbers: true,
      requireSymbols: true,
      allowUsersToChangePassword: true,
      ...(settings.maxPasswordAgeDays > 0 ? { maxPasswordAge: settings.maxPasswordAgeDays } : {}),
      passwordReusePrevention: settings.passwordReusePrevention,
    });

    if (settings.accessAnalyzer) {
      new AccessanalyzerAnalyzer(this, 'access-analyzer', {
        analyzerName: this.names.name('access-analyzer'),
        type: 'ACCOUNT',
      });
    }
  }
}
