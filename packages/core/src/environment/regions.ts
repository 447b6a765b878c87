/** AWS regions an environment may name, with the partition their ARNs use. */
export const AWS_REGIONS = {
  'us-east-1': 'aws', 'us-east-2': 'aws', 'us-west-1': 'aws', 'us-west-2': 'aws',
  'ca-central-1': 'aws', 'ca-west-1': 'aws', 'mx-central-1': 'aws', 'sa-east-1': 'aws',
  'eu-central-1': 'aws', 'eu-central-2': 'aws', 'eu-west-1': 'aws', 'eu-west-2': 'aws',
  'eu-west-3': 'aws', 'eu-south-1': 'aws', 'eu-south-2': 'aws', 'eu-north-1': 'aws',
  'af-south-1': 'aws', 'il-central-1': 'aws', 'me-south-1': 'aws', 'me-central-1': 'aws',
  'ap-east-1': 'aws', 'ap-east-2': 'aws', 'ap-south-1': 'aws', 'ap-south-2': 'aws',
  'ap-northeast-1': 'aws', 'ap-northeast-2': 'aws', 'ap-northeast-3': 'aws',
  'ap-southeast-1': 'aws', 'ap-southeast-2': 'aws', 'ap-southeast-3': 'aws',
  'ap-southeast-4': 'aws', 'ap-southeast-5': 'aws', 'ap-southeast-7': 'aws',
  'us-gov-east-1': 'aws-us-gov', 'us-gov-west-1': 'aws-us-gov',
  'cn-north-1': 'aws-cn', 'cn-northwest-1': 'aws-cn',
} as const;

export type AwsRegion = keyof typeof AWS_REGIONS;
export type AwsPartition = (typeof AWS_REGIONS)[AwsRegion];

export const REGION_NAMES = Object.keys(AWS_REGIONS) as [AwsRegion, ...AwsRegion[]];

export function partitionOf(region: AwsRegion): AwsPartition {
  return AWS_REGIONS[region];
}
