import { Construct } from 'constructs';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { ec2AssumeRolePolicy, type PolicyDocument } from './iam-policies';

export interface InstanceRoleProps {
  /** Role and instance profile name. */
  readonly name: string;
  readonly partition: string;
  /** Inline policies by name. Default: none (Session Manager only). */
  readonly policies?: Record<string, PolicyDocument>;
}

/** An EC2 role reachable through SSM Session Manager (no SSH), plus the inline policies given. */
export class InstanceRole extends Construct {
  readonly role: IamRole;
  readonly profile: IamInstanceProfile;

  constructor(scope: Construct, id: string, props: InstanceRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, 'role', { name: props.name, assumeRolePolicy: ec2AssumeRolePolicy() });
    new IamRolePolicyAttachment(this, 'ssm-core', {
      role: this.role.name,
      policyArn: `arn:${props.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
    });
    for (const [name, policy] of Object.entries(props.policies ?? {})) {
      new IamRolePolicy(this, `policy-${name}`, { role: this.role.id, name, policy: JSON.stringify(policy) });
    }
    this.profile = new IamInstanceProfile(this, 'profile', { name: props.name, role: this.role.name });
  }
}
