import { createHash } from 'node:crypto';

/**
 * Shortens a name to `max` characters, keeping it unique by replacing the tail with a short hash
 * of the full name. Names that fit are returned unchanged.
 */
export function fitName(name: string, max: number): string {
  if (max < 12) throw new Error(`fitName: a limit of ${max} leaves no room for a hash; use at least 12`);
  if (name.length <= max) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 7);
  return `${name.slice(0, max - 8).replace(/[-.]+$/, '')}-${hash}`;
}

/** Lowercase letters, digits and single hyphens: safe for S3, IAM, EC2 and most AWS names. */
export function slug(...parts: string[]): string {
  return parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}
