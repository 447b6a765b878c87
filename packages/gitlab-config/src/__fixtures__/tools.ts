import { mkdtempSync, writeFileSync } from 'node:fs';
import { runRubyScript } from '@gitlab-aws/core/src/testing/ruby';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export type Settings = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Evaluates gitlab.rb files with Ruby (ruby.wasm, see evaluate-gitlab-rb.rb); returns the settings per name. */
export function evaluateGitlabRb(files: Record<string, string>): Record<string, Settings> {
  const dir = tempDir('gitlab-rb-');
  const paths = Object.entries(files).map(([name, content]) => {
    const path = join(dir, `${name}.rb`);
    writeFileSync(path, content);
    return [name, path] as const;
  });
  const r = runRubyScript(join(__dirname, 'evaluate-gitlab-rb.rb'), paths.map(([, p]) => p));
  if (r.status !== 0) throw new Error(`evaluating gitlab.rb failed:\n${r.stderr}`);
  const byPath = JSON.parse(r.stdout) as Record<string, Settings>;
  return Object.fromEntries(paths.map(([name, p]) => [name, byPath[p]]));
}
