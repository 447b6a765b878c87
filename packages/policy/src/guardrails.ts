import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { blockingFindings, checkStack, type Finding, type StackCheck } from './check';
import { estimateStack, type StackCost } from './cost/estimate';
import { PRICE_TABLE, type PriceTable } from './cost/price-table';
import { architectureMarkdown } from './diagram/architecture';
import { SEVERITY_ORDER, type Severity } from './rules/rule';
import { scanFolder, type SecretHit } from './secrets/scan';
import { readStacks } from './synth-output';

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

export interface GuardrailOptions {
  /** Environment name for the report; default: from the stacks' context, else the folder. */
  readonly environment?: string;
  /** Overrides what the stacks say about production. */
  readonly production?: boolean;
  readonly prices?: PriceTable;
}

/** Runs every guardrail on a synth output folder: rules, secret scan, cost estimate, diagram. */
export function runGuardrails(outdir: string, opts: GuardrailOptions = {}): GuardrailReport {
  const stacks = readStacks(outdir);
  const prices = opts.prices ?? PRICE_TABLE;
  const checked: StackGuardrails[] = stacks.map((s) => ({
    ...checkStack(s.name, s.json, opts.production === undefined ? {} : { production: opts.production }),
    cost: estimateStack(s.name, s.json, prices),
  }));
  const environment = opts.environment ?? checked.find((c) => c.context.environment)?.context.environment ?? 'environment';
  const secrets = scanFolder(outdir, (rel) => rel === REPORT_FILE);
  const findings = checked.flatMap((c) => c.findings);
  const counts = { critical: 0, high: 0, medium: 0, low: 0, suppressed: 0 };
  for (const f of findings) {
    if (f.suppressed) counts.suppressed += 1;
    else counts[f.severity] += 1;
  }
  return {
    environment,
    stacks: checked,
    secrets,
    counts,
    monthlyCost: Math.round(checked.reduce((n, c) => n + c.cost.monthly, 0) * 100) / 100,
    prices: { label: prices.label, currency: prices.currency, date: prices.date, source: prices.source, assumptions: prices.assumptions },
    architecture: architectureMarkdown(environment, stacks),
    failed: blockingFindings(findings).length > 0 || secrets.length > 0,
  };
}

export function writeGuardrailReport(outdir: string, report: GuardrailReport): string {
  const file = join(outdir, REPORT_FILE);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
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
