import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { k6SummaryFixture, planFixture, type RunShape } from '../testing/fixtures';
import { STDOUT_BEGIN, STDOUT_END, summaryDocument } from '../lib/summary-document';
import { compareMain } from './compare';
import { mergeMain } from './merge';

const dir = mkdtempSync(join(tmpdir(), 'mc-'));
const at = '2025-01-01T00:00:00.000Z';

function write(name: string, size: '2k' | '3k', shape: RunShape = {}, env: Record<string, string> = {}): string {
  const plan = planFixture(size, {}, env);
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(summaryDocument(plan, k6SummaryFixture(plan, shape), at)));
  return file;
}

describe('merge command', () => {
  it('merges runner summaries and runner logs into one verdict and one set of reports', () => {
    const a = write('a.json', '3k', { loadShare: 0.5 }, { LOAD_TEST_PARALLELISM: '2' });
    const log = join(dir, 'runner-2.log');
    writeFileSync(log, `k6 output...\n${STDOUT_BEGIN}\n${readFileSync(a, 'utf8')}\n${STDOUT_END}\nmore output\n`);
    const out = join(dir, 'merged');
    const lines: string[] = [];
    expect(mergeMain(['--out', out, a, log], (l) => lines.push(l))).toBe(0);
    expect(['summary.json', 'report.md', 'junit.xml', 'report.html'].every((f) => existsSync(join(out, f)))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).runners).toBe(2);
    expect(lines.join('\n')).toContain('merged 2 runner(s) of 2');
  });

  it('exits 1 when the merged run fails', () => {
    const a = write('c.json', '3k', { loadShare: 0.5, ttfbP90: { api_user: 400 } }, { LOAD_TEST_PARALLELISM: '2' });
    const b = write('d.json', '3k', { loadShare: 0.5 }, { LOAD_TEST_PARALLELISM: '2' });
    expect(mergeMain(['--out', join(dir, 'm2'), a, b], () => undefined)).toBe(1);
  });
});

describe('compare command', () => {
  it('exits 0 without regression and 1 with one, writing the comparison', () => {
    const base = write('base.json', '2k');
    const same = write('same.json', '2k');
    const slower = write('slower.json', '2k', { ttfbP90: { api_commits: 400 } });
    expect(compareMain(['--baseline', base, '--current', same], () => undefined)).toBe(0);
    const out = join(dir, 'cmp.md');
    expect(compareMain(['--baseline', base, '--current', slower, '--out', out], () => undefined)).toBe(1);
    expect(readFileSync(out, 'utf8')).toContain('| api_commits | ttfb_p90_ms | 300 | 400 | +33.3% | REGRESSION |');
    // A looser limit accepts the same change.
    expect(compareMain(['--baseline', base, '--current', slower, '--ttfb-increase', '50'], () => undefined)).toBe(0);
  });

  it('rejects missing arguments and files that are not summaries', () => {
    expect(() => compareMain(['--baseline', 'x'], () => undefined)).toThrow('--baseline and --current are required');
    const notSummary = join(dir, 'raw.json');
    writeFileSync(notSummary, '{"metrics":{}}');
    expect(() => compareMain(['--baseline', notSummary, '--current', notSummary], () => undefined)).toThrow('is not a load-test summary');
  });
});
