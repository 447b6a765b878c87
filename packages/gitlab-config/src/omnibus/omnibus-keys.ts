import keyListData from './omnibus-keys.json';
import type { DeprecatedKey, OmnibusKeyList } from './omnibus-source';

/**
 * The gitlab.rb settings omnibus-gitlab knows at the pinned release (regenerate with
 * scripts/omnibus-keys.ts), and the check every rendered gitlab.rb must pass.
 */
export const OMNIBUS_KEYS: OmnibusKeyList = keyListData as OmnibusKeyList;

/** The GitLab version the key list was read from, e.g. "19.3.0". */
export const OMNIBUS_KEYS_VERSION = OMNIBUS_KEYS.source.version;

export interface KeyFinding {
  /** Dotted path, e.g. "nginx.listen_port". */
  path: string;
  kind: 'unknown' | 'deprecated' | 'removed';
  message: string;
}

/** Compares dotted versions ("19.2" < "19.10"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const isHash = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Every setting path of an evaluated gitlab.rb: hashes are walked into, arrays and scalars end a
 * path (list items are values, not settings). An empty hash is a path of its own.
 */
export function settingPaths(settings: Record<string, unknown>, prefix: string[] = []): string[] {
  return Object.entries(settings).flatMap(([k, v]) => {
    const path = [...prefix, k];
    return isHash(v) && Object.keys(v).length > 0 ? settingPaths(v, path) : [path.join('.')];
  });
}

/**
 * Findings for every path of `settings` that omnibus-gitlab does not know at `version`, or
 * deprecates there. A path is known when it is listed, or lies inside a hash whose nested keys
 * belong to the operator (openHashes: Gitaly's own configuration, header names, ...).
 */
export function checkSettingKeys(settings: Record<string, unknown>, list: OmnibusKeyList = OMNIBUS_KEYS, version: string = list.source.version): KeyFinding[] {
  const keys = new Set(list.keys);
  const open = list.openHashes;
  const findings: KeyFinding[] = [];
  for (const path of settingPaths(settings)) {
    const segments = path.split('.');
    const prefixes = segments.map((_, i) => segments.slice(0, i + 1).join('.'));
    const deprecation = prefixes
      .map((p) => list.deprecated.find((d: DeprecatedKey) => d.key === p && compareVersions(version, d.deprecated) >= 0))
      .find(Boolean);
    if (deprecation) {
      const removed = deprecation.removed !== undefined && compareVersions(version, deprecation.removed) >= 0;
      const instead = deprecation.replacement ? `; use ${bracketed(deprecation.replacement)}` : '';
      findings.push({
        path,
        kind: removed ? 'removed' : 'deprecated',
        message: `${bracketed(path)} is ${removed ? `removed (since ${deprecation.removed})` : `deprecated since ${deprecation.deprecated}`} in omnibus-gitlab ${version}${instead}${deprecation.note ? ` (${deprecation.note})` : ''}`,
      });
      continue;
    }
    if (keys.has(path) || prefixes.slice(0, -1).some((p) => open.includes(p))) continue;
    findings.push({ path, kind: 'unknown', message: `${bracketed(path)} is not a setting omnibus-gitlab ${version} knows (${list.source.tag})` });
  }
  return findings;
}

/** "gitlab_rails.nginx.listen_port" as gitlab.rb writes it: gitlab_rails['nginx']['listen_port']. */
export function bracketed(path: string): string {
  const [head, ...rest] = path.split('.');
  return `${head}${rest.map((k) => `['${k}']`).join('')}`;
}
