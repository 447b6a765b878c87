import { formatReport, runGuardrails, writeGuardrailReport, type GuardrailOptions, type GuardrailReport } from './guardrails';

/**
 * The synth-time gate: runs the guardrails on a fresh synth output, writes guardrails.json beside
 * manifest.json, prints blocking findings (construct path, rule, fix) and a one-line verdict.
 * Returns the report; the caller fails the synth when `report.failed`.
 */
export function enforceGuardrails(
  outdir: string,
  opts: GuardrailOptions = {},
  // A passing verdict goes to stdout (cdktf-cli shows stderr as errors), a failing one to stderr.
  write: (text: string, failed: boolean) => void = (t, failed) => (failed ? process.stderr : process.stdout).write(t),
): GuardrailReport {
  const report = runGuardrails(outdir, opts);
  const file = writeGuardrailReport(outdir, report);
  const text = formatReport(report);
  write(`${text}\n${report.failed ? `synth failed: fix or suppress the findings above (report: ${file})\n` : ''}`, report.failed);
  return report;
}
