import { formatReport, runGuardrails, writeGuardrailReport, type GuardrailOptions, type GuardrailReport } from './guardrails';

/**
 * The synth-time gate: runs the guardrails on a fresh synth output, writes guardrails.json beside
 * manifest.json, prints blocking findings (construct path, rule, fix) and a one-line verdict.
 * Returns the report; the caller fails the synth when `report.failed`.
 */
export function enforceGuardrails(outdir: string, opts: GuardrailOptions = {}, write: (text: string) => void = (t) => process.stderr.write(t)): GuardrailReport {
  const report = runGuardrails(outdir, opts);
  const file = writeGuardrailReport(outdir, report);
  const text = formatReport(report);
  write(`${text}\n${report.failed ? `synth failed: fix or suppress the findings above (report: ${file})\n` : ''}`);
  return report;
}
