import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { environmentFixture, k6SummaryFixture, planFixture, workspaceFixture } from '../testing/fixtures';
import { buildPlan } from '../lib/plan';
import { summaryDocument } from '../lib/summary-document';
import { loadSuiteEnvironment } from './environment';
import { explainExit, measuredLatencyFrom, runMain, timestamp } from './run';

const NOW = new Date('2025-03-04T05:06:07.890Z');

function deps(env: Record<string, string | undefined>, root = workspaceFixture({ 'gitlab-2k': environmentFixture('2k') })) {
  const lines: string[] = [];
  const bundle = join(root, 'suite.js');
  writeFileSync(bundle, '// bundle');
  const built: string[] = [];
  const build = () => {
    built.push(bundle);
    return bundle;
  };
  return { lines, root, built, bundle, d: { env, root, build, now: NOW, log: (l: string) => lines.push(l) } };
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
    const { lines, root, d, built, bundle } = deps({ K6_BINARY: k6, GITLAB_TOKEN: 'glpat-secret', PATH: process.env.PATH });
    const code = runMain(['--environment=gitlab-2k', '--mode', 'per-endpoint', '--duration', '2m', '--unsafe-writes'], d);
    expect(code).toBe(99); // k6's own exit code (99 = thresholds failed)
    expect(built).toEqual([bundle]); // the runner bundles the current sources itself
    const dir = join(root, 'reports', 'load-tests', `gitlab-2k-per-endpoint-${timestamp(NOW)}`);
    expect(timestamp(NOW)).toBe('2025-03-04T05-06-07Z');
    expect(readdirSync(dir)).toEqual(['summary.json']);
    const args = readFileSync(join(k6, '..', 'args'), 'utf8').trim().split('\n');
    expect(args).toEqual(['run', bundle]);
    expect(args.join(' ')).not.toContain('glpat');
    const env = readFileSync(join(k6, '..', 'env'), 'utf8');
    expect(env).toContain(`LOAD_TEST_ENV_FILE=${join(root, 'environments', 'gitlab-2k.json')}`);
    expect(env).toContain(`LOAD_TEST_REPORT_DIR=${dir}`);
    expect(env).toContain('LOAD_TEST_MODE=per-endpoint');
    expect(env).toContain('LOAD_TEST_HOLD_SECONDS=120');
    expect(env).toContain('LOAD_TEST_UNSAFE_WRITES=true');
    expect(env).toContain('GITLAB_TOKEN=glpat-secret');
    expect(lines.join('\n')).toContain('load test gitlab-2k: 2k per-endpoint against https://gitlab-2k.example.com');
    expect(lines.at(-2)).toMatch(/^verdict: FAILED \(score [\d.]+%\), reports in reports\/load-tests\/gitlab-2k-per-endpoint-2025-03-04T05-06-07Z\/$/);
    expect(lines.at(-1)).toBe('exit code 99: failed: a threshold (verdict rule) did not hold');
  });

  it('passes through k6\'s exit code for a failed setup and prints the cause from the reports', () => {
    const plan = planFixture('2k');
    const cause = "https://gitlab-2k.example.com answered GET /api/v4/user with 503 Service Unavailable (text/html); expected 200 with the token's user as JSON.";
    const k6 = fakeK6(JSON.stringify(summaryDocument(plan, k6SummaryFixture(plan, { setupError: cause }), NOW.toISOString())), 108);
    const { lines, d } = deps({ K6_BINARY: k6, GITLAB_TOKEN: 't', PATH: process.env.PATH });
    expect(runMain(['--environment', 'gitlab-2k'], d)).toBe(108);
    expect(lines).toContain(`setup failed, no load was sent:\n${cause}`);
    expect(lines.at(-1)).toBe('exit code 108: aborted: setup found no usable test data, no load was sent (the cause is in the reports)');
  });

  it('does not report success when k6 exits 0 on a failed verdict, nor when k6 wrote no summary', () => {
    const plan = planFixture('2k');
    const failed = fakeK6(JSON.stringify(summaryDocument(plan, k6SummaryFixture(plan, { noSamples: ['api_user'] }), NOW.toISOString())), 0);
    const a = deps({ K6_BINARY: failed, GITLAB_TOKEN: 't', PATH: process.env.PATH });
    expect(runMain(['--environment', 'gitlab-2k'], a.d)).toBe(99);
    expect(a.lines).toContain("k6's thresholds held but the verdict failed (see the failed checks above)");
    const passed = fakeK6(JSON.stringify(summaryDocument(plan, k6SummaryFixture(plan), NOW.toISOString())), 0);
    const b = deps({ K6_BINARY: passed, GITLAB_TOKEN: 't', PATH: process.env.PATH });
    expect(runMain(['--environment', 'gitlab-2k'], b.d)).toBe(0);
    expect(b.lines.at(-1)).toBe('exit code 0: passed: every threshold held');
    const silent = mkdtempSync(join(tmpdir(), 'silent-k6-'));
    writeFileSync(join(silent, 'k6'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(silent, 'k6'), 0o755);
    const c = deps({ K6_BINARY: join(silent, 'k6'), GITLAB_TOKEN: 't', PATH: process.env.PATH });
    expect(runMain(['--environment', 'gitlab-2k'], c.d)).toBe(1);
    expect(explainExit(107)).toBe('exit code 107: script error: an exception in the suite (see the error above)');
    expect(explainExit(42)).toBe('exit code 42: k6 failed (see its output above)');
  });

  it('passes the latency measured in an earlier run for sizing the VU pools', () => {
    const plan = planFixture('2k');
    const earlier = join(mkdtempSync(join(tmpdir(), 'earlier-')), 'summary.json');
    writeFileSync(earlier, JSON.stringify(summaryDocument(plan, k6SummaryFixture(plan, { ttfbP90: { git_pull: 1000 }, noSamples: ['api_search'] }), NOW.toISOString())));
    const measured = measuredLatencyFrom(earlier);
    expect(measured.git_pull).toBe(1200); // p(95) of the fixture: 1.2 x p90
    expect(measured).not.toHaveProperty('api_search'); // no samples: nothing measured
    const k6 = fakeK6(JSON.stringify(summaryDocument(plan, k6SummaryFixture(plan), NOW.toISOString())), 0);
    const { d } = deps({ K6_BINARY: k6, GITLAB_TOKEN: 't', PATH: process.env.PATH });
    expect(runMain(['--environment', 'gitlab-2k', '--latency-from', earlier], d)).toBe(0);
    expect(readFileSync(join(k6, '..', 'env'), 'utf8')).toContain(`LOAD_TEST_MEASURED_LATENCY_MS=${JSON.stringify(measured)}`);
  });

  it('runs a smoke test with --smoke', () => {
    const plan = planFixture('2k', {}, { LOAD_TEST_MODE: 'smoke' });
    const k6 = fakeK6(JSON.stringify(summaryDocument(plan, k6SummaryFixture(plan), NOW.toISOString())), 0);
    const { lines, d } = deps({ K6_BINARY: k6, GITLAB_TOKEN: 't', PATH: process.env.PATH });
    expect(runMain(['--environment', 'gitlab-2k', '--smoke'], d)).toBe(0);
    expect(readFileSync(join(k6, '..', 'env'), 'utf8')).toContain('LOAD_TEST_MODE=smoke');
    expect(lines[0]).toContain('2k smoke against https://gitlab-2k.example.com');
    expect(lines[0]).toContain('each endpoint once');
    expect(() => runMain(['--environment', 'gitlab-2k', '--smoke', '--mode', 'mixed'], d)).toThrow('--smoke and --mode exclude each other');
  });

  it('refuses an environment whose file fails validation, listing the problem', () => {
    const root = workspaceFixture({ broken: { ...environmentFixture('2k', {}, 'broken'), loadTest: { projectPath: 'x/y', mode: 'soak' } } });
    const { d } = deps({ K6_BINARY: fakeK6('{}'), GITLAB_TOKEN: 't' }, root);
    expect(() => runMain(['--environment', 'broken'], d)).toThrow(/loadTest\.mode.*expected "mixed" or "per-endpoint"/);
    expect(() => runMain(['--environment', 'missing'], d)).toThrow('environments/missing.json does not exist');
  });
});

describe('the shipped example environments', () => {
  it.each([
    ['gitlab-2k', '2k', 40],
    ['gitlab-3k', '3k', 60],
  ] as const)('%s has a loadTest section the runner accepts as is', (name, size, apiRps) => {
    const { config } = loadSuiteEnvironment(name, {});
    expect(config).toMatchObject({ environment: name, size, projectPath: expect.any(String), mode: 'mixed' });
    expect(buildPlan(config).traffic.find((t) => t.type === 'api')?.targetRps).toBe(apiRps);
  });
});
