/** Job-arrival workloads for the fleet simulator: a CSV trace, or a seeded Poisson workload with a daily pattern. */

export interface SimJob {
  /** Seconds from the start of the simulation. */
  readonly arrival: number;
  /** Seconds the job runs once it has a slot. */
  readonly duration: number;
}

/** mulberry32: a small, fast PRNG; the same seed always gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Share of the peak arrival rate at an hour of the week: busy working hours, quiet nights and weekends. */
export type DailyPattern = (hourOfDay: number, dayOfWeek: number) => number;

/** Working days 08-18 at full rate, shoulders at a third, nights and weekends at 5 %. */
export const OFFICE_HOURS: DailyPattern = (hour, day) => {
  if (day === 0 || day === 6) return 0.05;
  if (hour >= 8 && hour < 18) return 1;
  if (hour === 7 || hour === 18 || hour === 19) return 0.3;
  return 0.05;
};

export interface GeneratedWorkloadProps {
  readonly seed: number;
  readonly days: number;
  /** Arrivals per hour at the busiest time. */
  readonly peakJobsPerHour: number;
  /** Mean job duration, minutes (durations are log-normal, as CI jobs are). */
  readonly meanDurationMinutes: number;
  /** Spread of the log-normal durations. Default: 0.6. */
  readonly durationSigma?: number;
  /** Start of the simulation; the pattern is read in UTC. Default: Monday 2024-01-01 00:00 UTC. */
  readonly start?: Date;
  readonly pattern?: DailyPattern;
}

export const DEFAULT_START = new Date('2024-01-01T00:00:00Z');

/**
 * A non-homogeneous Poisson process by thinning: candidate arrivals at the peak rate, each kept
 * with probability pattern(t). Deterministic for a given seed.
 */
export function generateWorkload(p: GeneratedWorkloadProps): SimJob[] {
  if (!(p.days > 0) || !(p.peakJobsPerHour > 0) || !(p.meanDurationMinutes > 0)) {
    throw new Error('generateWorkload: days, peakJobsPerHour and meanDurationMinutes must be positive');
  }
  const random = seededRandom(p.seed);
  const pattern = p.pattern ?? OFFICE_HOURS;
  const start = (p.start ?? DEFAULT_START).getTime();
  const sigma = p.durationSigma ?? 0.6;
  // Mean of a log-normal is exp(mu + sigma^2 / 2).
  const mu = Math.log(p.meanDurationMinutes * 60) - (sigma * sigma) / 2;
  const horizon = p.days * 86400;
  const ratePerSecond = p.peakJobsPerHour / 3600;
  const jobs: SimJob[] = [];
  let t = 0;
  for (;;) {
    t += -Math.log(1 - random()) / ratePerSecond;
    if (t >= horizon) break;
    const at = new Date(start + t * 1000);
    const keep = random() < pattern(at.getUTCHours(), at.getUTCDay());
    // Draw the duration either way, so the sequence does not depend on the pattern's branches.
    const u1 = 1 - random();
    const u2 = random();
    const normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    if (keep) jobs.push({ arrival: Math.round(t), duration: Math.max(1, Math.round(Math.exp(mu + sigma * normal))) });
  }
  return jobs;
}

/**
 * A trace as CSV: a header naming `arrival` and `duration` columns. Arrival is seconds from the
 * start or an ISO-8601 time (then relative to the first arrival's day start, UTC); duration is seconds.
 */
export function parseTraceCsv(text: string, file = 'trace'): { jobs: SimJob[]; start?: Date } {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  if (lines.length === 0) throw new Error(`${file}: empty; expected a header "arrival,duration" and one job per line`);
  const header = lines[0].split(',').map((h) => h.trim().toLowerCase());
  const ai = header.indexOf('arrival');
  const di = header.indexOf('duration');
  if (ai < 0 || di < 0) throw new Error(`${file}:1: expected a header with "arrival" and "duration" columns, got "${lines[0]}"`);
  const raw = lines.slice(1).map((line, i) => {
    const cells = line.split(',').map((c) => c.trim());
    const where = `${file}:${i + 2}`;
    const duration = Number(cells[di]);
    if (!Number.isFinite(duration) || duration <= 0) throw new Error(`${where}: duration "${cells[di] ?? ''}" is not a positive number of seconds`);
    const a = cells[ai] ?? '';
    if (/^\d+(\.\d+)?$/.test(a)) return { arrival: Number(a), duration, iso: false };
    const ms = Date.parse(a);
    if (Number.isNaN(ms)) throw new Error(`${where}: arrival "${a}" is neither seconds nor an ISO-8601 time`);
    return { arrival: ms / 1000, duration, iso: true };
  });
  if (raw.length === 0) throw new Error(`${file}: no jobs after the header`);
  if (raw.some((r) => r.iso) && !raw.every((r) => r.iso)) throw new Error(`${file}: mixes seconds and ISO times in "arrival"; use one form`);
  if (raw[0].iso) {
    const first = Math.min(...raw.map((r) => r.arrival));
    const dayStart = Math.floor(first / 86400) * 86400;
    return { jobs: sortJobs(raw.map((r) => ({ arrival: r.arrival - dayStart, duration: r.duration }))), start: new Date(dayStart * 1000) };
  }
  return { jobs: sortJobs(raw.map((r) => ({ arrival: r.arrival, duration: r.duration }))) };
}

function sortJobs(jobs: SimJob[]): SimJob[] {
  return [...jobs].sort((a, b) => a.arrival - b.arrival);
}
