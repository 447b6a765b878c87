import { Construct } from 'constructs';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import type { GitLabNodeRole, ResourceNames } from '@gitlab-aws/core';
import type { RolePlan } from './architecture-plan';
import { kebab } from './node-placement';
import type { PortMatrix, SecurityGroupName } from './port-matrix';

export interface SecurityGroupsProps {
  readonly matrix: PortMatrix;
  readonly roles: readonly RolePlan[];
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly names: ResourceNames;
  /** Groups created elsewhere that rules name: the EKS cluster's security group ("kubernetes") in hybrid, a caller of the stateful roles and the external load balancer's destination. Default: none. */
  readonly externalGroupIds?: Readonly<Partial<Record<SecurityGroupName, string>>>;
}

/**
 * One security group per role, load balancer and the Consul membership, with exactly the ingress
 * rules of the port matrix: each port from the security groups that call it (never from the VPC
 * range), the external load balancer's ports from the allowed CIDRs. EC2 nodes may reach the VPC
 * and HTTP(S) out (packages, AWS APIs through NAT); managed services reach nothing.
 */
export class SecurityGroups extends Construct {
  readonly groups: Partial<Record<SecurityGroupName, SecurityGroup>> = {};

  constructor(scope: Construct, id: string, props: SecurityGroupsProps) {
    super(scope, id);
    const { matrix, names } = props;
    for (const group of matrix.groups) {
      this.groups[group] = new SecurityGroup(this, kebab(group), {
        name: names.name(kebab(group), 'securityGroup'),
        description: `GitLab ${kebab(group)}: only the ports and callers of the port matrix`,
        vpcId: props.vpcId,
        tags: { Name: names.name(kebab(group)) },
        lifecycle: { createBeforeDestroy: true },
      });
    }
    // A group created elsewhere (the EKS cluster's) can be a rule's destination too: the NLB reaches the nodes' NodePorts.
    const groupId = (name: SecurityGroupName) => props.externalGroupIds?.[name] ?? this.group(name).id;
    for (const rule of matrix.rules) {
      const to = { id: groupId(rule.to) };
      if (typeof rule.from === 'string') {
        new VpcSecurityGroupIngressRule(this, `${kebab(rule.to)}-from-${kebab(rule.from)}-${rule.protocol}-${rule.port}`, {
          securityGroupId: to.id,
          referencedSecurityGroupId: groupId(rule.from),
          ipProtocol: rule.protocol,
          fromPort: rule.port,
          toPort: rule.port,
          description: rule.purpose,
        });
      } else {
        const label = rule.from.label ?? 'cidr';
        rule.from.cidrs.forEach((cidr, i) =>
          new VpcSecurityGroupIngressRule(this, `${kebab(rule.to)}-from-${label}-${i}-${rule.protocol}-${rule.port}`, {
            securityGroupId: to.id,
            cidrIpv4: cidr,
            ipProtocol: rule.protocol,
            fromPort: rule.port,
            toPort: rule.port,
            description: rule.purpose,
          }),
        );
      }
    }
    const egress = (group: SecurityGroupName, suffix: string, rule: { cidrIpv4: string; ipProtocol: string; fromPort?: number; toPort?: number; description: string }) =>
      new VpcSecurityGroupEgressRule(this, `${kebab(group)}-egress-${suffix}`, { securityGroupId: this.group(group).id, ...rule });
    for (const role of props.roles.filter((r) => r.deployment === 'ec2')) {
      egress(role.role, 'vpc', { cidrIpv4: props.vpcCidr, ipProtocol: '-1', description: 'peers in the VPC (their groups decide what is open)' });
      egress(role.role, 'https', { cidrIpv4: '0.0.0.0/0', ipProtocol: 'tcp', fromPort: 443, toPort: 443, description: 'packages and AWS APIs' });
      egress(role.role, 'http', { cidrIpv4: '0.0.0.0/0', ipProtocol: 'tcp', fromPort: 80, toPort: 80, description: 'OS package mirrors' });
    }
    for (const lb of ['externalLb', 'internalLb'] as const) {
      if (this.groups[lb]) egress(lb, 'targets', { cidrIpv4: props.vpcCidr, ipProtocol: 'tcp', fromPort: 0, toPort: 65535, description: 'targets and health checks' });
    }
  }

  group(name: SecurityGroupName): SecurityGroup {
    const g = this.groups[name];
    if (!g) throw new Error(`SecurityGroups: no group "${name}" in this environment`);
    return g;
  }

  /** The groups a role's nodes or managed service carry. */
  groupIdsOf(matrix: PortMatrix, role: GitLabNodeRole): string[] {
    return (matrix.membership[role] ?? []).map((g) => this.group(g).id);
  }
}
