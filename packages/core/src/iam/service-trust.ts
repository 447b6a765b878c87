import { policyJson } from './policy-document';

export interface ServiceTrustProps {
  /** The service principal, e.g. "vpc-flow-logs.amazonaws.com". */
  readonly service: string;
  /** The account whose resources may make the service use the role (aws:SourceAccount). */
  readonly account: string;
  /**
   * ARN pattern of those resources (aws:SourceArn, ArnLike), for services that send it when they
   * assume a role. Default: not checked (the service's docs name only aws:SourceAccount).
   */
  readonly sourceArn?: string;
}

/**
 * Trust policy of a service role: that service only, and only on behalf of this account's
 * resources, the confused-deputy guard AWS recommends (another account's resources cannot make
 * the service use the role).
 */
export function serviceTrustPolicy(props: ServiceTrustProps): string {
  if (!/^\d{12}$/.test(props.account)) throw new Error(`serviceTrustPolicy: "${props.account}" is not an AWS account ID (12 digits) for the aws:SourceAccount condition of ${props.service}`);
  return policyJson([
    {
      Effect: 'Allow',
      Principal: { Service: props.service },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': props.account }, ...(props.sourceArn ? { ArnLike: { 'aws:SourceArn': props.sourceArn } } : {}) },
    },
  ]);
}
