import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadEnvironments } from '@gitlab-aws/core';
import { workspaceRoot } from '../workspace/root';
import { childPipeline } from './child-pipeline';

// The real GitLab CI emulator from npm (gitlab-ci-local) against .gitlab-ci.yml and the generated
// child pipeline, in a fresh clone of this repository's HEAD (commit your changes to test them).
jest.setTimeout(10 * 60_000);

const root = workspaceRoot();
const gcl = join(root, 'node_modules', 'gitlab-ci-local', 'src', 'index.js');
const repo = join(mkdtempSync(join(tmpdir(), 'gitlab-ci-local-')), 'repo');
const git = (...args: string[]) => {
  const r = spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
};
const MR = ['--variable', 'CI_PIPELINE_SOURCE=merge_request_event', '--ignore-predefined-vars', 'CI_PIPELINE_SOURCE'];
const SCHEDULE = ['--variable', 'CI_PIPELINE_SOURCE=schedule', '--ignore-predefined-vars', 'CI_PIPELINE_SOURCE'];

function gitlabCiLocal(args: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [gcl, ...args], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, HOME: join(repo, '..'), NX_DAEMON: 'false', NX_TUI: 'false', FORCE_COLOR: '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** `--list` as rows: job name -> { stage, when, needs }. */
function list(args: string[]): Record<string, { stage: string; when: string; needs: string }> {
  const r = gitlabCiLocal(['--list', ...args]);
  if (r.code !== 0) throw new Error(`gitlab-ci-local --list failed:\n${r.out}`);
  const lines = r.out.split('\n');
  const header = lines.findIndex((l) => /^name\s+description\s+stage/.test(l));
  if (header < 0) throw new Error(`no job table in:\n${r.out}`);
  const rows: Record<string, { stage: string; when: string; needs: string }> = {};
  for (const line of lines.slice(header + 1)) {
    // A parallel:matrix job is listed as "mutation: [policy]".
    const m = /^(\S+(?: \[[^\]]+\])?)\s+(\S+)\s+(on_success|manual|always|on_failure|never)\s+(true|false)\s*(\[.*\])?/.exec(line);
    if (m) rows[m[1]] = { stage: m[2], when: m[3], needs: m[5] ?? '' };
  }
  return rows;
}

beforeAll(() => {
  spawnSync('git', ['clone', '-q', root, repo]);
  git('checkout', '-q', '-B', 'main');
  git('remote', 'set-url', 'origin', 'git@gitlab.example.com:platform/gitlab-on-aws.git');
  git('config', 'user.email', 'ci@example.com');
  git('config', 'user.name', 'ci');
  symlinkSync(join(root, 'node_modules'), join(repo, 'node_modules'));
});

describe('gitlab-ci-local on .gitlab-ci.yml', () => {
  it('lists the default-branch pipeline: install -> verify -> generate -> environments', () => {
    const jobs = list([]);
    expect(Object.entries(jobs).map(([n, j]) => [n, j.stage, j.when, j.needs])).toEqual([
      ['install', 'install', 'on_success', ''],
      ['verify', 'verify', 'on_success', '[install]'],
      ['generate', 'generate', 'on_success', '[verify]'],
      ['environments', 'environments', 'on_success', '[generate]'],
    ]);
  });

  it('lists the merge-request pipeline with the same jobs', () => {
    expect(Object.keys(list(MR))).toEqual(['install', 'verify', 'generate', 'environments']);
  });

  it('runs only the mutation benchmark, one job per security package, in a scheduled pipeline', () => {
    const jobs = list(SCHEDULE);
    expect(Object.entries(jobs).map(([n, j]) => [n, j.stage, j.when, j.needs])).toEqual(
      ['policy', 'core', 'spoke-roles', 'hub-account', 'gitlab-config'].map((p) => [`mutation: [${p}]`, 'verify', 'on_success', '[]']),
    );
  });

  it('never runs the mutation benchmark in a push or merge-request pipeline', () => {
    for (const args of [[], MR]) expect(Object.keys(list(args)).filter((n) => n.startsWith('mutation'))).toEqual([]);
  });

  it('has a valid dependency chain for every pipeline kind', () => {
    for (const args of [[], MR, SCHEDULE]) {
      const r = gitlabCiLocal(['--validate-dependency-chain', ...args]);
      expect([r.code, r.out]).toEqual([0, expect.not.stringMatching(/error/i)]);
    }
  });
});

describe('gitlab-ci-local on the generated child pipeline', () => {
  const envs = loadEnvironments(join(root, 'environments'));
  const spokes = new Set(envs.filter((e) => e.kind === 'spoke').map((e) => e.name));

  it('lists the deploy jobs in tier order (default branch) and the manual production deploys (release tag), and validates their needs', () => {
    writeFileSync(join(repo, 'child-main.yml'), stringify(childPipeline({ source: 'default_branch', environments: envs, affected: spokes, image: 'node:24-bookworm' })));
    writeFileSync(join(repo, 'child-tag.yml'), stringify(childPipeline({ source: 'release_tag', environments: envs, affected: spokes, image: 'node:24-bookworm' })));
    const jobs = list(['--file', 'child-main.yml']);
    expect(jobs['deploy:dev']).toEqual({ stage: 'deploy-development', when: 'on_success', needs: '[]' });
    expect(jobs['deploy:gitlab-poc']).toMatchObject({ stage: 'deploy-other', when: 'on_success' });
    expect(jobs['deploy:gitlab-poc'].needs).toMatch(/^\[deploy:dev\]$/);
    const tagJobs = list(['--file', 'child-tag.yml']);
    for (const n of ['deploy:prod', 'deploy:gitlab-2k', 'deploy:gitlab-3k']) expect(tagJobs[n]).toMatchObject({ stage: 'deploy-production', when: 'manual' });
    expect([...Object.keys(jobs), ...Object.keys(tagJobs)].sort()).toEqual([...spokes].map((s) => `deploy:${s}`).sort());
    expect(gitlabCiLocal(['--file', 'child-tag.yml', '--validate-dependency-chain']).code).toBe(0);
    const chain = gitlabCiLocal(['--file', 'child-main.yml', '--validate-dependency-chain']);
    expect(chain.code).toBe(0);
  });

  it('runs the generate job with the shell executor on a merge request changing environments/dev.json: only dev gets a plan job', () => {
    const runner = spawnSync('rsync', ['--version']);
    if (runner.error) {
      // gitlab-ci-local copies the tracked files with rsync before any job runs.
      process.stdout.write('NOT EVALUATED: gitlab-ci-local needs rsync to run a job: apt-get install -y rsync (Debian/Ubuntu) or brew install rsync (macOS)\n');
      return;
    }
    const base = git('rev-parse', 'HEAD');
    git('checkout', '-q', '-b', 'change-dev');
    const devFile = join(repo, 'environments', 'dev.json');
    const dev = JSON.parse(readFileSync(devFile, 'utf8'));
    writeFileSync(devFile, `${JSON.stringify({ ...dev, tags: { ...dev.tags, Team: 'web' } }, null, 2)}\n`);
    git('commit', '-qam', 'dev: a tag');
    const r = gitlabCiLocal(['generate', '--force-shell-executor', ...MR, '--variable', `CI_MERGE_REQUEST_DIFF_BASE_SHA=${base}`]);
    expect([r.code, r.out]).toEqual([0, expect.stringContaining('dev: affected')]);
    const child = parse(readFileSync(join(repo, 'child-pipeline.yml'), 'utf8'));
    expect(Object.keys(child).filter((k) => k.includes(':'))).toEqual(['plan:dev']);
    expect(r.out).toContain('prod: not affected');
  });
});
