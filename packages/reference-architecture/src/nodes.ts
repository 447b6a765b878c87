import { Construct } from 'constructs';
import type { EbsVolume } from '@cdktf/provider-aws/lib/ebs-volume';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { VolumeAttachment } from '@cdktf/provider-aws/lib/volume-attachment';
import type { GitLabConfig, GitLabNodeRole, ResourceNames } from '@gitlab-aws/core';
import type { RolePlan } from './architecture-plan';
import { kebab, type NodePlan } from './node-placement';
import { ROOT_VOLUME_GIB } from './sizes';

/**
 * Device name every data volume is attached as. Nitro instances show it as an NVMe device whose
 * name is not stable, so the boot script finds the volume by its ID (the NVMe serial), not by this.
 */
export const DATA_DEVICE = '/dev/sdf';

export interface NodesProps {
  readonly roles: readonly RolePlan[];
  readonly nodes: readonly NodePlan[];
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: (role: GitLabNodeRole) => string[];
  readonly instanceProfileArn: (role: GitLabNodeRole) => string;
  readonly ami: GitLabConfig['ami'];
  readonly kmsKeyArn: string;
  readonly zoneId: string;
  readonly names: ResourceNames;
  readonly protect: boolean;
  /** Data volume per node name (stateful roles), attached as DATA_DEVICE. Default: none. */
  readonly dataVolumes?: Readonly<Record<string, EbsVolume>>;
  /** User data per node (cloud-init), as text. Default: none. */
  readonly userData?: (node: NodePlan) => string | undefined;
  /**
   * User data per node, already base64 (e.g. gzipped cloud-init). Such nodes ignore later changes
   * to it: see `userDataBase64` in the constructor. Default: none.
   */
  readonly userDataBase64?: (node: NodePlan) => string | undefined;
}

/**
 * The EC2 nodes: one launch template per role (AMI resolved from SSM at launch, IMDSv2), single
 * instances (never autoscaling groups, since several roles hold state) at their planned subnet and
 * address, encrypted gp3 root and data volumes, and a private DNS name each.
 */
export class Nodes extends Construct {
  readonly instances: Record<string, Instance> = {};

  constructor(scope: Construct, id: string, props: NodesProps) {
    super(scope, id);
    const templates = new Map<GitLabNodeRole, LaunchTemplate>();
    for (const role of props.roles.filter((r) => r.deployment === 'ec2')) {
      const source = props.ami[role.spec.arch];
      templates.set(
        role.role,
        new LaunchTemplate(this, `${kebab(role.role)}-template`, {
          name: props.names.name(kebab(role.role)),
          description: `GitLab ${kebab(role.role)} nodes (${role.spec.arch})`,
          // resolve:ssm: is read at launch, so the plan needs no AMI lookup and an AMI update never replaces a node.
          imageId: source.startsWith('ami-') ? source : `resolve:ssm:${source}`,
          iamInstanceProfile: { arn: props.instanceProfileArn(role.role) },
          metadataOptions: { httpTokens: 'required', httpEndpoint: 'enabled', httpPutResponseHopLimit: 1, instanceMetadataTags: 'enabled' },
          updateDefaultVersion: true,
        }),
      );
    }
    const byRole = new Map(props.roles.map((r) => [r.role, r]));
    for (const node of props.nodes) {
      const role = byRole.get(node.role)!;
      const stateful = role.dataVolume !== undefined;
      const tags = { Name: props.names.name(node.name), GitLabRole: node.role, GitLabNode: node.name };
      const userData = props.userData?.(node);
      const userDataBase64 = props.userDataBase64?.(node);
      const instance = new Instance(this, node.name, {
        launchTemplate: { id: templates.get(node.role)!.id, version: '$Default' },
        instanceType: role.instanceType,
        subnetId: props.subnetIds[node.subnetIndex],
        ...(node.privateIp ? { privateIp: node.privateIp } : {}),
        associatePublicIpAddress: false,
        vpcSecurityGroupIds: props.securityGroupIds(node.role),
        metadataOptions: { httpTokens: 'required', httpEndpoint: 'enabled', httpPutResponseHopLimit: 1, instanceMetadataTags: 'enabled' },
        rootBlockDevice: { volumeType: 'gp3', volumeSize: ROOT_VOLUME_GIB, encrypted: true, kmsKeyId: props.kmsKeyArn, deleteOnTermination: true, tags },
        disableApiTermination: props.protect && stateful,
        ...(userData ? { userData, userDataReplaceOnChange: false } : {}),
        ...(userDataBase64 ? { userDataBase64, userDataReplaceOnChange: false } : {}),
        tags,
      });
      // cloud-init runs the GitLab boot once per instance, so new user data on a running node does
      // nothing but make the provider stop and start it (all nodes of a role at once). Ignoring
      // changes keeps running nodes, and their data, up across a version or topology change; nodes
      // created or replaced later get the current document. Running nodes are rolled with
      // gitlab-node-boot (docs/gitlab-on-nodes.md).
      if (userDataBase64) instance.lifecycle = { ...instance.lifecycle, ignoreChanges: ['user_data_base64'] };
      this.instances[node.name] = instance;
      const volume = props.dataVolumes?.[node.name];
      if (volume) new VolumeAttachment(this, `${node.name}-data-attachment`, { deviceName: DATA_DEVICE, instanceId: instance.id, volumeId: volume.id, stopInstanceBeforeDetaching: true });
      new Route53Record(this, `${node.name}-dns`, { zoneId: props.zoneId, name: node.hostname, type: 'A', ttl: 60, records: [node.privateIp ?? instance.privateIp] });
    }
  }
}
