import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TerraformJson } from './terraform-json';

export interface OutputStack {
  readonly name: string;
  /** Path of cdk.tf.json relative to the output folder. */
  readonly file: string;
  readonly json: TerraformJson;
}

/**
 * The stacks of a synth output folder: from manifest.json when there is one (cdktf and its fork
 * write it), else every stacks/<name>/cdk.tf.json.
 */
export function readStacks(outdir: string): OutputStack[] {
  const manifest = join(outdir, 'manifest.json');
  if (!existsSync(manifest)) throw new Error(`${manifest} does not exist: synthesize first (nx run <env>:synth), or pass the folder that holds manifest.json`);
  const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { stacks?: Record<string, { name: string; synthesizedStackPath: string }> };
  return Object.values(parsed.stacks ?? {})
    .map((s) => ({ name: s.name, file: s.synthesizedStackPath, json: JSON.parse(readFileSync(join(outdir, s.synthesizedStackPath), 'utf8')) as TerraformJson }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
