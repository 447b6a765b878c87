import { money, type GuardrailReport } from '@gitlab-aws/policy/src/report-text';
import { verificationProblems, type ExitRules, type StackReport, type VerificationReport } from '../verify/report';
import { seconds } from '../verify/format';

export interface EnvironmentResult {
  readonly environment: string;
  readonly synthMs?: number;
  /** Undefined when synth or plan did not produce a report. */
  readonly report?: VerificationReport;
  /** The synth's guardrail report (cdktf.out/guardrails.json), when synth got that far. */
  readonly guardrails?: GuardrailReport;
  /** Warnings the stacks raised at synth (cdktf annotations), e.g. an insecure opt-in. */
  readonly synthWarnings?: readonly { stack: string; message: string }[];
}

function table(rows: string[][], rightAligned: number[]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  return rows.map((row) => row.map((cell, c) => (rightAligned.includes(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd());
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

/**
 * The second table: policy findings (unsuppressed, by severity; suppressed; secrets) and the
 * monthly cost estimate, per stack and per environment.
 */
export function renderGuardrails(results: readonly EnvironmentResult[]): string {
  const rows: string[][] = [['ENVIRONMENT', 'STACK', 'CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'SUPPRESSED', 'SECRETS', 'MONTHLY COST']];
  const notes: string[] = [];
  let prices: GuardrailReport['prices'] | undefined;
  for (const r of results) {
    const g = r.guardrails;
    if (!g) {
      rows.push([r.environment, '-', '-', '-', '-', '-', '-', '-', '-']);
      notes.push(`${r.environment}: no guardrail report (synth did not run the guardrails)`);
      continue;
    }
    prices = g.prices;
    g.stacks.forEach((s, i) => {
      const open = s.findings.filter((f) => !f.suppressed);
      const n = (sev: string) => String(open.filter((f) => f.severity === sev).length);
      const secrets = g.secrets.filter((x) => x.file.includes(`stacks/${s.stack}/`)).length;
      rows.push([i === 0 ? r.environment : '', s.stack, n('critical'), n('high'), n('medium'), n('low'), String(s.findings.length - open.length), String(secrets), money(s.cost.monthly)]);
      if (s.cost.unpriced.length) notes.push(`${s.stack}: not priced: ${s.cost.unpriced.map((u) => (u.address === '-' ? u.reason : u.address)).join(', ')}`);
    });
    const c = g.counts;
    rows.push([g.stacks.length ? '' : r.environment, g.failed ? `${r.environment} total: FAILED` : `${r.environment} total`, String(c.critical), String(c.high), String(c.medium), String(c.low), String(c.suppressed), String(g.secrets.length), money(g.monthlyCost)]);
  }
  const label = prices ? `Monthly cost: ${prices.label}, on-demand list prices (${prices.date}, ${prices.currency}) from packages/policy/src/cost/prices.json; usage items from stated assumptions.` : '';
  return [...table(rows, [2, 3, 4, 5, 6, 7, 8]), '', ...(label ? [label] : []), ...notes.map((n) => `- ${n}`)].join('\n');
}

/** Red when an environment has no report, a stack failed or was not planned (beyond what the rules allow), or the guardrails failed. */
export function summaryFailed(results: readonly EnvironmentResult[], rules: ExitRules = {}): boolean {
  return results.some((r) => !r.report || verificationProblems(r.report, rules).length > 0 || r.guardrails?.failed === true);
}
