import { Construct } from 'constructs';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { amiParameter } from './fleet-settings';

export interface RunnerLaunchTemplateProps {
  readonly name: string;
  readonly architecture: 'arm64' | 'x86_64';
  /** Plain-text user data; encoded here. Must hold no secret. */
  readonly userData: string;
  readonly securityGroupIds: string[];
  readonly instanceProfileArn: string;
  readonly volumeSizeGb: number;
  /** Set for a single-type group (the manager); mixed-instance groups give types as overrides. Default: none. */
  readonly instanceType?: string;
  /** Image. Default: Amazon Linux 2023 through its public SSM parameter (resolved at launch). */
  readonly imageId?: string;
  /**
   * IMDS hop limit. Default: 1: the token answer cannot cross the extra hop of a Docker bridge, so
   * job containers cannot take the instance role (builds get AWS access through OIDC instead).
   */
  readonly metadataHopLimit?: number;
  /** Tags of the instances and volumes it launches. */
  readonly tags: Record<string, string>;
}

/**
 * Launch template with the fleet's security baseline: IMDSv2 only with hop limit 1 (processes on
 * the host reach the metadata service, containers on a Docker bridge do not), an encrypted gp3 root
 * volume, no public IP, and no SSH key (Session Manager instead).
 */
export class RunnerLaunchTemplate extends Construct {
  readonly template: LaunchTemplate;

  constructor(scope: Construct, id: string, props: RunnerLaunchTemplateProps) {
    super(scope, id);
    const hopLimit = props.metadataHopLimit ?? 1;
    if (!Number.isInteger(hopLimit) || hopLimit < 1 || hopLimit > 64) throw new Error(`RunnerLaunchTemplate "${props.name}": metadataHopLimit must be an integer 1-64, got ${hopLimit}`);
    this.template = new LaunchTemplate(this, 'template', {
      name: props.name,
      description: 'GitLab Runner fleet (packages/runner-fleet)',
      imageId: props.imageId ?? amiParameter(props.architecture),
      instanceType: props.instanceType,
      updateDefaultVersion: true,
      userData: Buffer.from(props.userData, 'utf8').toString('base64'),
      iamInstanceProfile: { arn: props.instanceProfileArn },
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: hopLimit, instanceMetadataTags: 'disabled' },
      networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: 'false', deleteOnTermination: 'true', securityGroups: props.securityGroupIds }],
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: { volumeSize: props.volumeSizeGb, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' },
        },
      ],
      monitoring: { enabled: true },
      tagSpecifications: [
        { resourceType: 'instance', tags: props.tags },
        { resourceType: 'volume', tags: props.tags },
      ],
    });
  }
}
