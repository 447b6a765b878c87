import { SMOKE } from './config';
import type { SummaryDocument } from './summary-document';
import type { CheckStatus, Verdict } from './verdict';

const num = (n: number | null, unit = '') => (n === null ? 'n/a' : `${n}${unit}`);
const pct = (n: number | null) => (n === null ? 'n/a' : `${Math.round(n * 10000) / 100}%`);
const cell = (s: string) => s.replace(/\|/g, '\\|');
/** An endpoint's or check's result in words. */
export const statusWord = (status: CheckStatus) => (status === 'pass' ? 'pass' : status === 'fail' ? 'FAIL' : 'NOT EVALUATED');
const dropped = (v: Verdict) => `Dropped iterations in the hold window: ${v.droppedIterations}${v.droppedIterations ? ' (FAIL)' : ''}${v.rampDroppedIterations ? `; during ramp-up (not judged): ${v.rampDroppedIterations}` : ''}`;

/** The report for people and merge requests: verdict, failures, per-endpoint and per-traffic tables. */
export function renderMarkdown(doc: SummaryDocument): string {
  const { plan, verdict } = doc;
  const lines = [
    `# GitLab load test: ${plan.environment} (${plan.size.toUpperCase()}, ${plan.mode})`,
    '',
    `**Result: ${verdict.passed ? 'PASSED' : 'FAILED'}** · score ${verdict.score}% (GPT-style; above 90% is healthy) · ${plan.baseUrl} · ${plan.mode === SMOKE ? 'each endpoint once' : `hold ${plan.holdSeconds} s`} · ${doc.runners} runner(s) · ${doc.generatedAt}`,
    '',
  ];
  if (verdict.setupError !== undefined) {
    // Nothing was measured: the cause is the whole report.
    lines.push('## Setup failed: no load was sent', '', '```', verdict.setupError, '```', '');
    return `${lines.join('\n')}\n`;
  }
  if (verdict.failures.length) {
    lines.push('## Failed or not evaluated checks', '', ...verdict.failures.map((f) => `- ${f.status === 'not-evaluated' ? '(not evaluated) ' : ''}${f.message}`), '');
  }
  lines.push(
    '## Endpoints',
    '',
    '| Endpoint | Target RPS | Achieved RPS | TTFB avg | TTFB p90 (limit) | Success | Result |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...verdict.endpoints.map(
      (e) =>
        `| ${cell(e.name)} | ${e.targetRps} | ${e.achievedRps} | ${num(e.ttfbAvgMs, ' ms')} | ${num(e.ttfbP90Ms, ' ms')} (< ${e.ttfbLimitMs} ms) | ${pct(e.successRate)} | ${statusWord(e.status)} |`,
    ),
  );
  // A smoke run has no rates and no hold window to report.
  if (plan.mode !== SMOKE) {
    lines.push(
      '',
      '## Traffic types',
      '',
      `| Traffic | Target RPS | Achieved RPS | Achieved | Result |`,
      '|---|---:|---:|---:|---|',
      ...verdict.traffic.map((t) => `| ${t.type} | ${t.targetRps} | ${t.achievedRps} | ${pct(t.ratio)} (needs ${pct(plan.achievedRateRatio)}) | ${t.ok ? 'pass' : 'FAIL'} |`),
      '',
      dropped(verdict),
    );
  }
  if (plan.skipped.length) lines.push('', `Not run: ${plan.skipped.map((s) => `${s.name} (${s.reason})`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/** A short plain-text block for the console (k6's own end-of-test text differs between versions). */
export function renderText(doc: SummaryDocument): string {
  const { verdict, plan } = doc;
  const rows = verdict.endpoints.map(
    (e) => `  ${e.ok ? 'ok  ' : e.status === 'fail' ? 'FAIL' : 'N/E '} ${e.name.padEnd(22)} ${String(e.achievedRps).padStart(7)}/${String(e.targetRps).padEnd(7)} RPS  p90 ${num(e.ttfbP90Ms, 'ms').padStart(9)} < ${e.ttfbLimitMs}ms  ${pct(e.successRate)}`,
  );
  const traffic = verdict.traffic.map((t) => `  ${t.ok ? 'ok  ' : 'FAIL'} ${t.type.padEnd(22)} ${t.achievedRps}/${t.targetRps} RPS (${pct(t.ratio)})`);
  const title = `GitLab load test ${plan.environment} (${plan.size}, ${plan.mode}): ${verdict.passed ? 'PASSED' : 'FAILED'}, score ${verdict.score}%`;
  // The cause alone, in full: k6 itself prints it only as one escaped log line.
  if (verdict.setupError !== undefined) return ['', title, '  SETUP FAILED, no load was sent:', ...verdict.setupError.split('\n').map((l) => `    ${l}`), ''].join('\n');
  return [
    '',
    title,
    ...rows,
    ...traffic,
    ...(plan.mode === SMOKE ? [] : [`  ${dropped(verdict).replace(/^D/, 'd')}`]),
    ...verdict.failures.map((f) => `  ${f.status === 'fail' ? 'failed' : 'not evaluated'}: ${f.message}`),
    '',
  ].join('\n');
}
