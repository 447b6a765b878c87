import type { DebugProvider } from './debug-provider';

export interface ProviderPoolOptions {
  /** Most provider processes at once: one per worker. */
  readonly size: number;
  /** Starts one provider process; rejects when it cannot be started in debug mode. Aborting `signal` must end it. */
  readonly start: (signal: AbortSignal) => Promise<DebugProvider>;
  /** Told once when the pool gives up and plans fall back to Terraform starting the provider. */
  readonly onFallback?: (reason: string) => void;
  /** Told each time a provider process starts. */
  readonly onStart?: (provider: DebugProvider) => void;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Provider processes for the workers of one verification. A worker leases a process for one stack
 * and gives it back; a process is never leased twice at once, because a provider process holds the
 * configuration of the last ConfigureProvider call. Processes start on first demand, up to `size`.
 * If one fails to start, the pool stops trying and every later lease gets none (the plan then starts
 * its own provider, as plain Terraform does).
 *
 * Every process is ended by close(), and also when this process exits or receives SIGINT, SIGTERM or
 * SIGHUP before close() (the signal is then raised again, so the process ends as it would have).
 */
export class ProviderPool {
  private readonly idle: DebugProvider[] = [];
  private readonly all: DebugProvider[] = [];
  private starting = 0;
  private broken = false;
  private closed = false;
  /** Ends processes still starting when the pool is killed. */
  private readonly abort = new AbortController();
  private readonly onExit = () => this.killAll();
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.killAll();
    this.removeHandlers();
    process.kill(process.pid, signal);
  };

  constructor(private readonly opts: ProviderPoolOptions) {
    if (!(opts.size >= 1)) throw new Error(`provider pool size must be at least 1, got ${opts.size}`);
    process.on('exit', this.onExit);
    for (const s of SIGNALS) process.on(s, this.onSignal);
  }

  /** Pids of the provider processes started so far (running or ended). */
  readonly started: number[] = [];

  /** An idle provider process, or undefined when the pool cannot provide one (fallback). */
  async lease(): Promise<DebugProvider | undefined> {
    if (this.closed || this.broken) return undefined;
    let idle: DebugProvider | undefined;
    while ((idle = this.idle.pop())) {
      if (idle.alive()) return idle;
      // It died (a crash): forget it and start another in its place.
      this.all.splice(this.all.indexOf(idle), 1);
    }
    if (this.all.length + this.starting >= this.opts.size) {
      throw new Error(`more leases than the ${this.opts.size} provider processes of the pool: one lease per worker`);
    }
    this.starting++;
    try {
      const provider = await this.opts.start(this.abort.signal);
      if (this.closed) {
        await provider.stop();
        return undefined;
      }
      this.all.push(provider);
      this.started.push(provider.pid);
      this.opts.onStart?.(provider);
      return provider;
    } catch (e) {
      if (!this.broken && !this.closed) {
        this.broken = true;
        this.opts.onFallback?.((e as Error).message);
      }
      return undefined;
    } finally {
      this.starting--;
    }
  }

  release(provider: DebugProvider | undefined): void {
    if (!provider) return;
    if (this.closed) provider.kill();
    else this.idle.push(provider);
  }

  /** Ends every provider process and waits until they are gone. */
  async close(): Promise<void> {
    this.closed = true;
    this.removeHandlers();
    this.abort.abort();
    await Promise.all(this.all.map((p) => p.stop()));
  }

  private killAll(): void {
    this.abort.abort();
    for (const p of this.all) p.kill();
  }

  private removeHandlers(): void {
    process.off('exit', this.onExit);
    for (const s of SIGNALS) process.off(s, this.onSignal);
  }
}
