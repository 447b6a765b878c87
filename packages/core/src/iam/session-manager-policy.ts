import { policyDocument, type PolicyDocument } from './policy-document';

/**
 * What the SSM agent needs on an instance for Session Manager and Run Command: AWS's
 * AmazonSSMManagedInstanceCore (version v2) without `ssm:GetParameter` and `ssm:GetParameters`,
 * which that policy grants on every parameter and would let any instance read any role's
 * secrets. Each role reads its own parameters through a policy of its own, by path. The actions
 * here take no resource-level permissions (Service Authorization Reference), hence "*".
 */
export const SESSION_MANAGER_POLICY: PolicyDocument = policyDocument([
  {
    Sid: 'SsmAgent',
    Effect: 'Allow',
    Action: [
      'ssm:DescribeAssociation',
      'ssm:GetDeployablePatchSnapshotForInstance',
      'ssm:GetDocument',
      'ssm:DescribeDocument',
      'ssm:GetManifest',
      'ssm:ListAssociations',
      'ssm:ListInstanceAssociations',
      'ssm:PutInventory',
      'ssm:PutComplianceItems',
      'ssm:PutConfigurePackageResult',
      'ssm:UpdateAssociationStatus',
      'ssm:UpdateInstanceAssociationStatus',
      'ssm:UpdateInstanceInformation',
    ],
    Resource: '*',
  },
  {
    Sid: 'SessionManagerChannels',
    Effect: 'Allow',
    Action: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'],
    Resource: '*',
  },
  {
    Sid: 'RunCommandMessages',
    Effect: 'Allow',
    Action: ['ec2messages:AcknowledgeMessage', 'ec2messages:DeleteMessage', 'ec2messages:FailMessage', 'ec2messages:GetEndpoint', 'ec2messages:GetMessages', 'ec2messages:SendReply'],
    Resource: '*',
  },
]);
