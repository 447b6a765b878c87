import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OVERRIDE_FILE, offlineOverride } from '../terraform/offline-override';
import { runProcess } from '../terraform/run-process';
import { parsePlanSummary, parseWarnings } from './plan-output';
import type { StackReport } from './report';
import type { SynthesizedStack } from './synthesized-stacks';

export interface StackRunOptions {
  readonly terraform: string;
  /** Folder for this stack's working copy. */
  readonly workDir: string;
  /** Environment for Terraform: CLI config set, real credentials removed. */
  readonly env: NodeJS.ProcessEnv;
  /** Also write the plan as JSON (terraform show -json) to this file. */
  readonly planJsonFile?: string;
  readonly timeoutMs?: number;
}

/** A fresh working copy of a synthesized stack with the offline override file beside it. */
export function prepareWorkDir(stack: SynthesizedStack, workDir: string): void {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  cpSync(stack.dir, workDir, { recursive: true, filter: (src) => !/[\\/]\.terraform([\\/]|$)/.test(src) });
  writeFileSync(join(workDir, OVERRIDE_FILE), JSON.stringify(offlineOverride(stack.json), null, 2));
}

/**
 * Plans one stack offline: a working copy of the synthesized stack plus the override file, then
 * `terraform init` and `terraform plan` (which validates the configuration as it plans).
 */
export async function planStack(stack: SynthesizedStack, opts: StackRunOptions): Promise<StackReport> {
  prepareWorkDir(stack, opts.workDir);

  const base = { stack: stack.name, resources: stack.resourceCount };
  const run = (args: string[]) => runProcess(opts.terraform, args, { cwd: opts.workDir, env: opts.env, timeoutMs: opts.timeoutMs });

  const init = await run(['init', '-input=false', '-no-color', '-backend=true']);
  if (init.code !== 0) {
    return { ...base, status: 'failed', reason: `terraform init failed:\n${(init.stderr || init.stdout).trim()}`, initMs: init.ms };
  }
  const plan = await run(['plan', '-input=false', '-no-color', '-lock=false', '-refresh=false', '-out=offline.tfplan']);
  const warnings = parseWarnings(`${plan.stdout}\n${plan.stderr}`, OVERRIDE_FILE);
  const summary = parsePlanSummary(plan.stdout);
  if (plan.code !== 0 || !summary) {
    return {
      ...base,
      status: 'failed',
      reason: `terraform plan failed:\n${(plan.stderr || plan.stdout).trim()}`,
      warnings,
      initMs: init.ms,
      planMs: plan.ms,
    };
  }
  let planJson: string | undefined;
  if (opts.planJsonFile) {
    const show = await run(['show', '-json', '-no-color', 'offline.tfplan']);
    if (show.code === 0) {
      writeFileSync(opts.planJsonFile, show.stdout);
      planJson = opts.planJsonFile;
    } else {
      warnings.push(`terraform show -json failed: ${show.stderr.trim()}`);
    }
  }
  return { ...base, status: 'planned', plan: summary, warnings, initMs: init.ms, planMs: plan.ms, ...(planJson ? { planJson } : {}) };
}
