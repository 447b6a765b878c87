import type { Finding, StackCheck } from './check';
import type { StackCost } from './cost/estimate';
import type { PriceTable } from './cost/price-table';
import { BLOCKING, SEVERITY_ORDER, type Severity } from './rules/rule';
import type { SecretHit } from './secrets/scan';

// The report's shape and its text form, apart from the rules and prices that produce it: the main
// job prints reports on every run, including cached repeats, and must not load the rule pack to do so.

/** The report every synth writes beside manifest.json. */
export const REPORT_FILE = 'guardrails.json';

export interface StackGuardrails extends StackCheck {
  readonly cost: StackCost;
}

export interface GuardrailReport {
  readonly environment: string;
  readonly stacks: StackGuardrails[];
  readonly secrets: SecretHit[];
  readonly counts: Record<Severity, number> & { suppressed: number };
  readonly monthlyCost: number;
  readonly prices: Pick<PriceTable, 'label' | 'currency' | 'date' | 'source' | 'assumptions'>;
  /** Mermaid architecture page (Markdown). */
  readonly architecture: string;
  /** True when synth must fail: an unsuppressed high/critical finding or a secret. */
  readonly failed: boolean;
}

/** Findings that fail synth: high or critical, not suppressed. */
export function blockingFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => !f.suppressed && BLOCKING.includes(f.severity));
}

const bySeverity = (a: Finding, b: Finding) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || a.path.localeCompare(b.path);

function findingLines(f: Finding): string[] {
  const ids = [...f.checkov, ...f.trivy.map((t) => `Trivy ${t}`)].join(', ');
  return [
    `${f.severity.toUpperCase()} ${f.rule} ${f.title}${ids ? ` [${ids}]` : ''}`,
    `  at   ${f.path} (${f.stack}: ${f.address})`,
    `  why  ${f.message}`,
    ...(f.suppressed ? [`  suppressed: ${f.suppressed}`] : [`  fix  ${f.fix}`]),
  ];
}

export function money(n: number, currency = 'USD'): string {
  return `${currency === 'USD' ? '$' : `${currency} `}${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Findings, secrets and cost as text. `all` lists medium/low and suppressed findings too (the CLI); synth lists blocking ones. */
export function formatReport(report: GuardrailReport, opts: { all?: boolean; cost?: boolean } = {}): string {
  const findings = report.stacks.flatMap((s) => s.findings).sort(bySeverity);
  const shown = opts.all ? findings : blockingFindings(findings);
  const out: string[] = [];
  for (const f of shown) out.push(...findingLines(f), '');
  for (const s of report.secrets) out.push(`SECRET ${s.kind} in ${s.file} at ${s.where}: ${s.redacted}`, '  fix  keep secrets in SSM SecureString or Secrets Manager and reference them; never write them into the configuration', '');
  if (opts.all) {
    for (const s of report.stacks) for (const u of s.unusedSuppressions) out.push(`note: the suppression of ${u.rule} on ${u.path} matches no finding; remove it`);
  }
  if (opts.cost) {
    out.push(`Monthly cost (${report.prices.label}, on-demand list prices of ${report.prices.date}; ${report.prices.source}):`);
    for (const s of report.stacks) {
      out.push(`  ${s.stack}: ${money(s.cost.monthly, report.prices.currency)} (${s.cost.priceRegion} prices)`);
      for (const i of s.cost.items) if (i.monthly > 0) out.push(`    ${money(i.monthly).padStart(11)}  ${i.service.padEnd(11)} ${i.description} — ${i.path}${i.basis ? ` (${i.basis})` : ''}`);
      for (const u of s.cost.unpriced) out.push(`    not priced: ${u.address}: ${u.reason}`);
    }
    out.push(`  total: ${money(report.monthlyCost, report.prices.currency)} per month (estimate)`, '');
  }
  const c = report.counts;
  out.push(
    `guardrails ${report.environment}: ${report.failed ? 'FAILED' : 'passed'}: ${c.critical} critical, ${c.high} high, ${c.medium} medium, ${c.low} low unsuppressed; ${c.suppressed} suppressed; ${report.secrets.length} secret(s); estimated ${money(report.monthlyCost, report.prices.currency)}/month`,
  );
  return out.join('\n');
}
