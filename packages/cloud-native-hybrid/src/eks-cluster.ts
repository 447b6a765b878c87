import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { policyJson } from '@gitlab-aws/core';
import { DEFAULT_KUBERNETES_VERSION, kubernetesVersionProblem } from './kubernetes-version';

/** Control-plane log types EKS can send to CloudWatch: all of them, for audit. */
export const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

export interface GitLabEksClusterProps {
  /** Cluster name (also the prefix of its roles, key alias and log group). */
  readonly name: string;
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;
  /** Private subnets, one per availability zone, for the control-plane interfaces and the nodes. */
  readonly subnetIds: string[];
  /** Kubernetes minor version. Default: DEFAULT_KUBERNETES_VERSION. */
  readonly kubernetesVersion?: string;
  /**
   * Networks that may reach the API server's public endpoint. Default: none (the endpoint is
   * private only; kubectl and helm run from inside the VPC: a runner, a bastion or a VPN).
   */
  readonly publicAccessCidrs?: string[];
  /** IAM roles given cluster-admin through EKS access entries (the pipeline's deploy role, break-glass). Default: none. */
  readonly adminRoleArns?: string[];
  /** Days the control-plane logs are kept. Default: 365. */
  readonly logRetentionDays?: number;
  /** Permissions boundary of the cluster role. Default: none. */
  readonly permissionsBoundaryArn?: string;
  /**
   * prevent_destroy on the secrets key: destroying it makes every Kubernetes Secret of the cluster
   * and the encrypted control-plane logs unreadable. Default: false.
   */
  readonly protect?: boolean;
}

/**
 * A private EKS cluster for GitLab's stateless parts: secrets envelope-encrypted with a key of its
 * own, every control-plane log type kept encrypted, access by EKS access entries only (no
 * aws-auth ConfigMap, no implicit admin for whoever created it).
 */
export class GitLabEksCluster extends Construct {
  readonly cluster: EksCluster;
  readonly key: KmsKey;
  readonly clusterRole: IamRole;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: GitLabEksClusterProps) {
    super(scope, id);
    const version = props.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
    const problems = [kubernetesVersionProblem(version)];
    if (props.subnetIds.length < 2) problems.push(`needs private subnets in at least 2 availability zones (EKS requires 2), got ${props.subnetIds.length}`);
    for (const cidr of props.publicAccessCidrs ?? []) {
      if (/\/0$/.test(cidr)) problems.push(`publicAccessCidrs: "${cidr}" opens the Kubernetes API to the internet; list your own networks, or leave it out for a private endpoint`);
    }
    const found = problems.filter((p): p is string => p !== undefined);
    if (found.length) throw new Error(`EKS cluster ${props.name}:\n${found.map((p) => `  - ${p}`).join('\n')}`);

    const arnPrefix = `arn:${props.partition}`;
    const logGroupName = `/aws/eks/${props.name}/cluster`;
    this.key = new KmsKey(this, 'key', {
      description: `EKS secrets and control-plane logs of ${props.name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policyJson([
        { Sid: 'AccountAdministers', Effect: 'Allow', Principal: { AWS: `${arnPrefix}:iam::${props.accountId}:root` }, Action: 'kms:*', Resource: '*' },
        {
          Sid: 'ControlPlaneLogs',
          Effect: 'Allow',
          Principal: { Service: `logs.${props.region}.amazonaws.com` },
          Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          Resource: '*',
          Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': `${arnPrefix}:logs:${props.region}:${props.accountId}:log-group:${logGroupName}` } },
        },
      ]),
      ...(props.protect ? { lifecycle: { preventDestroy: true } } : {}),
    });
    new KmsAlias(this, 'key-alias', { name: `alias/${props.name}-eks`, targetKeyId: this.key.keyId });

    // EKS creates this group itself when it is missing, unencrypted and kept forever: own it first.
    this.logGroup = new CloudwatchLogGroup(this, 'logs', { name: logGroupName, retentionInDays: props.logRetentionDays ?? 365, kmsKeyId: this.key.arn });

    this.clusterRole = new IamRole(this, 'cluster-role', {
      name: `${props.name}-cluster`,
      permissionsBoundary: props.permissionsBoundaryArn,
      assumeRolePolicy: policyJson([
        {
          Effect: 'Allow',
          Principal: { Service: 'eks.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
        },
      ]),
    });
    const clusterPolicy = new IamRolePolicyAttachment(this, 'cluster-policy', { role: this.clusterRole.name, policyArn: `${arnPrefix}:iam::aws:policy/AmazonEKSClusterPolicy` });

    const publicCidrs = props.publicAccessCidrs ?? [];
    this.cluster = new EksCluster(this, 'cluster', {
      name: props.name,
      version,
      roleArn: this.clusterRole.arn,
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      // The add-ons are managed below as EKS add-ons, so EKS must not install unmanaged copies.
      bootstrapSelfManagedAddons: false,
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      vpcConfig: {
        subnetIds: props.subnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: publicCidrs.length > 0,
        publicAccessCidrs: publicCidrs.length > 0 ? publicCidrs : undefined,
      },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: this.key.arn } },
      upgradePolicy: { supportType: 'STANDARD' },
      dependsOn: [this.logGroup, clusterPolicy],
    });

    for (const [index, principalArn] of (props.adminRoleArns ?? []).entries()) {
      const entry = new EksAccessEntry(this, `admin-${index}`, { clusterName: this.cluster.name, principalArn, type: 'STANDARD' });
      new EksAccessPolicyAssociation(this, `admin-${index}-policy`, {
        clusterName: this.cluster.name,
        principalArn: entry.principalArn,
        policyArn: `${arnPrefix}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
        accessScope: { type: 'cluster' },
      });
    }
  }

  /** Security group EKS creates for the cluster: every managed node carries it. */
  get nodeSecurityGroupId(): string {
    return this.cluster.vpcConfig.clusterSecurityGroupId;
  }
}
