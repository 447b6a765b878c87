import { parseDocument } from 'yaml';
import { k6SummaryFixture, planFixture } from '../testing/fixtures';
import { renderHtml } from './report-html';
import { renderJUnit } from './report-junit';
import { renderMarkdown, renderText } from './report-markdown';
import { renderReports } from './reports';
import { parseSummaryDocument, summaryDocument, SUMMARY_SCHEMA } from './summary-document';

const plan = planFixture('2k');
const failing = summaryDocument(plan, k6SummaryFixture(plan, { ttfbP90: { api_commit: 750 }, success: { web_issue: 0.97 } }), '2025-01-01T00:00:00.000Z');
const passing = summaryDocument(plan, k6SummaryFixture(plan), '2025-01-01T00:00:00.000Z');

const cause = "https://gitlab-2k.example.com answered GET /api/v4/user with 503 Service Unavailable (text/html); expected 200 with the token's user as JSON.";
const setupFailed = summaryDocument(plan, k6SummaryFixture(plan, { setupError: cause }), '2025-01-01T00:00:00.000Z');
const unmeasured = summaryDocument(plan, k6SummaryFixture(plan, { noSamples: ['api_search'] }), '2025-01-01T00:00:00.000Z');

describe('a failed setup', () => {
  it('is stated with its cause in every report and the console verdict, not as dozens of empty rows', () => {
    expect(setupFailed.verdict.setupError).toBe(cause);
    const files = renderReports(setupFailed);
    expect(files['report.md']).toContain(`## Setup failed: no load was sent\n\n\`\`\`\n${cause}\n\`\`\``);
    expect(files['report.html']).toContain('<h2>Setup failed: no load was sent</h2><pre>https://gitlab-2k.example.com answered GET /api/v4/user with 503 Service Unavailable (text/html); expected 200 with the token&#39;s user as JSON.</pre>'.replace('&#39;', "'"));
    expect(files['junit.xml']).toContain(`<testsuite name="setup" tests="1" failures="1" errors="0">`);
    expect(files['junit.xml']).toContain(`<failure message="setup failed, no load was sent: ${cause.replace(/"/g, '&quot;')}" type="setup">`);
    expect(JSON.parse(files['summary.json']).verdict.setupError).toBe(cause);
    const text = renderText(setupFailed);
    expect(text).toContain(`SETUP FAILED, no load was sent:\n    ${cause}`);
    expect(text).not.toContain('not evaluated');
    expect(text).not.toContain('api_user');
    // One rule, one failure: the cause.
    expect(setupFailed.verdict.failures).toHaveLength(1);
    expect(files['junit.xml']).toContain('<testsuites name="GitLab load test gitlab-2k (2k, mixed)" tests="1" failures="1" errors="0">');
    expect(files['report.md']).not.toContain('| api_user |');
    expect(files['report.html']).not.toContain('<h2>Endpoints</h2>');
    expect(renderHtml(passing)).toContain('<h2>Endpoints</h2>');
  });
});

describe('unmeasured endpoints', () => {
  it('are "not evaluated" in every report, never a pass', () => {
    const files = renderReports(unmeasured);
    expect(files['report.md']).toMatch(/\| api_search \| [\d.]+ \| 0 \| n\/a \| n\/a \(< 3000 ms\) \| n\/a \| FAIL \|/);
    expect(files['report.md']).toContain('- (not evaluated) api_search: TTFB not evaluated: no requests measured in the hold window');
    expect(files['junit.xml']).toContain('<error message="api_search: TTFB not evaluated: no requests measured in the hold window" type="not-evaluated">');
    expect(files['junit.xml']).toMatch(/<testsuite name="ttfb" tests="\d+" failures="0" errors="1">/);
    expect(files['junit.xml']).not.toContain('api_search: TTFB p90 0 ms');
    expect(renderText(unmeasured)).toContain('not evaluated: api_search: TTFB not evaluated');
    expect(renderText(unmeasured)).toMatch(/FAIL api_search/);
  });
});

describe('a smoke run', () => {
  it('reports each endpoint once, without rates, traffic or drops', () => {
    const smokePlan = planFixture('2k', {}, { LOAD_TEST_MODE: 'smoke' });
    const doc = summaryDocument(smokePlan, k6SummaryFixture(smokePlan), '2025-01-01T00:00:00.000Z');
    const md = renderMarkdown(doc);
    expect(md).toContain('**Result: PASSED** · score 100% (GPT-style; above 90% is healthy) · https://gitlab-2k.example.com · each endpoint once ·');
    expect(md).not.toContain('## Traffic types');
    expect(md).not.toContain('Dropped iterations');
    expect(renderText(doc)).not.toContain('dropped');
    expect(renderMarkdown(passing)).toContain('## Traffic types');
  });
});

describe('Markdown report', () => {
  it('has the verdict, the score, the failed checks and one row per endpoint with its limit', () => {
    const md = renderMarkdown(failing);
    expect(md).toContain('**Result: FAILED** · score');
    expect(md).toContain('- api_commit: TTFB p90 750 ms >= 500 ms (+50%)');
    expect(md).toContain('| Endpoint | Target RPS | Achieved RPS | TTFB avg | TTFB p90 (limit) | Success | Result |');
    expect(md).toMatch(/\| api_commit \| [\d.]+ \| [\d.]+ \| 450 ms \| 750 ms \(< 500 ms\) \| [\d.]+% \| FAIL \|/);
    expect(md).toMatch(/\| web_issue \| .* \| 97% \| FAIL \|/);
    expect(md).toMatch(/\| api \| 40 \| 40 \| 100% \(needs 95%\) \| pass \|/);
    expect(md.match(/^\| (api|web|git)_\w+ \|/gm)).toHaveLength(plan.endpoints.length);
    expect(md).toContain('Not run: api_create_issue (writes data: needs the unsafe-writes flag)');
    expect(renderMarkdown(passing)).toContain('**Result: PASSED**');
  });

  it('prints a short console verdict', () => {
    expect(renderText(failing)).toMatch(/FAILED, score [\d.]+%/);
    expect(renderText(failing)).toContain('failed: web_issue: success rate 97% <= 99% (3% failed)');
  });
});

describe('JUnit report', () => {
  it('is one test case per check, failures carrying the message, in valid XML', () => {
    const xml = renderJUnit(failing);
    const cases = xml.match(/<testcase /g) ?? [];
    expect(cases).toHaveLength(failing.verdict.checks.length);
    expect(xml.match(/<failure /g)).toHaveLength(2);
    expect(xml).toContain('<testsuites name="GitLab load test gitlab-2k (2k, mixed)" tests="' + failing.verdict.checks.length + '" failures="2"');
    expect(xml).toContain('<failure message="api_commit: TTFB p90 750 ms &gt;= 500 ms (+50%)" type="ttfb">');
    // Well-formed: every opened element closes (the yaml parser is no XML parser, so count tags).
    expect((xml.match(/<testsuite /g) ?? []).length).toBe((xml.match(/<\/testsuite>/g) ?? []).length);
    expect(xml).not.toMatch(/&(?!amp;|lt;|gt;|quot;)/);
    expect(renderJUnit(passing)).not.toContain('<failure');
  });
});

describe('HTML report', () => {
  it('is self-contained: no scripts, no external assets, every endpoint shown', () => {
    const html = renderHtml(failing);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|src=|url\(/i);
    for (const e of plan.endpoints) expect(html).toContain(`<td>${e.name}<small>`);
    expect(html).toContain('FAILED');
    expect(html).toContain('<li>web_issue: success rate 97% &lt;= 99% (3% failed)</li>');
  });
});

describe('summary.json', () => {
  it('is versioned and round-trips with everything needed to rebuild the reports', () => {
    const files = renderReports(failing);
    expect(Object.keys(files).sort()).toEqual(['junit.xml', 'report.html', 'report.md', 'summary.json']);
    const back = parseSummaryDocument('summary.json', files['summary.json']);
    expect(back.schema).toBe(SUMMARY_SCHEMA);
    expect(renderMarkdown(back)).toBe(renderMarkdown(failing));
  });

  it('refuses other files with a clear message', () => {
    expect(() => parseSummaryDocument('k6.json', JSON.stringify({ metrics: {} }))).toThrow('k6.json is not a load-test summary (schema undefined');
    expect(() => parseSummaryDocument('x.json', 'nope')).toThrow('x.json is not JSON');
  });
});

// The CI template lives beside the suite; check it here, where YAML is already at hand.
describe('GitLab CI template', () => {
  it('parses and runs the bundle with the grafana/k6 image, publishing the JUnit report', () => {
    const { readFileSync } = jest.requireActual<typeof import('node:fs')>('node:fs');
    const { join } = jest.requireActual<typeof import('node:path')>('node:path');
    const doc = parseDocument(readFileSync(join(__dirname, '..', '..', 'ci', 'load-test.gitlab-ci.yml'), 'utf8'));
    expect(doc.errors).toEqual([]);
    const ci = doc.toJS() as Record<string, Record<string, unknown>>;
    const job = ci['.gitlab-load-test'] as { image: { name: string; entrypoint: string[] }; script: string[]; artifacts: { reports: { junit: string }; paths: string[]; when: string }; variables: Record<string, string> };
    expect(job.image.name).toMatch(/^grafana\/k6:/);
    expect(job.image.entrypoint).toEqual(['']);
    expect(job.script.join('\n')).toContain('k6 run');
    expect(job.script.join('\n')).toContain('$LOAD_TEST_REPORT_DIR');
    expect(job.artifacts.reports.junit).toBe('$LOAD_TEST_REPORT_DIR/junit.xml');
    expect(job.artifacts.when).toBe('always');
    expect(job.variables).not.toHaveProperty('GITLAB_TOKEN');
  });
});
