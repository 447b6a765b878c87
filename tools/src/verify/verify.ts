import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { writeCliConfig } from '../terraform/cli-config';
import { findTerraform } from '../terraform/find-terraform';
import { discoverMirroredProviders, MIRROR_ENV, type MirroredProvider } from '../terraform/provider-mirror';
import { providerKey } from '../terraform/provider-address';
import { bestVersion } from '../terraform/version-constraint';
import { mapLimit } from '../terraform/run-process';
import { providerExecutable, startDebugProvider, type DebugProvider } from '../terraform/debug-provider';
import { typesUsedBy } from '../terraform/schema-filter';
import { behindSchemaProxy, startSchemaProxy } from '../terraform/schema-proxy';
import { ProviderPool } from '../terraform/provider-pool';
import { currentPlatform } from '../terraform/provider-address';
import { workspaceRoot } from '../workspace/root';
import type { StackReport, VerificationReport } from './report';
import { readSynthOutput, type SynthesizedStack } from './synthesized-stacks';
import { planStack } from './verify-stack';
import { chooseWorkers, machineShare } from './worker-count';

export interface VerifyOptions {
  /** A synth output folder (cdktf.out). */
  readonly outdir: string;
  /** Where stack working copies go. Default: <outdir>/../.verify/work. */
  readonly workRoot?: string;
  /** CLI config and shared plugin cache. Default: <workspace>/.cache/terraform. */
  readonly cacheDir?: string;
  /** Stacks planned at once (workers). Default: chosen from cores and memory (worker-count.ts). */
  readonly concurrency?: number;
  /**
   * Plan against one AWS provider process per worker, started once, instead of one per Terraform
   * command. Default: true; plans fall back to the normal start when it cannot be started.
   */
  readonly shareProviders?: boolean;
  /**
   * Put each shared provider process behind a schema proxy that keeps the provider's schema and
   * gives each plan only the schemas of the types its stack uses (schema-proxy.ts). Default: true;
   * without it, or when the proxy cannot start, plans attach to the provider process directly.
   */
  readonly schemaProxy?: boolean;
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
  /** How the run is set up: the worker count, provider processes started, a fallback. */
  readonly onNote?: (line: string) => void;
  /** Called with each shared provider process's pid as it starts (tests check they end). */
  readonly onProviderStart?: (pid: number) => void;
}

/** Variables that could make an offline plan reach a real account or change what is planned. */
const STRIPPED_ENV = /^(AWS_|TF_VAR_|TF_CLI_ARGS|TF_WORKSPACE$|TF_DATA_DIR$|TF_LOG|TF_REATTACH_PROVIDERS$)/;

/** Terraform's environment for offline plans: the given CLI config, real credentials and inputs removed. */
export function offlineTerraformEnv(env: NodeJS.ProcessEnv, configFile: string): NodeJS.ProcessEnv {
  const tfEnv: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(env).filter(([k]) => !STRIPPED_ENV.test(k)));
  return Object.assign(tfEnv, { TF_CLI_CONFIG_FILE: configFile, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', AWS_EC2_METADATA_DISABLED: 'true' });
}

/** The provider whose processes are shared: the one every AWS stack needs, and the slow one to start. */
const SHARED_TYPE = { namespace: 'hashicorp', type: 'aws' };

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
  /** Per stack, the mirrored AWS provider build it plans with. */
  const awsBuild = new Map<string, MirroredProvider>();
  const notPlanned = new Map<string, { reason: string; missingProviders?: string[] }>();
  for (const stack of stacks) {
    const missing: { key: string; text: string }[] = [];
    for (const req of stack.requiredProviders) {
      const candidates = mirrored.filter((m) => providerKey(m) === req.key);
      const version = bestVersion(candidates.map((c) => c.version), req.constraint);
      const build = version ? candidates.find((c) => c.version === version)! : undefined;
      if (build) {
        chosen.set(`${req.key}@${version}`, build);
        if (build.namespace === SHARED_TYPE.namespace && build.type === SHARED_TYPE.type) awsBuild.set(stack.name, build);
      } else if (!opts.allowRegistry) missing.push({ key: req.key, text: `${req.key} ${req.constraint ?? '(any version)'}` });
    }
    if (!terraform) notPlanned.set(stack.name, { reason: `no Terraform binary: install Terraform >= 1.10 (or OpenTofu) on PATH, or set TERRAFORM_BINARY` });
    else if (missing.length) {
      const many = missing.length > 1;
      notPlanned.set(stack.name, {
        reason: `${many ? 'providers' : 'provider'} not available offline: ${missing.map((m) => m.text).join(', ')} ${many ? 'are' : 'is'} in no provider mirror (set ${MIRROR_ENV} to a mirror that holds ${many ? 'them' : 'it'}, or pass --allow-registry on a machine with internet)`,
        missingProviders: missing.map((m) => m.key),
      });
    }
  }

  const root = workspaceRoot();
  const cacheDir = opts.cacheDir ?? join(root, '.cache', 'terraform');
  mkdirSync(cacheDir, { recursive: true });
  const { configFile } = writeCliConfig({ cacheDir, mirrored: [...chosen.values()], allowRegistry: opts.allowRegistry });
  const tfEnv = offlineTerraformEnv(env, configFile);

  const workRoot = opts.workRoot ?? join(outdir, '..', '.verify', 'work');
  if (opts.planJsonDir) mkdirSync(opts.planJsonDir, { recursive: true });
  let workers = opts.concurrency;
  if (!workers) {
    const choice = chooseWorkers(machineShare(root, env), env);
    workers = choice.workers;
    opts.onNote?.(choice.reason);
  }
  const planned = stacks.filter((s) => !notPlanned.has(s.name));
  const shared = sharedBuild(planned, awsBuild);
  const pool =
    opts.shareProviders !== false && shared && planned.some((s) => sharesProvider(s, shared, awsBuild))
      ? new ProviderPool({
          size: workers,
          start: (signal) => {
            const dir = join(cacheDir, 'plugin-cache', shared.host, shared.namespace, shared.type, shared.version, currentPlatform());
            const binary = providerExecutable(dir, shared.type);
            if (!binary) return Promise.reject(new Error(`no unpacked provider in ${dir} yet (a packed mirror is unpacked by the first terraform init)`));
            return startDebugProvider(binary, { address: providerKey(shared), env: tfEnv, signal }).then((provider) =>
              opts.schemaProxy === false ? provider : proxied(provider, (why) => opts.onNote?.(`schema proxy not available, plans attach to the provider directly: ${why}`)),
            );
          },
          onStart: (p) => {
            const proxy = p.use ? ', behind a schema proxy that gives each plan only its stack\'s types' : '';
            opts.onNote?.(`${providerKey(shared)} ${shared.version}: provider process ${p.pid} serves one worker${proxy}`);
            opts.onProviderStart?.(p.pid);
          },
          onFallback: (why) => opts.onNote?.(`shared provider process not available, each plan starts its own: ${why}`),
        })
      : undefined;
  const reports = await mapLimit(stacks, workers, async (stack: SynthesizedStack): Promise<StackReport> => {
    const skipped = notPlanned.get(stack.name);
    if (skipped) {
      const report: StackReport = { stack: stack.name, status: 'not-planned', resources: stack.resourceCount, ...skipped };
      opts.onStack?.(report);
      return report;
    }
    opts.onStackStart?.(stack.name);
    const lease = pool && sharesProvider(stack, shared!, awsBuild) ? await pool.lease() : undefined;
    lease?.use?.(typesUsedBy(stack.json)); // Set before every plan on a lease, so nothing carries over.
    try {
      const report = await planStack(stack, {
        terraform: terraform!.path,
        workDir: join(workRoot, stack.name),
        env: lease ? { ...tfEnv, TF_REATTACH_PROVIDERS: lease.reattach } : tfEnv,
        timeoutMs: opts.timeoutMs ?? 600_000,
        ...(opts.planJsonDir ? { planJsonFile: join(opts.planJsonDir, `${stack.name}.json`) } : {}),
      });
      opts.onStack?.(report);
      return report;
    } finally {
      pool?.release(lease);
    }
  }).finally(() => pool?.close());

  return {
    outdir,
    ...(terraform ? { terraform } : {}),
    providers: [...chosen.values()].map((p) => ({ key: providerKey(p), version: p.version, mirror: p.mirror })),
    stacks: reports,
    wallMs: Date.now() - start,
  };
}

/** The provider behind a schema proxy, or the provider alone when the proxy cannot start. */
async function proxied(provider: DebugProvider, onFallback: (why: string) => void): Promise<DebugProvider> {
  try {
    return behindSchemaProxy(provider, await startSchemaProxy(provider.reattach));
  } catch (e) {
    onFallback((e as Error).message);
    return provider;
  }
}

/** The AWS provider build to share: only when every stack that plans with AWS uses the same one. */
function sharedBuild(stacks: readonly SynthesizedStack[], awsBuild: Map<string, MirroredProvider>): MirroredProvider | undefined {
  const builds = new Set(stacks.map((s) => awsBuild.get(s.name)).filter((b) => b !== undefined));
  return builds.size === 1 ? [...builds][0] : undefined;
}

/**
 * Whether a stack plans against a shared provider process. Not when it declares several AWS
 * provider blocks (aliases): Terraform starts one process per block because a process keeps only
 * its last configuration, so blocks sharing one would plan with each other's region and tags.
 */
export function sharesProvider(stack: SynthesizedStack, shared: MirroredProvider, awsBuild: Map<string, MirroredProvider>): boolean {
  const blocks = ([] as unknown[]).concat(stack.json.provider?.aws ?? []);
  return awsBuild.get(stack.name) === shared && blocks.length <= 1;
}
