import { readFileSync, writeFileSync } from 'node:fs';
import { compareSummaries, DEFAULT_REGRESSION_LIMITS, renderComparison } from '../lib/compare';
import { parseSummaryDocument } from '../lib/summary-document';
import { parseArgs, runCli, UsageError } from './args';

export const COMPARE_USAGE = `usage: nx run load-tests:compare -- --baseline <summary.json> --current <summary.json>
         [--ttfb-increase <percent, default ${DEFAULT_REGRESSION_LIMITS.ttfbIncreasePercent}>] [--achieved-drop <percent, default ${DEFAULT_REGRESSION_LIMITS.achievedDropPercent}>] [--out <comparison.md>]
  Exits 1 when the current run regressed against the baseline.`;

function percent(options: Record<string, string>, key: string, fallback: number): number {
  if (options[key] === undefined) return fallback;
  const n = Number(options[key]);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${key} ${options[key]}: expected a percentage of 0 or more`);
  return n;
}

export function compareMain(argv: readonly string[], log: (line: string) => void): number {
  const { options } = parseArgs(argv);
  if (!options.baseline || !options.current) throw new UsageError('--baseline and --current are required');
  const limits = {
    ttfbIncreasePercent: percent(options, 'ttfb-increase', DEFAULT_REGRESSION_LIMITS.ttfbIncreasePercent),
    achievedDropPercent: percent(options, 'achieved-drop', DEFAULT_REGRESSION_LIMITS.achievedDropPercent),
  };
  const read = (p: string) => parseSummaryDocument(p, readFileSync(p, 'utf8'));
  const cmp = compareSummaries(read(options.baseline), read(options.current), limits);
  const text = renderComparison(cmp, limits);
  if (options.out) writeFileSync(options.out, text);
  log(text);
  return cmp.regressions.length ? 1 : 0;
}

if (require.main === module) runCli(() => compareMain(process.argv.slice(2), (l) => process.stdout.write(`${l}\n`)), COMPARE_USAGE);
