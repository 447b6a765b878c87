import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { writeCliConfig } from '../terraform/cli-config';
import { findTerraform } from '../terraform/find-terraform';
import { discoverMirroredProviders, MIRROR_ENV, type MirroredProvider } from '../terraform/provider-mirror';
import { providerKey } from '../terraform/provider-address';
import { bestVersion } from '../terraform/version-constraint';
import { mapLimit } from '../terraform/run-process';
import { workspaceRoot } from '../workspace/root';
import type { StackReport, VerificationReport } from './report';
import { readSynthOutput, type SynthesizedStack } from './synthesized-stacks';
import { planStack } from './verify-stack';

export interface VerifyOptions {
  /** A synth output folder (cdktf.out). */
  readonly outdir: string;
  /** Where stack working copies go. Default: <outdir>/../.verify/work. */
  readonly workRoot?: string;
  /** CLI config and shared plugin cache. Default: <workspace>/.cache/terraform. */
  readonly cacheDir?: string;
  /** Stacks planned at once. Default: the number of CPU cores. */
  readonly concurrency?: number;
  /** Fetch providers no mirror holds from their registry (online machines). Default: false. */
  readonly allowRegistry?: boolean;
  /** Write each plan as JSON into this folder. Default: not written. */
  readonly planJsonDir?: string;
  /** Per-command time limit. Default: 10 minutes. */
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  /** Called as each stack finishes. */
  readonly onStack?: (report: StackReport) => void;
  /** Called when Terraform starts on a stack (for progress while it runs). */
  readonly onStackStart?: (stack: string) => void;
}

/** Variables that could make an offline plan reach a real account or change what is planned. */
const STRIPPED_ENV = /^(AWS_|TF_VAR_|TF_CLI_ARGS|TF_WORKSPACE$|TF_DATA_DIR$|TF_LOG)/;

/**
 * Plans every stack of a synth output offline. A stack whose providers are all in a mirror (or the
 * registry, when allowed) is initialized and planned; any other is reported as not planned, with
 * the provider that is missing. Nothing is skipped silently.
 */
export async function verifySynthOutput(opts: VerifyOptions): Promise<VerificationReport> {
  const start = Date.now();
  const env = opts.env ?? process.env;
  const outdir = resolve(opts.outdir);
  const stacks = readSynthOutput(outdir);
  const terraform = findTerraform(env);
  const mirrored = discoverMirroredProviders(env);

  const chosen = new Map<string, MirroredProvider>();
  const notPlanned = new Map<string, { reason: string; missingProviders?: string[] }>();
  for (const stack of stacks) {
    const missing: { key: string; text: string }[] = [];
    for (const req of stack.requiredProviders) {
      const candidates = mirrored.filter((m) => providerKey(m) === req.key);
      const version = bestVersion(candidates.map((c) => c.version), req.constraint);
      if (version) chosen.set(`${req.key}@${version}`, candidates.find((c) => c.version === version)!);
      else if (!opts.allowRegistry) missing.push({ key: req.key, text: `${req.key} ${req.constraint ?? '(any version)'}` });
    }
    if (!terraform) notPlanned.set(stack.name, { reason: `no Terraform binary: install Terraform >= 1.10 (or OpenTofu) on PATH, or set TERRAFORM_BINARY` });
    else if (missing.length) {
      notPlanned.set(stack.name, {
        reason: `provider not available offline: ${missing.map((m) => m.text).join(', ')} is in no provider mirror (set ${MIRROR_ENV} to a mirror that holds it, or pass --allow-registry on a machine with internet)`,
        missingProviders: missing.map((m) => m.key),
      });
    }
  }

  const root = workspaceRoot();
  const cacheDir = opts.cacheDir ?? join(root, '.cache', 'terraform');
  mkdirSync(cacheDir, { recursive: true });
  const { configFile } = writeCliConfig({ cacheDir, mirrored: [...chosen.values()], allowRegistry: opts.allowRegistry });
  const tfEnv: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(env).filter(([k]) => !STRIPPED_ENV.test(k)));
  Object.assign(tfEnv, { TF_CLI_CONFIG_FILE: configFile, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', AWS_EC2_METADATA_DISABLED: 'true' });

  const workRoot = opts.workRoot ?? join(outdir, '..', '.verify', 'work');
  if (opts.planJsonDir) mkdirSync(opts.planJsonDir, { recursive: true });
  const reports = await mapLimit(stacks, opts.concurrency ?? cpus().length, async (stack: SynthesizedStack): Promise<StackReport> => {
    const skipped = notPlanned.get(stack.name);
    if (!skipped) opts.onStackStart?.(stack.name);
    const report: StackReport = skipped
      ? { stack: stack.name, status: 'not-planned', resources: stack.resourceCount, ...skipped }
      : await planStack(stack, {
          terraform: terraform!.path,
          workDir: join(workRoot, stack.name),
          env: tfEnv,
          timeoutMs: opts.timeoutMs ?? 600_000,
          ...(opts.planJsonDir ? { planJsonFile: join(opts.planJsonDir, `${stack.name}.json`) } : {}),
        });
    opts.onStack?.(report);
    return report;
  });

  return {
    outdir,
    ...(terraform ? { terraform } : {}),
    providers: [...chosen.values()].map((p) => ({ key: providerKey(p), version: p.version, mirror: p.mirror })),
    stacks: reports,
    wallMs: Date.now() - start,
  };
}
