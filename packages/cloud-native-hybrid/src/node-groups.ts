import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { policyJson } from '@gitlab-aws/core';
import { POOL_NAMES, type PoolName, type PoolSpec } from './node-pools';

/** The node label each pool carries; the chart values pin components to pools with it. */
export const POOL_LABEL = 'gitlab.com/node-pool';

/** Name (and label value) of the optional load-test pool; load-tests' operator command takes it as --node-pool. */
export const LOAD_TEST_POOL = 'load-test';

/** AWS managed policies a node needs: join the cluster and pull images. Pod networking has its own role (Pod Identity of the VPC CNI). */
export const NODE_MANAGED_POLICIES = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly'] as const;

/** Root volume of every pool's nodes (container images and logs), GiB. */
export const DEFAULT_NODE_ROOT_GIB = 100;

export interface GitLabNodeGroupsProps {
  readonly clusterName: string;
  readonly partition: string;
  /** Private subnets, one per availability zone: each group spreads over all of them. */
  readonly subnetIds: string[];
  /** Pools to create, from the size's hybrid table. */
  readonly pools: Readonly<Record<PoolName, PoolSpec>>;
  /** The autoscaler may grow a pool up to this many times its table count. Default: 2. */
  readonly maxScaleFactor?: number;
  /** Root volume per node in GiB (images and emptyDir). Default: 100. */
  readonly rootVolumeGiB?: number;
  /** KMS key for the root volumes. Default: the account's EBS default key. */
  readonly volumeKmsKeyArn?: string;
  /** Permissions boundary of the node role. Default: none. */
  readonly permissionsBoundaryArn?: string;
  /**
   * A pool for k6-operator load-test runners: tainted so GitLab's pods never land on it, zero nodes
   * until a run asks for them (the cluster autoscaler learns its label and taint from the node
   * group). Default: none.
   */
  readonly loadTestPool?: { readonly instanceType?: string; readonly maxNodes?: number };
  /** Created after these (the add-ons nodes need before they can become Ready). */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * One managed node group per pool of GitLab's hybrid table. The table's count is the floor (the
 * autoscaler never goes below it); IMDSv2 with a hop limit of 1 keeps pods away from the node
 * role, so pods get AWS access only through Pod Identity.
 */
export class GitLabNodeGroups extends Construct {
  readonly nodeRole: IamRole;
  readonly groups: Record<PoolName, EksNodeGroup>;
  readonly loadTestGroup?: EksNodeGroup;

  constructor(scope: Construct, id: string, props: GitLabNodeGroupsProps) {
    super(scope, id);
    const factor = props.maxScaleFactor ?? 2;
    if (!Number.isInteger(factor) || factor < 1 || factor > 10) throw new Error(`node groups of ${props.clusterName}: maxScaleFactor must be an integer from 1 to 10, got ${factor}`);
    const rootGiB = props.rootVolumeGiB ?? DEFAULT_NODE_ROOT_GIB;
    if (rootGiB < 20) throw new Error(`node groups of ${props.clusterName}: rootVolumeGiB must be at least 20 (images need room), got ${rootGiB}`);

    this.nodeRole = new IamRole(this, 'node-role', {
      name: `${props.clusterName}-node`,
      permissionsBoundary: props.permissionsBoundaryArn,
      assumeRolePolicy: policyJson([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]),
    });
    const attachments = NODE_MANAGED_POLICIES.map(
      (name) => new IamRolePolicyAttachment(this, `node-${name}`, { role: this.nodeRole.name, policyArn: `arn:${props.partition}:iam::aws:policy/${name}` }),
    );

    const loadTest = props.loadTestPool && { instanceType: props.loadTestPool.instanceType ?? 'c5.xlarge', maxNodes: props.loadTestPool.maxNodes ?? 4 };
    if (loadTest && (!Number.isInteger(loadTest.maxNodes) || loadTest.maxNodes < 1 || loadTest.maxNodes > 50)) {
      throw new Error(`node groups of ${props.clusterName}: loadTestPool.maxNodes must be an integer from 1 to 50, got ${loadTest.maxNodes}`);
    }
    const pools: { name: string; instanceType: string; min: number; max: number; taint: boolean }[] = POOL_NAMES.map((pool) => ({
      name: pool,
      instanceType: props.pools[pool].instanceType,
      min: props.pools[pool].count,
      max: props.pools[pool].count * factor,
      taint: false,
    }));
    if (loadTest) pools.push({ name: LOAD_TEST_POOL, instanceType: loadTest.instanceType, min: 0, max: loadTest.maxNodes, taint: true });

    const groups: Record<string, EksNodeGroup> = {};
    for (const { name: pool, instanceType, min, max, taint } of pools) {
      const template = new LaunchTemplate(this, `${pool}-template`, {
        name: `${props.clusterName}-${pool}`,
        metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1, instanceMetadataTags: 'disabled' },
        blockDeviceMappings: [
          { deviceName: '/dev/xvda', ebs: { volumeSize: rootGiB, volumeType: 'gp3', encrypted: 'true', kmsKeyId: props.volumeKmsKeyArn, deleteOnTermination: 'true' } },
        ],
        tagSpecifications: [{ resourceType: 'instance', tags: { Name: `${props.clusterName}-${pool}` } }],
      });
      groups[pool] = new EksNodeGroup(this, pool, {
        clusterName: props.clusterName,
        nodeGroupName: pool,
        nodeRoleArn: this.nodeRole.arn,
        subnetIds: props.subnetIds,
        instanceTypes: [instanceType],
        amiType: /^[a-z]+\d+g/.test(instanceType) ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD',
        scalingConfig: { minSize: min, desiredSize: min, maxSize: max },
        updateConfig: { maxUnavailable: 1 },
        labels: { [POOL_LABEL]: pool },
        taint: taint ? [{ key: POOL_LABEL, value: pool, effect: 'NO_SCHEDULE' }] : undefined,
        launchTemplate: { id: template.id, version: template.latestVersion.toString() },
        dependsOn: [...attachments, ...(props.dependsOn ?? [])],
        // The cluster autoscaler owns the running size once the group exists.
        lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
      });
    }
    this.loadTestGroup = groups[LOAD_TEST_POOL];
    this.groups = Object.fromEntries(POOL_NAMES.map((p) => [p, groups[p]])) as Record<PoolName, EksNodeGroup>;
  }
}
