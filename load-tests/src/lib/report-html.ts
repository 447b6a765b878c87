import { SMOKE } from './config';
import { statusWord } from './report-markdown';
import type { SummaryDocument } from './summary-document';

const h = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (n: number | null, unit = '') => (n === null ? 'n/a' : `${n}${unit}`);
const pct = (n: number | null) => (n === null ? 'n/a' : `${Math.round(n * 10000) / 100}%`);

/** A bar showing a value against its limit (no scripts, no external assets). */
function bar(value: number | null, limit: number): string {
  if (value === null) return '';
  const width = Math.min(100, Math.round((value / (limit * 1.5)) * 100));
  const mark = Math.round((1 / 1.5) * 100);
  return `<div class="bar"><span class="${value < limit ? 'ok' : 'bad'}" style="width:${width}%"></span><i style="left:${mark}%"></i></div>`;
}

/** A self-contained HTML page (inline CSS only) for browsing a run, e.g. as a CI artifact. */
export function renderHtml(doc: SummaryDocument): string {
  const { plan, verdict } = doc;
  const title = `GitLab load test: ${plan.environment} (${plan.size.toUpperCase()}, ${plan.mode})`;
  const endpointRows = verdict.endpoints
    .map(
      (e) =>
        `<tr class="${e.ok ? 'ok' : 'bad'}"><td>${h(e.name)}<small>${h(e.title)}</small></td><td>${e.targetRps}</td><td>${e.achievedRps}</td><td>${num(e.ttfbAvgMs, ' ms')}</td><td>${num(e.ttfbP90Ms, ' ms')} / ${e.ttfbLimitMs} ms${bar(e.ttfbP90Ms, e.ttfbLimitMs)}</td><td>${pct(e.successRate)}</td><td>${statusWord(e.status)}</td></tr>`,
    )
    .join('\n');
  const trafficRows = verdict.traffic
    .map((t) => `<tr class="${t.ok ? 'ok' : 'bad'}"><td>${h(t.type)}</td><td>${t.targetRps}</td><td>${t.achievedRps}</td><td>${pct(t.ratio)}</td><td>${t.ok ? 'pass' : 'FAIL'}</td></tr>`)
    .join('\n');
  const setup = verdict.setupError !== undefined ? `<h2>Setup failed: no load was sent</h2><pre>${h(verdict.setupError)}</pre>` : '';
  const failures = verdict.failures.length
    ? `<h2>Failed or not evaluated checks</h2><ul>${verdict.failures.map((f) => `<li>${f.status === 'not-evaluated' ? '(not evaluated) ' : ''}${h(f.message)}</li>`).join('')}</ul>`
    : '';
  // After a failed setup nothing was measured: the cause is the whole report.
  const tables = `
<h2>Endpoints</h2>
<table><thead><tr><th>Endpoint</th><th>Target RPS</th><th>Achieved RPS</th><th>TTFB avg</th><th>TTFB p90 / limit</th><th>Success</th><th>Result</th></tr></thead>
<tbody>
${endpointRows}
</tbody></table>
${
  verdict.traffic.length
    ? `<h2>Traffic types</h2>
<table><thead><tr><th>Traffic</th><th>Target RPS</th><th>Achieved RPS</th><th>Achieved</th><th>Result</th></tr></thead>
<tbody>
${trafficRows}
</tbody></table>`
    : ''
}`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${h(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#222}
.verdict{font-size:1.4rem;font-weight:bold}.verdict.ok{color:#1a7f37}.verdict.bad{color:#cf222e}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ddd;padding:4px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}small{display:block;color:#666}
tr.bad td:last-child{color:#cf222e;font-weight:bold}
.bar{position:relative;height:6px;background:#eee;margin-top:3px}.bar span{display:block;height:6px}
.bar span.ok{background:#2da44e}.bar span.bad{background:#cf222e}.bar i{position:absolute;top:-2px;width:2px;height:10px;background:#222}
</style></head><body>
<h1>${h(title)}</h1>
<p class="verdict ${verdict.passed ? 'ok' : 'bad'}">${verdict.passed ? 'PASSED' : 'FAILED'} &middot; score ${verdict.score}%</p>
<p>${h(plan.baseUrl)} &middot; project ${h(plan.projectPath)} &middot; ${plan.mode === SMOKE ? 'each endpoint once' : `hold ${plan.holdSeconds} s`} &middot; ${doc.runners} runner(s) &middot; dropped iterations (hold) ${verdict.droppedIterations}, (ramp-up, not judged) ${verdict.rampDroppedIterations ?? 0} &middot; ${h(doc.generatedAt)}</p>
${setup || `${failures}${tables}`}
</body></html>
`;
}
