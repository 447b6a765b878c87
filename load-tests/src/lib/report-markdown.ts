import type { SummaryDocument } from './summary-document';

const num = (n: number | null, unit = '') => (n === null ? 'n/a' : `${n}${unit}`);
const pct = (n: number | null) => (n === null ? 'n/a' : `${Math.round(n * 10000) / 100}%`);
const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The report for people and merge requests: verdict, failures, per-endpoint and per-traffic tables. */
export function renderMarkdown(doc: SummaryDocument): string {
  const { plan, verdict } = doc;
  const lines = [
    `# GitLab load test: ${plan.environment} (${plan.size.toUpperCase()}, ${plan.mode})`,
    '',
    `**Result: ${verdict.passed ? 'PASSED' : 'FAILED'}** · score ${verdict.score}% (GPT-style; above 90% is healthy) · ${plan.baseUrl} · hold ${plan.holdSeconds} s · ${doc.runners} runner(s) · ${doc.generatedAt}`,
    '',
  ];
  if (verdict.failures.length) {
    lines.push('## Failed checks', '', ...verdict.failures.map((f) => `- ${f.message}`), '');
  }
  lines.push(
    '## Endpoints',
    '',
    '| Endpoint | Target RPS | Achieved RPS | TTFB avg | TTFB p90 (limit) | Success | Result |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...verdict.endpoints.map(
      (e) =>
        `| ${cell(e.name)} | ${e.targetRps} | ${e.achievedRps} | ${num(e.ttfbAvgMs, ' ms')} | ${num(e.ttfbP90Ms, ' ms')} (< ${e.ttfbLimitMs} ms) | ${pct(e.successRate)} | ${e.ok ? 'pass' : 'FAIL'} |`,
    ),
    '',
    '## Traffic types',
    '',
    `| Traffic | Target RPS | Achieved RPS | Achieved | Result |`,
    '|---|---:|---:|---:|---|',
    ...verdict.traffic.map((t) => `| ${t.type} | ${t.targetRps} | ${t.achievedRps} | ${pct(t.ratio)} (needs ${pct(plan.achievedRateRatio)}) | ${t.ok ? 'pass' : 'FAIL'} |`),
    '',
    `Dropped iterations: ${verdict.droppedIterations}${verdict.droppedIterations ? ' (FAIL)' : ''}`,
  );
  if (plan.skipped.length) lines.push('', `Not run: ${plan.skipped.map((s) => `${s.name} (${s.reason})`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/** A short plain-text block for the console (k6's own end-of-test text differs between versions). */
export function renderText(doc: SummaryDocument): string {
  const { verdict, plan } = doc;
  const rows = verdict.endpoints.map(
    (e) => `  ${e.ok ? 'ok  ' : 'FAIL'} ${e.name.padEnd(22)} ${String(e.achievedRps).padStart(7)}/${String(e.targetRps).padEnd(7)} RPS  p90 ${num(e.ttfbP90Ms, 'ms').padStart(9)} < ${e.ttfbLimitMs}ms  ${pct(e.successRate)}`,
  );
  const traffic = verdict.traffic.map((t) => `  ${t.ok ? 'ok  ' : 'FAIL'} ${t.type.padEnd(22)} ${t.achievedRps}/${t.targetRps} RPS (${pct(t.ratio)})`);
  return [
    '',
    `GitLab load test ${plan.environment} (${plan.size}, ${plan.mode}): ${verdict.passed ? 'PASSED' : 'FAILED'}, score ${verdict.score}%`,
    ...rows,
    ...traffic,
    `  dropped iterations: ${verdict.droppedIterations}`,
    ...verdict.failures.map((f) => `  failed: ${f.message}`),
    '',
  ].join('\n');
}
