import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkStack } from './check';
import { estimateStack } from './cost/estimate';
import { PRICE_TABLE, type PriceTable } from './cost/price-table';
import { architectureMarkdown } from './diagram/architecture';
import { scanFolder } from './secrets/scan';
import { readStacks } from './synth-output';
import { blockingFindings, REPORT_FILE, type GuardrailReport, type StackGuardrails } from './report-text';

export * from './report-text';

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
