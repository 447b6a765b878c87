import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { environmentFixture, k6SummaryFixture, planFixture, workspaceFixture } from '../testing/fixtures';
import { summaryDocument } from '../lib/summary-document';
import { runMain, timestamp } from './run';

const NOW = new Date('2025-03-04T05:06:07.890Z');

function deps(env: Record<string, string | undefined>, root = workspaceFixture({ 'gitlab-2k': environmentFixture('2k') })) {
  const lines: string[] = [];
  const bundle = join(root, 'suite.js');
  writeFileSync(bundle, '// bundle');
  return { lines, root, d: { env, root, bundle, now: NOW, log: (l: string) => lines.push(l) } };
}

/** A stand-in k6 that records its arguments and environment and writes a summary where told. */
function fakeK6(summaryText: string, exitCode = 0): string {
  const dir = mkdtempSync(join(tmpdir(), 'fake-k6-'));
  const bin = join(dir, 'k6');
  writeFileSync(join(dir, 'summary.json'), summaryText);
  writeFileSync(
    bin,
    `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/args"\nenv > "${dir}/env"\ncp "${dir}/summary.json" "$LOAD_TEST_REPORT_DIR/summary.json"\nexit ${exitCode}\n`,
  );
  chmodSync(bin, 0o755);
  return bin;
}

describe('nx run load-tests:run', () => {
  it('stops with install options when k6 is missing, before anything else', () => {
    const { lines, root, d } = deps({ PATH: mkdtempSync(join(tmpdir(), 'empty-')) });
    // No --env and no token: k6 is still the only thing reported.
    expect(runMain([], d)).toBe(3);
    expect(lines.join('\n')).toContain('k6 was not found: set K6_BINARY to its path or put "k6" on PATH');
    expect(lines.join('\n')).toContain('brew install k6');
    expect(lines.join('\n')).toContain('Nothing was run.');
    expect(existsSync(join(root, 'reports'))).toBe(false);
  });

  it('rejects a K6_BINARY that is not executable', () => {
    const { lines, d } = deps({ K6_BINARY: '/nonexistent/k6', PATH: '' });
    expect(runMain(['--environment', 'gitlab-2k'], d)).toBe(3);
    expect(lines[0]).toContain('K6_BINARY=/nonexistent/k6 is not an executable file');
  });

  it('needs the token from the environment', () => {
    const { d } = deps({ K6_BINARY: fakeK6('{}') });
    expect(() => runMain(['--environment', 'gitlab-2k'], d)).toThrow('GITLAB_TOKEN is not set');
  });

  it('runs k6 with the environment file and overrides as variables, and reports to a timestamped folder', () => {
    const plan = planFixture('2k');
    const k6 = fakeK6(JSON.stringify(summaryDocument(plan, k6SummaryFixture(plan, { dropped: 2 }), NOW.toISOString())), 99);
    const { lines, root, d } = deps({ K6_BINARY: k6, GITLAB_TOKEN: 'glpat-secret', PATH: process.env.PATH });
    const code = runMain(['--environment=gitlab-2k', '--mode', 'per-endpoint', '--duration', '2m', '--unsafe-writes'], d);
    expect(code).toBe(99); // k6's own exit code (99 = thresholds failed)
    const dir = join(root, 'reports', 'load-tests', `gitlab-2k-per-endpoint-${timestamp(NOW)}`);
    expect(timestamp(NOW)).toBe('2025-03-04T05-06-07Z');
    expect(readdirSync(dir)).toEqual(['summary.json']);
    const args = readFileSync(join(k6, '..', 'args'), 'utf8').trim().split('\n');
    expect(args).toEqual(['run', d.bundle]);
    expect(args.join(' ')).not.toContain('glpat');
    const env = readFileSync(join(k6, '..', 'env'), 'utf8');
    expect(env).toContain(`LOAD_TEST_ENV_FILE=${join(root, 'environments', 'gitlab-2k.json')}`);
    expect(env).toContain(`LOAD_TEST_REPORT_DIR=${dir}`);
    expect(env).toContain('LOAD_TEST_MODE=per-endpoint');
    expect(env).toContain('LOAD_TEST_HOLD_SECONDS=120');
    expect(env).toContain('LOAD_TEST_UNSAFE_WRITES=true');
    expect(env).toContain('GITLAB_TOKEN=glpat-secret');
    expect(lines.join('\n')).toContain('load test gitlab-2k: 2k per-endpoint against https://gitlab-2k.example.com');
    expect(lines.at(-1)).toMatch(/^verdict: FAILED \(score [\d.]+%\), reports in reports\/load-tests\/gitlab-2k-per-endpoint-2025-03-04T05-06-07Z\/$/);
  });

  it('refuses an environment whose file fails validation, listing the problem', () => {
    const root = workspaceFixture({ broken: { ...environmentFixture('2k', {}, 'broken'), loadTest: { projectPath: 'x/y', mode: 'soak' } } });
    const { d } = deps({ K6_BINARY: fakeK6('{}'), GITLAB_TOKEN: 't' }, root);
    expect(() => runMain(['--environment', 'broken'], d)).toThrow(/loadTest\.mode.*expected "mixed" or "per-endpoint"/);
    expect(() => runMain(['--environment', 'missing'], d)).toThrow('environments/missing.json does not exist');
  });
});
