import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { currentPlatform, providerKey, type ProviderAddress } from './provider-address';

/** One provider build found in a filesystem mirror. */
export interface MirroredProvider extends ProviderAddress {
  readonly version: string;
  readonly platform: string;
  /** Where it lies: the unpacked folder, or the packed zip. */
  readonly path: string;
  readonly layout: 'unpacked' | 'packed';
  /** The mirror folder it was found in. */
  readonly mirror: string;
}

export const MIRROR_ENV = 'TF_PROVIDER_MIRROR';

/** Registry hosts whose folders mark a directory as a provider mirror. */
const REGISTRY_HOSTS = ['registry.terraform.io', 'registry.opentofu.org'];

/**
 * Configured mirror folders, most specific first: the TF_PROVIDER_MIRROR variable (a
 * path-separated list), filesystem_mirror paths in the Terraform CLI config, and Terraform's
 * implied local mirror folders.
 */
export function mirrorCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME ?? homedir();
  const fromEnv = (env[MIRROR_ENV] ?? '').split(':').filter(Boolean);
  const cliConfig = env.TF_CLI_CONFIG_FILE ?? join(home, '.terraformrc');
  const fromConfig = existsSync(cliConfig)
    ? [...readFileSync(cliConfig, 'utf8').matchAll(/filesystem_mirror\s*\{[^}]*?path\s*=\s*"([^"]+)"/g)].map((m) => m[1])
    : [];
  const dataHome = env.XDG_DATA_HOME ?? join(home, '.local/share');
  const dataDirs = (env.XDG_DATA_DIRS ?? '/usr/local/share:/usr/share').split(':').filter(Boolean);
  const implied = [join(home, '.terraform.d/plugins'), join(dataHome, 'terraform/plugins'), ...dataDirs.map((d) => join(d, 'terraform/plugins'))];
  return [...new Set([...fromEnv, ...fromConfig, ...implied])];
}

/** Places machine images usually keep a mirror, searched a few levels deep when nothing else is set. */
export function searchedMirrorRoots(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME ?? homedir();
  return ['/opt', '/usr/local', '/usr/share', '/srv', join(home, '.cache')].flatMap((base) => findMirrorRoots(base, 3));
}

/** Folders under `base` (to `depth` levels) that hold a registry-host folder. */
function findMirrorRoots(base: string, depth: number): string[] {
  const found: string[] = [];
  const walk = (dir: string, left: number) => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    if (entries.some((e) => REGISTRY_HOSTS.includes(e))) found.push(dir);
    if (left === 0) return;
    for (const e of entries) {
      if (e.startsWith('.') && dir !== base) continue;
      const child = join(dir, e);
      if (isDir(child) && !['node_modules', 'proc', 'sys'].includes(e)) walk(child, left - 1);
    }
  };
  walk(base, depth);
  return found;
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Every provider build for this platform in one mirror folder (both layouts Terraform reads). */
export function indexMirror(mirror: string, platform = currentPlatform()): MirroredProvider[] {
  const out: MirroredProvider[] = [];
  for (const host of list(mirror)) {
    for (const namespace of list(join(mirror, host))) {
      for (const type of list(join(mirror, host, namespace))) {
        const typeDir = join(mirror, host, namespace, type);
        for (const entry of list(typeDir)) {
          const base = { host, namespace, type, platform, mirror };
          const unpacked = join(typeDir, entry, platform);
          if (isDir(unpacked) && list(unpacked).some((f) => f.startsWith(`terraform-provider-${type}`))) {
            out.push({ ...base, version: entry, path: unpacked, layout: 'unpacked' });
          }
          const zip = new RegExp(`^terraform-provider-${type}_(.+)_${platform}\\.zip$`).exec(entry);
          if (zip) out.push({ ...base, version: zip[1], path: join(typeDir, entry), layout: 'packed' });
        }
      }
    }
  }
  return out;
}

/**
 * All providers in the configured mirrors, or, when those hold none, in mirrors found by searching.
 * The first mirror wins for a given provider version.
 */
export function discoverMirroredProviders(env: NodeJS.ProcessEnv = process.env): MirroredProvider[] {
  const seen = new Set<string>();
  let found = mirrorCandidates(env).flatMap((m) => indexMirror(m));
  if (found.length === 0) found = searchedMirrorRoots(env).flatMap((m) => indexMirror(m));
  return found
    .filter((p) => {
      const key = `${providerKey(p)}@${p.version}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
