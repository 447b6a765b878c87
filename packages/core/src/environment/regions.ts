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

/** Edit distance (insertions, deletions, substitutions, adjacent swaps) between two short strings. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The region a typo most likely meant ("eu-wset-1" -> "eu-west-1"), or undefined when none is close. */
export function suggestRegion(input: string): AwsRegion | undefined {
  const typed = input.trim().toLowerCase();
  let best: { region: AwsRegion; d: number } | undefined;
  for (const region of REGION_NAMES) {
    const d = distance(typed, region);
    if (!best || d < best.d) best = { region, d };
  }
  return best && best.d <= 2 && best.region !== input ? best.region : undefined;
}
