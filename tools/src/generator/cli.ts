import { parseArgs } from 'node:util';
import { EnvironmentValidationError } from '@gitlab-aws/core';
import { workspaceRoot } from '../workspace/root';
import { newEnvironment } from './new-environment';

const USAGE = `usage: npm run new-env -- <name> --account <12 digits> [--kind spoke|hub] [--region R] [--hub NAME] [--owner TEAM]

Adds environments/<name>.json and apps/<name>/ (an Nx project with synth, plan and deploy targets).
A spoke copies its hub's account, region and role names from the hub's file, and is added to the
hub's identity.spokes so the hub trusts it.`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    account: { type: 'string' },
    kind: { type: 'string', default: 'spoke' },
    region: { type: 'string' },
    hub: { type: 'string' },
    owner: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help || positionals.length !== 1 || !values.account || !['hub', 'spoke'].includes(values.kind!)) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(values.help ? 0 : 2);
}

try {
  const files = newEnvironment(workspaceRoot(), {
    name: positionals[0],
    accountId: values.account!,
    kind: values.kind as 'hub' | 'spoke',
    ...(values.region ? { region: values.region } : {}),
    ...(values.hub ? { hub: values.hub } : {}),
    ...(values.owner ? { owner: values.owner } : {}),
  });
  process.stdout.write(`written:\n${Object.keys(files).map((f) => `  ${f}`).join('\n')}\nnext: nx run ${positionals[0]}:plan\n`);
} catch (e) {
  if (!(e instanceof EnvironmentValidationError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
}
