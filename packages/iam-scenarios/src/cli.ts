// Prints the claim table for docs/identity.md (--table), or evaluates every scenario against the
// example environments and prints one line per scenario and the totals.
import { ALL_SCENARIOS } from './all-scenarios';
import { claimTable } from './docs-table';
import { runScenario } from './scenario';
import { synthesizeApp } from './synthesize';
import { EXAMPLE_APPS, ScenarioWorld } from './world';

async function main(): Promise<void> {
  if (process.argv.includes('--table')) {
    process.stdout.write(`${claimTable(ALL_SCENARIOS)}\n`);
    return;
  }
  const world = new ScenarioWorld(Object.assign({}, ...EXAMPLE_APPS.map((a) => synthesizeApp(a))));
  const counts = { passed: 0, failed: 0, 'not evaluated': 0 };
  for (const s of ALL_SCENARIOS) {
    const v = await runScenario(s, world);
    counts[v.verdict] += 1;
    const detail = v.verdict === 'not evaluated' ? v.reason : `${v.evaluation.decision} (${v.evaluation.engine})`;
    process.stdout.write(`${v.verdict.padEnd(13)} ${s.name} [${s.claim}] ${detail}${s.openUntil ? ` — open until ${s.openUntil}` : ''}\n`);
  }
  process.stdout.write(`${counts.passed} passed, ${counts.failed} failed, ${counts['not evaluated']} not evaluated\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
