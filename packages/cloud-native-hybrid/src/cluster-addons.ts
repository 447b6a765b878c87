import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { PodIdentityRole } from './pod-identity-role';

/** Add-ons nodes need before they can become Ready (DaemonSets: they install with no node yet). */
export const NODE_ADDONS = ['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent'] as const;
/** Add-ons that run as Deployments: created once nodes exist, or they wait for scheduling until they time out. */
export const WORKLOAD_ADDONS = ['coredns', 'aws-ebs-csi-driver'] as const;

export interface ClusterAddonsProps {
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly accountId: string;
  readonly partition: string;
  /** Permissions boundary of the add-on roles. Default: none. */
  readonly permissionsBoundaryArn?: string;
}

/**
 * EKS-managed add-ons, each at the default version EKS picks for the cluster's Kubernetes version
 * (EKS keeps them patched; pin `addonVersion` per environment if you need to hold one). The VPC CNI
 * and the EBS CSI driver get their AWS access through Pod Identity, not the node role.
 */
export class ClusterAddons extends Construct {
  readonly nodeAddons: EksAddon[] = [];
  private readonly props: ClusterAddonsProps;

  constructor(scope: Construct, id: string, props: ClusterAddonsProps) {
    super(scope, id);
    this.props = props;
    const cni = this.role('vpc-cni', 'aws-node', ['AmazonEKS_CNI_Policy']);
    for (const name of NODE_ADDONS) {
      this.nodeAddons.push(
        new EksAddon(this, name, {
          clusterName: props.clusterName,
          addonName: name,
          resolveConflictsOnCreate: 'OVERWRITE',
          resolveConflictsOnUpdate: 'PRESERVE',
          podIdentityAssociation: name === 'vpc-cni' ? [{ roleArn: cni.role.arn, serviceAccount: 'aws-node' }] : undefined,
        }),
      );
    }
  }

  /** The add-ons that need running nodes; call after the node groups exist. */
  addWorkloadAddons(nodeGroups: ITerraformDependable[]): EksAddon[] {
    const ebs = this.role('ebs-csi', 'ebs-csi-controller-sa', ['service-role/AmazonEBSCSIDriverPolicy']);
    return WORKLOAD_ADDONS.map(
      (name) =>
        new EksAddon(this, name, {
          clusterName: this.props.clusterName,
          addonName: name,
          resolveConflictsOnCreate: 'OVERWRITE',
          resolveConflictsOnUpdate: 'PRESERVE',
          podIdentityAssociation: name === 'aws-ebs-csi-driver' ? [{ roleArn: ebs.role.arn, serviceAccount: 'ebs-csi-controller-sa' }] : undefined,
          dependsOn: nodeGroups,
        }),
    );
  }

  private role(suffix: string, serviceAccount: string, managedPolicies: string[]): PodIdentityRole {
    return new PodIdentityRole(this, `${suffix}-role`, {
      roleName: `${this.props.clusterName}-${suffix}`,
      clusterName: this.props.clusterName,
      clusterArn: this.props.clusterArn,
      accountId: this.props.accountId,
      partition: this.props.partition,
      namespace: 'kube-system',
      serviceAccount,
      managedPolicies,
      permissionsBoundaryArn: this.props.permissionsBoundaryArn,
      // The add-on creates the association from its podIdentityAssociation block.
      associate: false,
    });
  }
}
