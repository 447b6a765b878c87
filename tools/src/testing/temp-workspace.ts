import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '../workspace/root';

const COPIED = ['nx.json', 'package.json', 'tsconfig.base.json', 'jest.preset.js', 'eslint.config.mjs', 'packages', 'apps', 'environments', 'tools'];
const SKIPPED = /[\\/](node_modules|cdktf\.out|\.verify|dist|reports|\.nx)([\\/]|$)/;

/** A throw-away copy of the workspace's sources (node_modules linked, not copied) in a fresh git repo. */
export function tempWorkspace(): string {
  const root = workspaceRoot();
  const dir = mkdtempSync(join(tmpdir(), 'workspace-'));
  for (const entry of COPIED) cpSync(join(root, entry), join(dir, entry), { recursive: true, filter: (src) => !SKIPPED.test(src) });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('-c', 'user.email=t@example.com', '-c', 'user.name=test', 'commit', '-q', '--allow-empty', '-m', 'base');
  return dir;
}

/** Projects with a given target that Nx says are affected by a change to `files`. */
export function affectedProjects(dir: string, files: string[], target?: string): string[] {
  const args = ['show', 'projects', '--affected', `--files=${files.join(',')}`, '--json', ...(target ? ['--withTarget', target] : [])];
  const out = execFileSync(join(dir, 'node_modules', '.bin', 'nx'), args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_CACHE_DIRECTORY: join(dir, '.nx', 'cache'), NX_WORKSPACE_DATA_DIRECTORY: join(dir, '.nx', 'workspace-data') },
  });
  return (JSON.parse(out) as string[]).sort();
}
