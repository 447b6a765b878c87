import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Fails with the install command when a tool the tests need is missing (.ci/run installs them). */
export function requireTool(command: string, args: string[], pkg: string): void {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`"${command}" is required by these tests and is not usable here: install it with "apt-get update && apt-get install -y ${pkg}" (.ci/run does this)`);
  }
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export type Settings = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Evaluates gitlab.rb files with Ruby (see evaluate-gitlab-rb.rb); returns the settings per name. */
export function evaluateGitlabRb(files: Record<string, string>): Record<string, Settings> {
  const dir = tempDir('gitlab-rb-');
  const paths = Object.entries(files).map(([name, content]) => {
    const path = join(dir, `${name}.rb`);
    writeFileSync(path, content);
    return [name, path] as const;
  });
  const r = spawnSync('ruby', [join(__dirname, 'evaluate-gitlab-rb.rb'), ...paths.map(([, p]) => p)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`evaluating gitlab.rb failed:\n${r.stderr}`);
  const byPath = JSON.parse(r.stdout) as Record<string, Settings>;
  return Object.fromEntries(paths.map(([name, p]) => [name, byPath[p]]));
}
