import { readdirSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';

/** Resident memory of a process and all its descendants, in bytes (Linux /proc). */
export function treeRss(rootPid: number): number {
  const parent = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may contain spaces) start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(entry), Number(fields[1]));
      rss.set(Number(entry), Number(fields[21]) * 4096);
    } catch {
      // The process ended while we looked.
    }
  }
  let total = 0;
  for (const [pid, bytes] of rss) {
    for (let p: number | undefined = pid; p; p = parent.get(p)) {
      if (p === rootPid) {
        total += bytes;
        break;
      }
    }
  }
  return total;
}

export interface Measured {
  readonly code: number;
  readonly wallMs: number;
  /** Highest sum of resident memory over the whole process tree, sampled every 100 ms. */
  readonly peakTreeRssBytes: number;
}

/** Samples the memory of a process tree every 100 ms until stopped; returns the highest sum seen. */
export function peakSampler(rootPid: number): () => number {
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, treeRss(rootPid))), 100);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

/** Runs a command with its output hidden, timing it and sampling the memory of its process tree. */
export function measure(cmd: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Measured> {
  const start = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: 'ignore' });
    const peak = peakSampler(child.pid!);
    child.on('close', (code) => resolve({ code: code ?? 1, wallMs: Date.now() - start, peakTreeRssBytes: peak() }));
  });
}
