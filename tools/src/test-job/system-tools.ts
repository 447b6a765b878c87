import { spawnSync } from 'node:child_process';

/** A system tool some tests need, and the Debian package that brings it. */
export interface SystemTool {
  readonly command: string;
  readonly debianPackage: string;
  /** Which tests need it, for the message when it cannot be installed. */
  readonly neededBy: string;
}

/** gitlab-ci-local copies the work tree with rsync before it runs any job (no npm equivalent). */
export const SYSTEM_TOOLS: readonly SystemTool[] = [{ command: 'rsync', debianPackage: 'rsync', neededBy: 'gitlab-ci-local job runs (tools/src/ci/gitlab-ci-local.test.ts)' }];

type Run = (cmd: string, args: string[]) => { status: number | null; error?: Error };
const run: Run = (cmd, args) => spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });

/**
 * Installs the missing system tools where that is possible without asking (root with apt-get, as
 * on CI); otherwise says which command to run. Returns the tools still missing, so the caller can
 * say the checks that need them were not evaluated.
 */
export function ensureSystemTools(tools: readonly SystemTool[], deps: { run?: Run; isRoot?: boolean; log?: (line: string) => void } = {}): SystemTool[] {
  const exec = deps.run ?? run;
  const log = deps.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const isRoot = deps.isRoot ?? process.getuid?.() === 0;
  const has = (command: string) => !exec(command, ['--version']).error;
  const missing = tools.filter((t) => !has(t.command));
  if (!missing.length) return [];
  const packages = missing.map((t) => t.debianPackage);
  if (isRoot && has('apt-get')) {
    log(`installing ${packages.join(', ')} (needed by ${missing.map((t) => t.neededBy).join('; ')})`);
    exec('apt-get', ['update', '-qq']);
    exec('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages]);
  }
  const still = missing.filter((t) => !has(t.command));
  for (const t of still) log(`NOT EVALUATED without ${t.command}: ${t.neededBy}. Install it: apt-get install -y ${t.debianPackage} (Debian/Ubuntu) or brew install ${t.debianPackage} (macOS)`);
  return still;
}
