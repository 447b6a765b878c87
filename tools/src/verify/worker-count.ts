import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, freemem } from 'node:os';
import { join } from 'node:path';

/** Set to a whole number to choose the workers (stacks planned at once) of each verification. */
export const WORKERS_ENV = 'VERIFY_WORKERS';

/**
 * Memory one worker needs: its AWS provider process (about 350-400 MB resident once the schema is
 * loaded) plus the Terraform process planning the largest example stack.
 */
export const WORKER_BYTES = 800 * 2 ** 20;

export interface MachineShare {
  readonly cores: number;
  /** Memory available to new processes. */
  readonly availableBytes: number;
  /** Verification processes running side by side on the machine (parallel Nx tasks). */
  readonly processes: number;
}

export interface WorkerChoice {
  readonly workers: number;
  /** Why, in one line (printed by the CLI). */
  readonly reason: string;
}

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;

/**
 * Workers for one verification process: one per core, no more than the available memory holds at
 * WORKER_BYTES each, divided among the verification processes that share the machine; at least 1.
 * A valid VERIFY_WORKERS value wins; an invalid one is an error that names the variable.
 */
export function chooseWorkers(machine: MachineShare, env: NodeJS.ProcessEnv = process.env): WorkerChoice {
  const override = env[WORKERS_ENV];
  if (override !== undefined && override !== '') {
    const n = Number(override);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${WORKERS_ENV}="${override}": expected a whole number of at least 1 (or unset it to choose from cores and memory)`);
    return { workers: n, reason: `${n} worker${n === 1 ? '' : 's'} (${WORKERS_ENV}=${override})` };
  }
  const byMemory = Math.max(1, Math.floor(machine.availableBytes / WORKER_BYTES));
  const machineWide = Math.min(machine.cores, byMemory);
  const workers = Math.max(1, Math.floor(machineWide / Math.max(1, machine.processes)));
  const shared = machine.processes > 1 ? `, shared by ${machine.processes} parallel Nx tasks` : '';
  return {
    workers,
    reason: `${workers} worker${workers === 1 ? '' : 's'}: ${machine.cores} cores, ${gib(machine.availableBytes)} available (${gib(WORKER_BYTES)} per worker)${shared}; set ${WORKERS_ENV} to override`,
  };
}

/**
 * This machine's share for one verification process. Under Nx (a plan task), Nx runs up to its
 * `parallel` setting of such tasks at once (NX_PARALLEL, else nx.json, else Nx's default of 3).
 */
export function machineShare(root: string, env: NodeJS.ProcessEnv = process.env): MachineShare {
  const limit = process.constrainedMemory?.() ?? 0;
  const availableBytes = limit > 0 ? Math.min(freemem(), limit) : freemem();
  let processes = 1;
  if (env.NX_TASK_TARGET_PROJECT) {
    const nxJson = join(root, 'nx.json');
    const configured = existsSync(nxJson) ? (JSON.parse(readFileSync(nxJson, 'utf8')) as { parallel?: number }).parallel : undefined;
    processes = Number(env.NX_PARALLEL) || configured || 3;
  }
  return { cores: availableParallelism(), availableBytes, processes };
}
