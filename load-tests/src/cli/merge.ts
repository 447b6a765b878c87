import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeSummaries } from '../lib/merge';
import { renderText } from '../lib/report-markdown';
import { renderReports } from '../lib/reports';
import { extractFromLog, parseSummaryDocument, type SummaryDocument } from '../lib/summary-document';
import { parseArgs, runCli, UsageError } from './args';

export const MERGE_USAGE = `usage: nx run load-tests:merge -- --out <folder> <summary.json or runner log>...
  Merges the summaries of a k6-operator run's N runners into one verdict and one set of reports.
  Runner logs (kubectl logs) work too: the suite prints its summary between markers when
  LOAD_TEST_SUMMARY_STDOUT=true, which the operator manifest sets.`;

/** Summary documents in a file: a summary.json, or every marked summary in a runner log. */
export function readSummaries(path: string): SummaryDocument[] {
  const text = readFileSync(path, 'utf8');
  if (text.trimStart().startsWith('{')) return [parseSummaryDocument(path, text)];
  const found = extractFromLog(text);
  if (!found.length) throw new Error(`${path} is neither a summary.json nor a runner log with a marked summary`);
  return found.map((t, i) => parseSummaryDocument(`${path} (summary ${i + 1})`, t));
}

export function mergeMain(argv: readonly string[], log: (line: string) => void, now = new Date()): number {
  const { options, positionals } = parseArgs(argv);
  if (!options.out) throw new UsageError('--out is required');
  if (!positionals.length) throw new UsageError('name at least one summary.json or runner log');
  const doc = mergeSummaries(positionals.flatMap(readSummaries), now.toISOString());
  mkdirSync(options.out, { recursive: true });
  for (const [name, text] of Object.entries(renderReports(doc))) writeFileSync(join(options.out, name), text);
  log(renderText(doc));
  log(`merged ${doc.runners} runner(s) of ${doc.plan.parallelism}; reports in ${options.out}`);
  return doc.verdict.passed ? 0 : 1;
}

if (require.main === module) runCli(() => mergeMain(process.argv.slice(2), (l) => process.stdout.write(`${l}\n`)), MERGE_USAGE);
