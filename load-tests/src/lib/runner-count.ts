/**
 * Requests per second one k6-operator runner is trusted to generate by default: a runner pod asks
 * for 1 vCPU and 1 GiB, and the suite checks and parses every response, which costs far more CPU
 * than a bare GET. Measure yours (run one runner at rising rates and watch `dropped_iterations`
 * and the runner's CPU) and pass `--rps-per-runner`.
 */
export const DEFAULT_RPS_PER_RUNNER = 200;

/** Runners needed so that none is asked for more than `rpsPerRunner`: at least 1. */
export function runnerCount(totalRps: number, rpsPerRunner: number): number {
  if (!(rpsPerRunner > 0) || !Number.isFinite(rpsPerRunner)) throw new Error(`requests per runner must be a positive number, got ${rpsPerRunner}`);
  if (!(totalRps >= 0) || !Number.isFinite(totalRps)) throw new Error(`total rate must be a number of requests per second, got ${totalRps}`);
  return Math.max(1, Math.ceil(totalRps / rpsPerRunner));
}
