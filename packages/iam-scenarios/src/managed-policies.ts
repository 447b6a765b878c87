import data from './data/aws-managed-policies.json';

/**
 * AWS managed policies the scenarios need, stored as data (aws-managed-policies.json records the
 * source package, version and each policy's version ID). An attached AWS managed policy that is not
 * stored makes its role's scenarios "not evaluated".
 */
export interface ManagedPolicy {
  readonly arn: string;
  readonly versionId: string;
  readonly document: unknown;
}

export const MANAGED_POLICY_SOURCE: string = data.source;

export function awsManagedPolicy(arn: string): ManagedPolicy | undefined {
  const name = arn.replace(/^arn:aws[\w-]*:iam::aws:policy\/(service-role\/)?/, '');
  const p = (data.policies as Record<string, ManagedPolicy>)[name];
  return p && p.arn.endsWith(arn.replace(/^arn:aws[\w-]*:iam::aws:policy/, '')) ? p : undefined;
}
