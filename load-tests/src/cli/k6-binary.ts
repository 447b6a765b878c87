import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const K6_BINARY_VARIABLE = 'K6_BINARY';

export const K6_INSTALL_HELP = `k6 was not found: set ${K6_BINARY_VARIABLE} to its path or put "k6" on PATH. Install it with one of:
  - Debian/Ubuntu: add Grafana's k6 apt repository, then "sudo apt-get install k6"
  - Fedora/RHEL:   add Grafana's k6 rpm repository, then "sudo dnf install k6"
  - macOS:         "brew install k6"
  - Windows:       "winget install k6 --source winget" or "choco install k6"
  - Docker:        use the grafana/k6 image (see load-tests/ci/load-test.gitlab-ci.yml)
  - Any OS:        a release archive from k6's GitHub releases page (v0.49 or newer)
Nothing was run.`;

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The k6 to run: $K6_BINARY when set (it must exist), else the first "k6" on PATH, else undefined. */
export function findK6(env: Readonly<Record<string, string | undefined>>): { path?: string; problem?: string } {
  const explicit = env[K6_BINARY_VARIABLE];
  if (explicit) {
    return executable(explicit) ? { path: explicit } : { problem: `${K6_BINARY_VARIABLE}=${explicit} is not an executable file.\n${K6_INSTALL_HELP}` };
  }
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, process.platform === 'win32' ? 'k6.exe' : 'k6');
    if (executable(candidate)) return { path: candidate };
  }
  return { problem: K6_INSTALL_HELP };
}
