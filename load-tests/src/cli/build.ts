import { buildSync } from 'esbuild';
import { join } from 'node:path';

/** k6 entry points and the bundles they become. */
export const BUNDLES = { suite: 'src/k6/suite.ts' } as const;
export const PROJECT_DIR = join(__dirname, '..', '..');
export const DEFAULT_OUT_DIR = join(PROJECT_DIR, 'dist', 'k6');

/**
 * Bundles each k6 entry into one plain ES module that k6 v0.49 and newer runs: ES2017 syntax,
 * no top-level await, only k6's own modules left as imports (everything else is inlined).
 */
export function buildBundlesSync(outDir = DEFAULT_OUT_DIR): Record<keyof typeof BUNDLES, string> {
  const out = {} as Record<keyof typeof BUNDLES, string>;
  for (const [name, entry] of Object.entries(BUNDLES) as Array<[keyof typeof BUNDLES, string]>) {
    const outfile = join(outDir, `${name}.js`);
    buildSync({
      entryPoints: [join(PROJECT_DIR, entry)],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2017',
      external: ['k6', 'k6/*'],
      mainFields: ['module', 'main'],
      resolveExtensions: ['.ts', '.js'],
      sourcemap: false,
      legalComments: 'none',
      logLevel: 'warning',
      banner: { js: '// Built by load-tests (esbuild) from TypeScript; run with k6 v0.49 or newer.' },
    });
    out[name] = outfile;
  }
  return out;
}

export async function buildBundles(outDir = DEFAULT_OUT_DIR): Promise<Record<keyof typeof BUNDLES, string>> {
  return buildBundlesSync(outDir);
}

if (require.main === module) {
  buildBundles().then(
    (files) => process.stdout.write(`built ${Object.values(files).join(', ')}\n`),
    (e: Error) => {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    },
  );
}
