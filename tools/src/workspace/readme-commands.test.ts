import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { loadEnvironments } from '@gitlab-aws/core';
import { childPipeline } from '../ci/child-pipeline';
import { tempWorkspace } from '../testing/temp-workspace';
import { workspaceRoot } from './root';

// The shell commands README.md shows (```sh blocks), run as written where that is possible inside a
// test: `npm run new-env` runs in a copy of the workspace. `npm start` and `npm test` are the two
// doors themselves (`npm test` runs this test): they are checked to exist, and run by the lead/CI.
jest.setTimeout(5 * 60_000);

const root = workspaceRoot();
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const commands = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)]
  .flatMap((m) => m[1].split('\n'))
  .map((l) => l.replace(/#.*$/, '').trim())
  .filter(Boolean);
const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;

describe('README commands', () => {
  it('shows the two doors and the environment generator', () => {
    expect(commands).toEqual(expect.arrayContaining(['npm start', 'npm test']));
    expect(commands.filter((c) => c.startsWith('npm run new-env'))).toHaveLength(2);
    for (const c of commands) {
      const script = /^npm (?:run )?(\S+)/.exec(c)?.[1];
      expect([c, script !== undefined && script in scripts]).toEqual([c, true]);
    }
  });

  it('runs every `npm run new-env` line as written, and the new spoke gets its pipeline jobs with no other edit', () => {
    const dir = tempWorkspace();
    // node_modules in the copy is a link to this workspace's: the lockfile must not look newer, or
    // with-deps.js would run `npm ci` through the link and empty this workspace's node_modules.
    const lock = join(dir, 'package-lock.json');
    copyFileSync(join(root, 'package-lock.json'), lock);
    utimesSync(lock, 0, 0);
    expect(statSync(join(dir, 'node_modules', '.package-lock.json')).mtimeMs).toBeGreaterThanOrEqual(statSync(lock).mtimeMs);
    for (const c of commands.filter((x) => x.startsWith('npm run new-env'))) {
      const r = spawnSync('sh', ['-c', c], { cwd: dir, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } });
      expect([c, r.status, r.stderr]).toEqual([c, 0, '']);
      expect(r.stdout).toContain('written:');
    }
    const envs = loadEnvironments(join(dir, 'environments'));
    expect(envs.map((e) => `${e.name}:${e.kind}`)).toEqual(expect.arrayContaining(['staging:spoke', 'tooling:hub']));
    // A new spoke is production by default (protected by its hub): it deploys from release tags, with prod.
    const main = childPipeline({ source: 'default_branch', environments: envs, affected: new Set(['dev', 'staging', 'prod']), image: 'x' });
    expect(Object.keys(main).filter((k) => k.startsWith('deploy:'))).toEqual(['deploy:dev']);
    const tag = childPipeline({ source: 'release_tag', environments: envs, affected: new Set(['dev', 'staging', 'prod']), image: 'x' });
    expect(Object.keys(tag).filter((k) => k.startsWith('deploy:')).sort()).toEqual(['deploy:prod', 'deploy:staging']);
  });
});
