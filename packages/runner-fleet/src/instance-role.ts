import { Construct } from 'constructs';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SESSION_MANAGER_POLICY } from '@gitlab-aws/core';
import { ec2AssumeRolePolicy, type PolicyDocument } from './iam-policies';

export interface InstanceRoleProps {
  /** Role and instance profile name. */
  readonly name: string;
  /** Inline policies by name. Default: none (Session Manager only). */
  readonly policies?: Record<string, PolicyDocument>;
}

/** An EC2 role reachable through SSM Session Manager (no SSH; the agent's scoped policy), plus the inline policies given. */
export class InstanceRole extends Construct {
  readonly role: IamRole;
  readonly profile: IamInstanceProfile;

  constructor(scope: Construct, id: string, props: InstanceRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, 'role', { name: props.name, assumeRolePolicy: ec2AssumeRolePolicy() });
    // Not AmazonSSMManagedInstanceCore: its ssm:GetParameter(s) on every parameter would let a
    // merge-request fleet read the deploy fleet's token. Each role reads its own parameter only.
    new IamRolePolicy(this, 'session-manager', { role: this.role.id, name: 'session-manager', policy: JSON.stringify(SESSION_MANAGER_POLICY) });
    for (const [name, policy] of Object.entries(props.policies ?? {})) {
      new IamRolePolicy(this, `policy-${name}`, { role: this.role.id, name, policy: JSON.stringify(policy) });
    }
    this.profile = new IamInstanceProfile(this, 'profile', { name: props.name, role: this.role.name });
  }
}
