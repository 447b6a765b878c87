/** Provider arguments that would make the AWS provider call AWS, replaced for the offline plan. */
const OFFLINE_AWS = {
  access_key: 'offline-verification',
  secret_key: 'offline-verification',
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
};

export const OVERRIDE_FILE = 'zz_offline_override.tf.json';

type ProviderBlock = Record<string, unknown> & { alias?: string };

/**
 * The override file for one stack: a local backend instead of S3, and for every AWS provider block
 * fake static credentials, no account lookup or allowed-account check, and no role assumption (an
 * empty role_arn makes the provider skip it). Nothing else in the stack is touched.
 */
export function offlineOverride(stack: { provider?: Record<string, ProviderBlock | ProviderBlock[]> }): Record<string, unknown> {
  const awsBlocks = ([] as ProviderBlock[]).concat(stack.provider?.aws ?? []);
  const provider = awsBlocks.map((block) => ({
    ...(block.alias ? { alias: block.alias } : {}),
    ...OFFLINE_AWS,
    ...('assume_role' in block ? { assume_role: [{ role_arn: '' }] } : {}),
    // The allowed-account check needs the caller's real account ID.
    ...('allowed_account_ids' in block ? { allowed_account_ids: [] } : {}),
    ...('forbidden_account_ids' in block ? { forbidden_account_ids: [] } : {}),
    ...('assume_role_with_web_identity' in block ? { assume_role_with_web_identity: [{ role_arn: '' }] } : {}),
  }));
  return {
    terraform: { backend: { local: { path: 'offline.tfstate' } } },
    ...(provider.length ? { provider: { aws: provider } } : {}),
  };
}
