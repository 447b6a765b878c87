import { existsSync, lstatSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { providerKey } from './provider-address';
import type { MirroredProvider } from './provider-mirror';

export interface CliConfigOptions {
  /** Folder for the CLI config and the shared plugin cache. */
  readonly cacheDir: string;
  /** Providers to install from their mirrors. */
  readonly mirrored: readonly MirroredProvider[];
  /** Let Terraform fetch providers no mirror holds from their registry. Default: false (offline). */
  readonly allowRegistry?: boolean;
}

/**
 * Writes the Terraform CLI config the offline run uses: providers from the mirrors only (plus the
 * registry when allowed), no checkpoint calls, and one plugin cache shared by every stack so each
 * init links the provider instead of copying it.
 */
export function writeCliConfig(options: CliConfigOptions): { configFile: string; pluginCacheDir: string } {
  const pluginCacheDir = join(options.cacheDir, 'plugin-cache');
  mkdirSync(pluginCacheDir, { recursive: true });
  const byMirror = new Map<string, Set<string>>();
  for (const p of options.mirrored) {
    const set = byMirror.get(p.mirror) ?? new Set<string>();
    set.add(providerKey(p));
    byMirror.set(p.mirror, set);
  }
  const mirrors = [...byMirror].map(
    ([path, include]) => `  filesystem_mirror {\n    path    = ${JSON.stringify(path)}\n    include = ${JSON.stringify([...include])}\n  }`,
  );
  const all = [...new Set(options.mirrored.map(providerKey))];
  const direct = options.allowRegistry ? [`  direct {\n    exclude = ${JSON.stringify(all)}\n  }`] : [];
  const text = [
    '# Written by tools/src/terraform/cli-config.ts for offline verification; do not edit.',
    'disable_checkpoint = true',
    `plugin_cache_dir   = ${JSON.stringify(pluginCacheDir)}`,
    // The working copies have no lock file; without this Terraform re-installs into the cache on
    // every init, and parallel inits (several stacks per app) see a half-written cache entry.
    'plugin_cache_may_break_dependency_lock_file = true',
    'provider_installation {',
    ...(mirrors.length || direct.length ? [...mirrors, ...direct] : ['  direct {\n    exclude = ["*/*/*"]\n  }']),
    '}',
    '',
  ].join('\n');
  const configFile = join(options.cacheDir, 'offline.tfrc');
  writeFileSync(configFile, text);
  warmPluginCache(pluginCacheDir, options.mirrored);
  return { configFile, pluginCacheDir };
}

/**
 * Puts unpacked mirror builds into the plugin cache as links, as Terraform itself would. Doing it
 * up front means parallel inits (even from parallel Nx tasks) only ever read the cache, which
 * Terraform does not lock.
 */
function warmPluginCache(pluginCacheDir: string, mirrored: readonly MirroredProvider[]): void {
  for (const p of mirrored) {
    if (p.layout !== 'unpacked') continue;
    const target = join(pluginCacheDir, p.host, p.namespace, p.type, p.version, p.platform);
    if (exists(target)) continue;
    mkdirSync(dirname(target), { recursive: true });
    try {
      symlinkSync(p.path, target, 'dir');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return existsSync(path);
  }
}
