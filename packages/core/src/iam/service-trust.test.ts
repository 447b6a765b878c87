import { serviceTrustPolicy } from './service-trust';

describe('serviceTrustPolicy', () => {
  it('trusts the service for this account only, and for the given resources when asked', () => {
    const trust = JSON.parse(serviceTrustPolicy({ service: 'vpc-flow-logs.amazonaws.com', account: '777777777777', sourceArn: 'arn:aws:ec2:eu-west-1:777777777777:vpc-flow-log/*' }));
    expect(trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': '777777777777' }, ArnLike: { 'aws:SourceArn': 'arn:aws:ec2:eu-west-1:777777777777:vpc-flow-log/*' } },
      },
    ]);
    expect(JSON.parse(serviceTrustPolicy({ service: 'backup.amazonaws.com', account: '777777777777' })).Statement[0].Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '777777777777' } });
  });

  it('refuses an account that is not one, since the condition would then match nothing', () => {
    expect(() => serviceTrustPolicy({ service: 'backup.amazonaws.com', account: '${aws_caller_identity.x.account_id}' })).toThrow('is not an AWS account ID (12 digits) for the aws:SourceAccount condition of backup.amazonaws.com');
  });
});
