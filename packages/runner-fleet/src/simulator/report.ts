import type { SimResult } from './engine';

/** Seconds as a short duration: 0s, 45s, 3m05s, 2h10m. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export interface ComparisonReport {
  readonly title: string;
  readonly fleet: SimResult;
  readonly alwaysOn: SimResult;
}

/** The table the CLI prints: the fleet beside an always-on fleet of its peak size. */
export function formatComparison(r: ComparisonReport): string {
  const rows: [string, SimResult][] = [
    ['this fleet', r.fleet],
    [`always-on, ${r.alwaysOn.peakInstances} instances`, r.alwaysOn],
  ];
  const header = ['', 'wait p50', 'wait p95', 'wait max', 'unserved', 'instance-hours', 'peak'];
  const body = rows.map(([name, s]) => [name, formatDuration(s.waitP50), formatDuration(s.waitP95), formatDuration(s.waitMax), String(s.unserved), s.instanceHours.toFixed(1), String(s.peakInstances)]);
  const widths = header.map((_, c) => Math.max(...[header, ...body].map((row) => row[c].length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  const share = r.alwaysOn.instanceHours > 0 ? r.fleet.instanceHours / r.alwaysOn.instanceHours : 0;
  return [
    r.title,
    line(header),
    ...body.map(line),
    `instance-hours: ${(share * 100).toFixed(0)}% of always-on (${((1 - share) * 100).toFixed(0)}% saved)`,
  ].join('\n');
}
