import type { StackReport } from './report';

export function seconds(ms: number | undefined): string {
  return ms === undefined ? '-' : `${(ms / 1000).toFixed(1)}s`;
}

/** One progress line per finished stack. */
export function stackLine(r: StackReport): string {
  switch (r.status) {
    case 'planned':
      return `  ok    ${r.stack}: planned, ${r.plan!.add} to add (${r.resources} declared) in ${seconds((r.initMs ?? 0) + (r.planMs ?? 0))}`;
    case 'not-planned':
      return `  skip  ${r.stack}: NOT PLANNED: ${r.reason}`;
    default:
      return `  FAIL  ${r.stack}: ${r.reason}`;
  }
}
