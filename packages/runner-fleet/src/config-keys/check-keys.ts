import pluginKeys from './fleeting-plugin-aws-keys.json';
import runnerKeys from './gitlab-runner-config-keys.json';

/** The stored key lists: GitLab Runner's (derived from its structs) and the AWS plugin's plugin_config. */
export const RUNNER_KEY_DATA = runnerKeys;
export const PLUGIN_KEY_DATA = pluginKeys;

const PLUGIN_TABLE = 'runners.autoscaler.plugin_config';

/** Dotted paths of every key in a parsed TOML document; arrays of tables share their path. */
export function tomlKeyPaths(doc: unknown, prefix = ''): string[] {
  if (Array.isArray(doc)) return doc.flatMap((item) => (item && typeof item === 'object' && !Array.isArray(item) ? tomlKeyPaths(item, prefix) : []));
  if (!doc || typeof doc !== 'object' || doc instanceof Date) return [];
  return Object.entries(doc as Record<string, unknown>).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    const isTable = value && typeof value === 'object' && !(value instanceof Date) && (!Array.isArray(value) || value.some((v) => v && typeof v === 'object'));
    return [path, ...(isTable ? tomlKeyPaths(value, path) : [])];
  });
}

/**
 * Keys of a rendered config.toml that GitLab Runner (at the stored tag) does not know, with the
 * plugin_config table checked against the AWS plugin's settings. Empty means every key exists.
 */
export function unknownConfigKeys(doc: unknown, known: readonly string[] = RUNNER_KEY_DATA.keys, plugin: readonly string[] = PLUGIN_KEY_DATA.keys): string[] {
  const exact = new Set(known);
  const open = known.filter((k) => k.endsWith('.*')).map((k) => k.slice(0, -1));
  return tomlKeyPaths(doc).filter((path) => {
    if (path.startsWith(`${PLUGIN_TABLE}.`)) return !plugin.includes(path.slice(PLUGIN_TABLE.length + 1));
    return !exact.has(path) && !open.some((p) => path.startsWith(p));
  });
}
