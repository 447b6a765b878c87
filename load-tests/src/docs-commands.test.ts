// Runs every shell command of docs/load-tests.md, and the scripts of the CI template's build and
// run jobs, on a fresh copy of the repository (its committed and working files, no build output),
// the way a newcomer would, with the recording stand-ins for k6 and kubectl on PATH
// (test-support/k6, test-support/kubectl: no k6 or cluster exists here). Checks each exit code and
// that nothing is written outside the output folders. It proves the commands run as written, not
// how a GitLab performs. Writes the commands and their exit codes to
// reports/docs-commands/load-tests.json in the workspace.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const DOC = 'docs/load-tests.md';
/** What commands may write: report folders, build output and Nx's cache. */
const OUTPUT = [/^reports\//, /^load-tests\/dist\//, /^packages\/[^/]+\/dist\//, /^\.nx\//, /^node_modules\//];

function sh(command: string, cwd: string, env: NodeJS.ProcessEnv) {
  const r = spawnSync('bash', ['-c', command], { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 300_000 });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

/** A copy of the repository's files as a fresh clone has them: no node_modules, no output. */
function freshCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fresh-clone-'));
  const files = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
  for (const f of files) {
    const from = join(ROOT, f);
    if (!existsSync(from) || lstatSync(from).isDirectory()) continue;
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    if (lstatSync(from).isSymbolicLink()) symlinkSync(readlinkSync(from), join(dir, f));
    else {
      copyFileSync(from, join(dir, f));
      chmodSync(join(dir, f), statSync(from).mode);
    }
  }
  const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd: dir });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'fresh clone');
  // The installed dependencies (npm ci's result), with the workspace links pointing into the copy.
  mkdirSync(join(dir, 'node_modules', '@gitlab-aws'), { recursive: true });
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name !== '@gitlab-aws') symlinkSync(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name));
  }
  for (const name of readdirSync(join(ROOT, 'node_modules', '@gitlab-aws'))) {
    symlinkSync(readlinkSync(join(ROOT, 'node_modules', '@gitlab-aws', name)), join(dir, 'node_modules', '@gitlab-aws', name));
  }
  return dir;
}

/** The shell commands of a Markdown page: lines of its ```sh blocks, continuations joined, comments cut. */
export function documentedCommands(markdown: string): string[] {
  const out: string[] = [];
  for (const block of markdown.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const lines = block[1].replace(/\s*\\\n\s*/g, ' ').split('\n');
    for (const line of lines.map((l) => l.replace(/\s+#\s.*$/, '').trim())) if (line) out.push(line);
  }
  return out;
}

/** A CI job's script lines from the template, hidden jobs resolved by name. */
function jobScript(name: string): string[] {
  const ci = parse(readFileSync(join(ROOT, 'load-tests/ci/load-test.gitlab-ci.yml'), 'utf8')) as Record<string, { script: unknown[] }>;
  const script = ci[name].script;
  // GitLab takes only strings; an unquoted line with ": " in it parses as a map.
  const bad = script.filter((l) => typeof l !== 'string');
  if (bad.length) throw new Error(`${name}: script lines that are not strings: ${JSON.stringify(bad)}`);
  return script as string[];
}

describe(`the commands of ${DOC} on a fresh clone`, () => {
  let copy = '';
  const results: Array<{ command: string; code: number }> = [];
  const env: NodeJS.ProcessEnv = {};

  beforeAll(() => {
    copy = freshCopy();
    const bin = mkdtempSync(join(tmpdir(), 'stand-ins-'));
    symlinkSync(join(copy, 'load-tests/test-support/k6'), join(bin, 'k6'));
    symlinkSync(join(copy, 'load-tests/test-support/kubectl'), join(bin, 'kubectl'));
    Object.assign(env, {
      PATH: `${bin}:${process.env.PATH}`,
      HOME: process.env.HOME,
      NX_DAEMON: 'false',
      NX_TUI: 'false',
      NX_NO_CLOUD: 'true',
      CI: 'true',
      KUBECTL_STAND_IN_STATE: mkdtempSync(join(tmpdir(), 'kubectl-state-')),
    });
  });

  afterAll(() => {
    mkdirSync(join(ROOT, 'reports', 'docs-commands'), { recursive: true });
    writeFileSync(join(ROOT, 'reports', 'docs-commands', 'load-tests.json'), `${JSON.stringify(results, null, 2)}\n`);
  });

  it('documents commands to run', () => {
    expect(documentedCommands('```sh\nexport A=b\nnpx x --a \\\n  --b   # note\n```\n```json\n{}\n```')).toEqual(['export A=b', 'npx x --a --b']);
    expect(documentedCommands(readFileSync(join(ROOT, DOC), 'utf8')).length).toBeGreaterThan(10);
  });

  it('runs each one with exit code 0 and writes only into output folders', () => {
    for (const command of documentedCommands(readFileSync(join(copy, DOC), 'utf8'))) {
      const exported = /^export (\w+)=(\S+)$/.exec(command);
      if (exported) {
        env[exported[1]] = exported[2];
        results.push({ command, code: 0 });
        continue;
      }
      const r = sh(command, copy, env);
      results.push({ command, code: r.code });
      if (r.code !== 0) throw new Error(`"${command}" exited ${r.code}:\n${r.out.slice(-3000)}`);
    }
    // Each run wrote its reports; the merge judged the 4 runners together.
    const runs = readdirSync(join(copy, 'reports/load-tests'));
    expect(runs.filter((d) => /^gitlab-2k-smoke-/.test(d))).toHaveLength(2);
    expect(runs.filter((d) => /^gitlab-3k-mixed-/.test(d))).toHaveLength(1);
    const merged = JSON.parse(readFileSync(join(copy, 'reports/load-tests/gitlab-3k-merged/summary.json'), 'utf8'));
    expect([merged.runners, merged.verdict.passed]).toEqual([4, true]);
    expect(readFileSync(join(copy, 'reports/comparison.md'), 'utf8')).toContain('no regression');
    expect(readFileSync(join(env.KUBECTL_STAND_IN_STATE!, 'calls.log'), 'utf8')).not.toContain(env.GITLAB_TOKEN!);
  });

  it("passes k6's exit code through npm, while Nx reduces it to 1, as documented", () => {
    // A smoke run in which one endpoint failed its one call.
    const failing = { ...env, K6_STAND_IN_SHAPE: JSON.stringify({ success: { api_user: 0 } }) };
    const viaNpm = sh('npm run load-test -w load-tests -- --environment gitlab-2k --smoke', copy, failing);
    const viaNx = sh('npx nx run load-tests:run --environment gitlab-2k --smoke', copy, failing);
    const setupFailed = sh('npm run load-test -w load-tests -- --environment gitlab-2k', copy, { ...env, K6_STAND_IN_SHAPE: JSON.stringify({ setupError: 'GitLab at https://gitlab-2k.example.com rejected GITLAB_TOKEN (401)' }) });
    results.push({ command: `K6_STAND_IN_SHAPE=<failing smoke> npm run load-test -w load-tests -- --environment gitlab-2k --smoke`, code: viaNpm.code });
    results.push({ command: `K6_STAND_IN_SHAPE=<failing smoke> npx nx run load-tests:run --environment gitlab-2k --smoke`, code: viaNx.code });
    results.push({ command: `K6_STAND_IN_SHAPE=<setup failed> npm run load-test -w load-tests -- --environment gitlab-2k`, code: setupFailed.code });
    expect(viaNpm.code).toBe(99);
    expect(viaNpm.out).toContain('exit code 99: failed: a threshold (verdict rule) did not hold');
    expect(viaNx.code).toBe(1);
    expect(viaNx.out).toContain('exit code 99');
    expect(setupFailed.code).toBe(108);
    expect(setupFailed.out).toContain('setup failed, no load was sent:\nGitLab at https://gitlab-2k.example.com rejected GITLAB_TOKEN (401)');
  });

  it("runs the CI template's build and load-test jobs (npm ci aside: the copy is installed)", () => {
    const jobEnv = { ...env, GITLAB_TOKEN: 'glpat-ci-variable', CI_PROJECT_DIR: copy, LOAD_TEST_ENVIRONMENT: 'gitlab-2k', LOAD_TEST_MODE: 'smoke', LOAD_TEST_REPORT_DIR: 'reports/load-test' };
    for (const job of ['.gitlab-load-test-build', '.gitlab-load-test']) {
      // Like a runner: one shell per job, stopping at the first failing line.
      const lines = jobScript(job).filter((l) => !l.startsWith('npm ci'));
      const r = sh(['set -e', ...lines].join('\n'), copy, jobEnv);
      results.push({ command: `CI job ${job}: ${lines.join(' && ')}`, code: r.code });
      if (r.code !== 0) throw new Error(`${job} exited ${r.code}:\n${r.out.slice(-3000)}`);
    }
    expect(existsSync(join(copy, 'load-tests/dist/k6/suite.js'))).toBe(true);
    expect(existsSync(join(copy, 'reports/load-test/junit.xml'))).toBe(true);
  });

  it('left the clone clean: tracked files unchanged, new files only in output folders', () => {
    const status = spawnSync('git', ['status', '--porcelain', '--ignored', '--untracked-files=all'], { cwd: copy, encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    expect(status.filter((l) => !l.startsWith('!! '))).toEqual([]);
    expect(status.map((l) => l.slice(3)).filter((p) => !OUTPUT.some((re) => re.test(p)))).toEqual([]);
  });
});
