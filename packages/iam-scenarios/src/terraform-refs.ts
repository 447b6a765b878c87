import type { StackJson } from './synthesize';

/** A Terraform reference the model cannot turn into a value: scenarios that need it are not evaluated. */
export class UnresolvedReference extends Error {}

const REF = /\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}/g;

/** Account, region and partition of a stack, from its AWS provider (allowed_account_ids, region). */
export interface StackPlace {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
}

export function placeOf(stack: StackJson, name: string): StackPlace {
  const provider = (stack.provider?.aws ?? [])[0];
  const account = provider?.allowed_account_ids?.[0];
  const region = provider?.region;
  if (!account || !region) throw new UnresolvedReference(`${name}: its AWS provider names no account (allowed_account_ids) or region`);
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return { account, region, partition };
}

/**
 * Turns the references in a policy or name into the values AWS would see, from the synthesized
 * resource's own arguments and the stack's account and region. Generated IDs (a KMS key's UUID)
 * become stable stand-ins (`key/<resource id>`), which is enough for policies that name the key by
 * reference. Anything else throws UnresolvedReference, never a guess.
 */
export function resolveRefs(text: string, stack: StackJson, name: string): string {
  const place = placeOf(stack, name);
  return text.replace(REF, (whole, type: string, id: string, attr: string) => {
    const res = stack.resource?.[type]?.[id];
    if (!res) throw new UnresolvedReference(`${name}: ${whole} names a resource this stack does not have`);
    const value = (v: unknown) => resolveRefs(String(v), stack, name);
    const { account, region, partition } = place;
    switch (`${type}.${attr}`) {
      case 'aws_iam_role.name':
      case 'aws_iam_role.id':
        return value(res.name);
      case 'aws_iam_role.arn':
        return `arn:${partition}:iam::${account}:role/${value(res.name)}`;
      case 'aws_iam_policy.arn':
        return `arn:${partition}:iam::${account}:policy/${value(res.name)}`;
      case 'aws_kms_key.arn':
        return `arn:${partition}:kms:${region}:${account}:key/${id}`;
      case 'aws_kms_key.key_id':
      case 'aws_kms_key.id':
        return id;
      case 'aws_s3_bucket.arn':
        return `arn:${partition}:s3:::${value(res.bucket)}`;
      case 'aws_s3_bucket.id':
      case 'aws_s3_bucket.bucket':
        return value(res.bucket);
      case 'aws_sns_topic.arn':
        return `arn:${partition}:sns:${region}:${account}:${value(res.name)}`;
      case 'aws_cloudwatch_log_group.arn':
        return `arn:${partition}:logs:${region}:${account}:log-group:${value(res.name)}`;
      case 'aws_ssm_parameter.arn':
        return `arn:${partition}:ssm:${region}:${account}:parameter/${value(res.name).replace(/^\//, '')}`;
      default:
        throw new UnresolvedReference(`${name}: cannot resolve ${whole} offline`);
    }
  });
}
