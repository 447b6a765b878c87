import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes a cdktf.out folder (manifest.json and one cdk.tf.json per stack) as `cdktf synth` would; returns the folder. */
export function writeSynthOutput(outdir: string, stacks: Record<string, object>): string {
  mkdirSync(outdir, { recursive: true });
  const manifest: Record<string, object> = {};
  for (const [stack, json] of Object.entries(stacks)) {
    mkdirSync(join(outdir, 'stacks', stack), { recursive: true });
    writeFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), JSON.stringify(json));
    manifest[stack] = { name: stack, synthesizedStackPath: `stacks/${stack}/cdk.tf.json`, workingDirectory: `stacks/${stack}` };
  }
  writeFileSync(join(outdir, 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks: manifest }));
  return outdir;
}
