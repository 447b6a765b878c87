import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { UsedTypes } from './schema-filter';

/**
 * A provider process started in its debug serve mode (`-debug`), which Terraform attaches to
 * through TF_REATTACH_PROVIDERS instead of starting the provider itself for every command.
 */
export interface DebugProvider {
  readonly pid: number;
  /** The value for TF_REATTACH_PROVIDERS. */
  readonly reattach: string;
  /** Ends the process (its whole process group) and waits until it is gone. */
  stop(): Promise<void>;
  /** Ends the process group without waiting: for exit and signal handlers. */
  kill(): void;
  /** Whether the process is still running. */
  alive(): boolean;
  /**
   * Behind a schema proxy (schema-proxy.ts): the types the next plan uses, so the schema answer
   * holds only theirs; undefined passes every schema.
   */
  use?(types: UsedTypes | undefined): void;
}

export interface StartOptions {
  /** host/namespace/type the plans ask for, e.g. registry.terraform.io/hashicorp/aws. */
  readonly address: string;
  /** The provider's environment; it must hold no AWS_CA_BUNDLE (see startDebugProvider). */
  readonly env: NodeJS.ProcessEnv;
  /** How long to wait for the reattach line. Default: 60 s (a 700 MB binary on a loaded machine). */
  readonly timeoutMs?: number;
  /** Aborting ends the process, also while it is still starting. */
  readonly signal?: AbortSignal;
}

/** The provider executable in an unpacked provider folder (terraform-provider-<type>_v<version>_x5). */
export function providerExecutable(dir: string, type: string): string | undefined {
  try {
    const file = readdirSync(dir).find((f) => f.startsWith(`terraform-provider-${type}`) && !f.endsWith('.zip'));
    return file ? join(dir, file) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The TF_REATTACH_PROVIDERS value in what a provider prints in debug mode, keyed by `address`
 * (the provider names itself by its own registry address, which a mirror or OpenTofu may spell
 * differently). Undefined until the whole line has arrived.
 */
export function parseReattach(stdout: string, address: string): string | undefined {
  const m = /TF_REATTACH_PROVIDERS='(\{.*\})'\s*\n/.exec(stdout);
  if (!m) return undefined;
  const entries = Object.values(JSON.parse(m[1]) as Record<string, unknown>);
  if (entries.length !== 1) return undefined;
  return JSON.stringify({ [address]: entries[0] });
}

/**
 * Starts one provider process in debug mode, in its own process group, and resolves once it
 * prints where it listens. Rejects with the reason (timeout, early exit, no reattach line), so the
 * caller can fall back to letting Terraform start the provider.
 *
 * AWS_CA_BUNDLE is never passed on: the AWS provider then fails the second ConfigureProvider in one
 * process ("unable to add custom RootCAs HTTPClient"), and offline plans send no request anyway.
 */
export function startDebugProvider(binary: string, opts: StartOptions): Promise<DebugProvider> {
  const env = Object.fromEntries(Object.entries(opts.env).filter(([k]) => k !== 'AWS_CA_BUNDLE' && k !== 'TF_REATTACH_PROVIDERS'));
  const child = spawn(binary, ['-debug'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let alive = true;
  child.once('exit', () => (alive = false));
  const kill = () => {
    if (!alive || !child.pid) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  opts.signal?.addEventListener('abort', kill);
  child.once('exit', () => opts.signal?.removeEventListener('abort', kill));
  let stdout = '';
  let stderrTail = '';
  let settled = false;
  // Both pipes are read to the end: a provider blocked on a full pipe would stall every plan.
  child.stderr.on('data', (d: Buffer) => (stderrTail = (stderrTail + d.toString()).slice(-2000)));
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      kill();
      reject(new Error(`${why}${stderrTail.trim() ? `; its last output: ${stderrTail.trim().slice(-500)}` : ''}`));
    };
    const timeoutMs = opts.timeoutMs ?? 60_000;
    const timer = setTimeout(() => fail(`no TF_REATTACH_PROVIDERS line within ${timeoutMs} ms`), timeoutMs);
    child.once('error', (e) => fail(`could not start ${binary}: ${e.message}`));
    child.once('exit', (code, signal) => fail(`${binary} -debug exited (${signal ?? `code ${code}`}) before it printed TF_REATTACH_PROVIDERS`));
    child.stdout.on('data', (d: Buffer) => {
      if (settled) return;
      stdout += d.toString();
      let reattach: string | undefined;
      try {
        reattach = parseReattach(stdout, opts.address);
      } catch (e) {
        return fail(`unreadable TF_REATTACH_PROVIDERS line: ${(e as Error).message}`);
      }
      if (!reattach) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        pid: child.pid!,
        reattach,
        kill,
        alive: () => alive,
        stop: async () => {
          kill();
          if (alive) await exited;
        },
      });
    });
  });
}
