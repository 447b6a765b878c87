import type { StackReport, VerificationReport } from '../verify/report';
import { seconds } from '../verify/format';

export interface EnvironmentResult {
  readonly environment: string;
  readonly synthMs?: number;
  /** Undefined when synth or plan did not produce a report. */
  readonly report?: VerificationReport;
  /** Warnings the stacks raised at synth (cdktf annotations), e.g. an insecure opt-in. */
  readonly synthWarnings?: readonly { stack: string; message: string }[];
}

const STATUS: Record<StackReport['status'], string> = { planned: 'planned', failed: 'FAILED', 'not-planned': 'not planned' };

/** The main job's closing table: one row per stack, then totals and the reasons behind any row that is not green. */
export function renderSummary(results: readonly EnvironmentResult[]): string {
  const rows: string[][] = [['ENVIRONMENT', 'STACK', 'RESOURCES', 'PLAN', 'TO ADD', 'SYNTH', 'PLAN TIME']];
  const notes: string[] = [];
  for (const r of results) {
    for (const w of r.synthWarnings ?? []) notes.push(`${w.stack}: warning: ${w.message}`);
    if (!r.report) {
      rows.push([r.environment, '-', '-', 'NO REPORT', '-', seconds(r.synthMs), '-']);
      notes.push(`${r.environment}: synth or plan did not finish; see its output above`);
      continue;
    }
    r.report.stacks.forEach((s, i) => {
      rows.push([
        i === 0 ? r.environment : '',
        s.stack,
        String(s.resources),
        STATUS[s.status],
        s.plan ? String(s.plan.add) : '-',
        i === 0 ? seconds(r.synthMs) : '',
        s.planMs !== undefined ? seconds((s.initMs ?? 0) + s.planMs) : '-',
      ]);
      if (s.status !== 'planned') notes.push(`${s.stack}: ${s.reason}`);
      for (const w of s.warnings ?? []) notes.push(`${s.stack}: warning: ${w.split('\n')[0]}`);
    });
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 2 || c === 4 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
  const stacks = results.flatMap((r) => r.report?.stacks ?? []);
  const count = (s: StackReport['status']) => stacks.filter((x) => x.status === s).length;
  const totals = `${results.length} environments, ${stacks.length} stacks, ${stacks.reduce((n, s) => n + s.resources, 0)} resources: ${count('planned')} planned, ${count('failed')} failed, ${count('not-planned')} not planned`;
  return [line(rows[0]), ...rows.slice(1).map(line), '', totals, ...(notes.length ? ['', ...notes.map((n) => `- ${n}`)] : [])].join('\n');
}

export function summaryFailed(results: readonly EnvironmentResult[]): boolean {
  return results.some((r) => !r.report || r.report.stacks.some((s) => s.status === 'failed'));
}
