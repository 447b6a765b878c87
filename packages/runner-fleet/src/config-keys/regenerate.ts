import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runnerConfigKeys } from './go-toml-keys';

/** The stored key list: where it came from, and the keys. */
export interface RunnerKeyData {
  readonly source: { readonly repository: string; readonly tag: string; readonly commit?: string; readonly derivedFrom: string; readonly generator: string };
  readonly keys: string[];
  readonly opaque: string[];
}

export const KEY_DATA_FILE = join(__dirname, 'gitlab-runner-config-keys.json');

const USAGE = `usage: npx tsx packages/runner-fleet/src/config-keys/regenerate.ts CHECKOUT --tag vX.Y.Z [--commit SHA]

Rebuilds ${'packages/runner-fleet/src/config-keys/gitlab-runner-config-keys.json'} from a gitlab-runner
checkout at that tag (for example: git clone --depth 1 --branch v19.3.0 https://gitlab.com/gitlab-org/gitlab-runner.git).`;

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { tag: { type: 'string' }, commit: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help || positionals.length !== 1 || !values.tag) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const { keys, opaque } = runnerConfigKeys(resolve(positionals[0]));
  const data: RunnerKeyData = {
    source: {
      repository: 'https://gitlab.com/gitlab-org/gitlab-runner',
      tag: values.tag,
      ...(values.commit ? { commit: values.commit } : {}),
      derivedFrom: 'toml tags of common.Config and every struct it reaches (common/config.go, cache/cacheconfig, helpers/docker, ...)',
      generator: 'packages/runner-fleet/src/config-keys/regenerate.ts',
    },
    keys,
    opaque,
  };
  writeFileSync(KEY_DATA_FILE, `${JSON.stringify(data, null, 2)}\n`);
  process.stdout.write(`${keys.length} keys (${opaque.length} opaque tables) from ${values.tag} written to ${KEY_DATA_FILE}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
