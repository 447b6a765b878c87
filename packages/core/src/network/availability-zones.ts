import type { AwsRegion } from '../environment/regions';

/** Regions whose zone letters do not start a, b, c for every account. */
const ZONE_LETTERS: Partial<Record<AwsRegion, string[]>> = {
  'ap-northeast-1': ['a', 'c', 'd'],
  'us-west-1': ['a', 'c'],
};

/**
 * Zone names for a region without asking AWS (no plan-time lookup): the names given in the
 * environment file, else the region's usual first zones.
 */
export function availabilityZoneNames(region: AwsRegion, count: number, configured?: readonly string[]): string[] {
  const names = configured ?? (ZONE_LETTERS[region] ?? ['a', 'b', 'c']).map((l) => `${region}${l}`);
  if (names.length < count) {
    throw new Error(
      `network: ${count} availability zones are needed but only ${names.length} are known for ${region} (${names.join(', ')}): set network.availabilityZoneNames in the environment file`,
    );
  }
  const wrong = names.filter((n) => !n.startsWith(region));
  if (wrong.length) throw new Error(`network.availabilityZoneNames: ${wrong.join(', ')} not in region ${region}: use zones such as "${region}a"`);
  return names.slice(0, count);
}
