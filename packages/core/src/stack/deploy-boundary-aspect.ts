import type { IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';

/**
 * Puts the spoke's deploy boundary on every IAM role of a spoke stack that has none. The boundary
 * denies the deploy role any role change whose target lacks it (iam:PermissionsBoundary), so a role
 * without it could not be created by the pipeline at all; this keeps every package's roles
 * deployable without each one knowing the boundary's ARN.
 */
export class DeployBoundaryAspect implements IAspect {
  constructor(private readonly boundaryArn: string) {}

  visit(node: IConstruct): void {
    if (node instanceof IamRole && node.permissionsBoundaryInput === undefined) node.permissionsBoundary = this.boundaryArn;
  }
}
