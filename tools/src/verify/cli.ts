import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { failed } from './report';
import { stackLine } from './format';
import { verifySynthOutput } from './verify';

const USAGE = `usage: tsx tools/src/verify/cli.ts <cdktf.out> [--report FILE] [--plan-json] [--concurrency N] [--allow-registry]

Plans every synthesized stack offline with the real Terraform binary and the providers in the local
filesystem mirror (TF_PROVIDER_MIRROR, the Terraform CLI config, or a search of the usual places).`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      report: { type: 'string' },
      'plan-json': { type: 'boolean', default: false },
      concurrency: { type: 'string' },
      'allow-registry': { type: 'boolean', default: process.env.TF_PROVIDER_REGISTRY === '1' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || positionals.length !== 1) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const outdir = resolve(positionals[0]);
  const reportFile = values.report ? resolve(values.report) : join(outdir, '..', '.verify', 'report.json');
  const concurrency = values.concurrency ? Number(values.concurrency) : undefined;
  if (concurrency !== undefined && !(concurrency >= 1)) {
    process.stderr.write(`--concurrency: expected a whole number of at least 1, got "${values.concurrency}"\n`);
    return 2;
  }
  const report = await verifySynthOutput({
    outdir,
    ...(concurrency ? { concurrency } : {}),
    allowRegistry: values['allow-registry'],
    ...(values['plan-json'] ? { planJsonDir: join(dirname(reportFile), 'plans') } : {}),
    onStack: (r) => process.stdout.write(`${stackLine(r)}\n`),
  });
  mkdirSync(dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
  const counts = (s: string) => report.stacks.filter((r) => r.status === s).length;
  process.stdout.write(
    `${report.stacks.length} stacks: ${counts('planned')} planned, ${counts('failed')} failed, ${counts('not-planned')} not planned (${(report.wallMs / 1000).toFixed(1)}s); report: ${reportFile}\n`,
  );
  return failed(report) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`verification error: ${e.message}\n`);
    process.exit(1);
  },
);
