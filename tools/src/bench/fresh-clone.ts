import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure, type Measured } from './process-tree';

export interface FreshCloneRun {
  /** The clone (removed when both steps pass; kept for a look when one fails). */
  readonly dir: string;
  readonly install: Measured;
  readonly start: Measured;
}

/**
 * A new user's first minutes: clone HEAD, then the two parts of the first `npm start`, timed apart.
 * The install is the same call npm start makes first (ensureWorkspaceInstalled), so the second step
 * finds everything installed and does only the rest. The clone has no Nx cache, no Terraform plugin
 * cache and no node_modules; npm's own package cache is the machine's, as it would be for the user.
 */
export async function freshClone(root: string, progress: (step: string) => void): Promise<FreshCloneRun> {
  const dir = mkdtempSync(join(tmpdir(), 'fresh-clone-'));
  const clone = spawnSync('git', ['clone', '--quiet', root, dir], { stdio: 'inherit' });
  if (clone.status !== 0) throw new Error(`git clone ${root} failed`);
  // Nothing of this workspace's environment may leak in and make the clone look warmer than it is.
  const env = { ...process.env };
  for (const key of ['NX_CACHE_DIRECTORY', 'NX_WORKSPACE_DATA_DIRECTORY', 'NX_SKIP_NX_CACHE']) delete env[key];
  progress('1/2 install, as the first npm start does it');
  const install = await measure(process.execPath, ['-e', "process.exit(require('./tools/bin/npm-install-state').ensureWorkspaceInstalled(process.cwd()))"], { cwd: dir, env });
  progress('2/2 npm start');
  const start = install.code === 0 ? await measure('npm', ['start'], { cwd: dir, env }) : { code: 1, wallMs: 0, peakTreeRssBytes: 0 };
  if (install.code === 0 && start.code === 0) rmSync(dir, { recursive: true, force: true });
  return { dir, install, start };
}
