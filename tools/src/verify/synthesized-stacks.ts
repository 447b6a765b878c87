import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseProviderSource, providerKey } from '../terraform/provider-address';

export interface RequiredProvider {
  readonly name: string;
  /** host/namespace/type */
  readonly key: string;
  readonly constraint?: string;
}

/** One stack of a synth output, as the verification needs it. */
export interface SynthesizedStack {
  readonly name: string;
  /** Folder holding cdk.tf.json (and any assets). */
  readonly dir: string;
  readonly file: string;
  readonly json: TerraformJson;
  readonly requiredProviders: RequiredProvider[];
  /** Resources declared in the stack, by type. */
  readonly resourceCount: number;
  readonly dependencies: string[];
}

export interface TerraformJson {
  terraform?: { required_providers?: Record<string, { source?: string; version?: string }>; backend?: Record<string, unknown> };
  provider?: Record<string, Record<string, unknown> | Record<string, unknown>[]>;
  resource?: Record<string, Record<string, unknown>>;
  data?: Record<string, Record<string, unknown>>;
  output?: Record<string, unknown>;
  [key: string]: unknown;
}

interface Manifest {
  stacks: Record<string, { name: string; synthesizedStackPath: string; workingDirectory: string; dependencies?: string[] }>;
}

/** Reads cdktf.out/manifest.json and every stack it lists. Plain Terraform JSON: nothing cdktf-specific beyond the manifest. */
export function readSynthOutput(outdir: string): SynthesizedStack[] {
  const manifestPath = join(outdir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`${manifestPath} does not exist: synthesize first (nx run <env>:synth)`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  return Object.values(manifest.stacks).map((s) => {
    const file = join(outdir, s.synthesizedStackPath);
    const json = JSON.parse(readFileSync(file, 'utf8')) as TerraformJson;
    const required = json.terraform?.required_providers ?? {};
    return {
      name: s.name,
      dir: dirname(file),
      file,
      json,
      requiredProviders: Object.entries(required).map(([name, r]) => ({
        name,
        key: providerKey(parseProviderSource(r.source ?? name)),
        ...(r.version ? { constraint: r.version } : {}),
      })),
      resourceCount: Object.values(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0),
      dependencies: s.dependencies ?? [],
    };
  });
}
