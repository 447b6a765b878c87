import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeCliConfig } from '../terraform/cli-config';
import { findTerraform } from '../terraform/find-terraform';
import { discoverMirroredProviders } from '../terraform/provider-mirror';
import { mapLimit, runProcess } from '../terraform/run-process';
import type { SynthesizedStack } from '../verify/synthesized-stacks';
import { offlineTerraformEnv } from '../verify/verify';
import { prepareWorkDir } from '../verify/verify-stack';

export interface BareRun {
  readonly wallMs: number;
  /** Stacks whose init or plan failed (the figure is then not comparable). */
  readonly failed: string[];
}

/**
 * The yardstick: `terraform init` + `terraform plan` per stack as a user would run them, Terraform
 * starting the provider itself for every command, `parallelism` stacks at once. Same working copies
 * (offline override), mirror and plugin cache as the verifier; no plan JSON. Working copies are
 * prepared before the clock starts.
 */
export async function bareTerraform(stacks: readonly SynthesizedStack[], opts: { workRoot: string; cacheDir: string; parallelism: number }): Promise<BareRun> {
  const terraform = findTerraform();
  if (!terraform) throw new Error('no Terraform binary: install Terraform or set TERRAFORM_BINARY');
  mkdirSync(opts.cacheDir, { recursive: true });
  const { configFile } = writeCliConfig({ cacheDir: opts.cacheDir, mirrored: discoverMirroredProviders() });
  const env = offlineTerraformEnv(process.env, configFile);
  for (const s of stacks) prepareWorkDir(s, join(opts.workRoot, s.name));
  const failed: string[] = [];
  const start = Date.now();
  await mapLimit(stacks, opts.parallelism, async (s) => {
    const cwd = join(opts.workRoot, s.name);
    const init = await runProcess(terraform.path, ['init', '-input=false', '-no-color'], { cwd, env });
    const plan = init.code === 0 ? await runProcess(terraform.path, ['plan', '-input=false', '-no-color', '-lock=false', '-refresh=false'], { cwd, env }) : init;
    if (plan.code !== 0) failed.push(s.name);
  });
  return { wallMs: Date.now() - start, failed };
}
