import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { policyJson, type PolicyStatement } from '@gitlab-aws/core';

export interface PodIdentityRoleProps {
  readonly roleName: string;
  readonly clusterName: string;
  /** Cluster ARN (a Terraform reference is fine): the only cluster whose pods may use the role. */
  readonly clusterArn: string;
  readonly accountId: string;
  readonly partition: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Inline policy statements. Default: none. */
  readonly statements?: readonly PolicyStatement[];
  /** AWS managed policies by name (e.g. "AmazonEBSCSIDriverPolicy"). Default: none. */
  readonly managedPolicies?: readonly string[];
  /** Permissions boundary of the role. Default: none. */
  readonly permissionsBoundaryArn?: string;
  /** Create the association here. Default: true; false when an EKS add-on associates the role itself. */
  readonly associate?: boolean;
}

/**
 * The trust of a role for EKS Pod Identity: only the Pod Identity service, only for this account
 * and this cluster, and only for the one namespace and service account the association names
 * (EKS tags the session with them, so another association to this role cannot use it).
 */
export function podIdentityTrust(p: Pick<PodIdentityRoleProps, 'clusterArn' | 'accountId' | 'namespace' | 'serviceAccount'>): PolicyStatement[] {
  return [
    {
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: {
        StringEquals: {
          'aws:SourceAccount': p.accountId,
          'aws:RequestTag/kubernetes-namespace': p.namespace,
          'aws:RequestTag/kubernetes-service-account': p.serviceAccount,
        },
        ArnEquals: { 'aws:SourceArn': p.clusterArn },
      },
    },
  ];
}

/** An IAM role one Kubernetes service account assumes through EKS Pod Identity: no keys, no OIDC provider. */
export class PodIdentityRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id);
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(props.namespace) || !/^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/.test(props.serviceAccount)) {
      throw new Error(`PodIdentityRole ${props.roleName}: namespace "${props.namespace}" and service account "${props.serviceAccount}" must be Kubernetes names (lowercase letters, digits, '-')`);
    }
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      assumeRolePolicy: policyJson(podIdentityTrust(props)),
      permissionsBoundary: props.permissionsBoundaryArn,
    });
    if (props.statements?.length) {
      new IamRolePolicy(this, 'policy', { role: this.role.id, name: 'access', policy: policyJson(props.statements) });
    }
    for (const name of props.managedPolicies ?? []) {
      new IamRolePolicyAttachment(this, `managed-${name.replace(/\//g, "-")}`, { role: this.role.name, policyArn: `arn:${props.partition}:iam::aws:policy/${name}` });
    }
    if (props.associate ?? true) {
      new EksPodIdentityAssociation(this, 'association', {
        clusterName: props.clusterName,
        namespace: props.namespace,
        serviceAccount: props.serviceAccount,
        roleArn: this.role.arn,
      });
    }
  }
}
