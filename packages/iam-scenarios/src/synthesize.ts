import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** One synthesized Terraform JSON stack. */
export type StackJson = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The repository root (this package lives in packages/iam-scenarios). */
export const WORKSPACE_ROOT = resolve(__dirname, '..', '..', '..');

/**
 * Synthesizes one example environment app exactly as `node tools/bin/synth.js apps/<env>` does
 * (its main.ts through tsx, guardrails included), but into a temporary folder, and returns its
 * stacks' JSON by stack name. A failing synth throws with the app's output.
 */
export function synthesizeApp(environment: string): Record<string, StackJson> {
  const appDir = join(WORKSPACE_ROOT, 'apps', environment);
  if (!existsSync(join(appDir, 'main.ts'))) throw new Error(`iam-scenarios: no app at apps/${environment} (main.ts missing)`);
  const outdir = mkdtempSync(join(tmpdir(), `iam-scenarios-${environment}-`));
  try {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], {
      cwd: appDir,
      encoding: 'utf8',
      env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' },
    });
    if (result.status !== 0) throw new Error(`iam-scenarios: synth of apps/${environment} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
    const stacksDir = join(outdir, 'stacks');
    const stacks: Record<string, StackJson> = {};
    for (const name of readdirSync(stacksDir)) stacks[name] = JSON.parse(readFileSync(join(stacksDir, name, 'cdk.tf.json'), 'utf8'));
    return stacks;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Loads stacks kept as fixtures (`<stack>.json` files), e.g. the policies of an older commit. */
export function loadFixtureStacks(dir: string): Record<string, StackJson> {
  const stacks: Record<string, StackJson> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) stacks[file.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  return stacks;
}
