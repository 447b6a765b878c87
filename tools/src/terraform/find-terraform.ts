import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { spawnSync } from 'node:child_process';

export const TERRAFORM_ENV = 'TERRAFORM_BINARY';

export interface TerraformBinary {
  readonly path: string;
  readonly version: string;
}

/** The Terraform (or OpenTofu) binary: TERRAFORM_BINARY first, then `terraform`, then `tofu` on PATH. */
export function findTerraform(env: NodeJS.ProcessEnv = process.env): TerraformBinary | undefined {
  const candidates = env[TERRAFORM_ENV]
    ? [env[TERRAFORM_ENV]]
    : ['terraform', 'tofu'].flatMap((name) => (env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, name)));
  for (const path of candidates) {
    try {
      accessSync(path, constants.X_OK);
    } catch {
      continue;
    }
    const out = spawnSync(path, ['version', '-json'], { encoding: 'utf8', env: { ...env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null' } });
    const version = /"terraform_version"\s*:\s*"([^"]+)"/.exec(out.stdout ?? '')?.[1];
    if (version) return { path, version };
  }
  return undefined;
}
