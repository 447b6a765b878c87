import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatReport, runGuardrails } from './guardrails';

const USAGE = `usage: npm run guardrails -- <synth output folder> [--brief] [--no-cost] [--diagram] [--json] [--production true|false]

Runs the policy pack, the secret scan and the cost estimate on a synthesized output (the folder
holding manifest.json, e.g. apps/dev/cdktf.out) and prints every finding, suppressed ones included.
Exit code 1 when an unsuppressed high/critical finding or a secret is found.`;

function main(): number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      brief: { type: 'boolean', default: false },
      'no-cost': { type: 'boolean', default: false },
      diagram: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      production: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || positionals.length !== 1) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  if (values.production !== undefined && !['true', 'false'].includes(values.production)) {
    process.stderr.write(`--production: expected true or false, got "${values.production}"\n`);
    return 2;
  }
  const report = runGuardrails(resolve(positionals[0]), values.production === undefined ? {} : { production: values.production === 'true' });
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    process.stdout.write(`${formatReport(report, { all: !values.brief, cost: !values['no-cost'] })}\n`);
    if (values.diagram) process.stdout.write(`\n${report.architecture}`);
  }
  return report.failed ? 1 : 0;
}

try {
  process.exit(main());
} catch (e) {
  process.stderr.write(`guardrails: ${(e as Error).message}\n`);
  process.exit(2);
}
