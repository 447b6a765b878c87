import type { K6SummaryData } from './k6-summary';
import type { Plan } from './plan';
import type { TestData } from './types';
import { evaluate, type Verdict } from './verdict';

/** What setup() returns: the test data, or why it could not find it. */
export type SetupOutcome = TestData | { readonly setupError: string };

/** The cause of a failed setup, or undefined when setup found its data. */
export function setupFailureOf(outcome: unknown): string | undefined {
  const e = (outcome as { setupError?: unknown } | null | undefined)?.setupError;
  return typeof e === 'string' ? e : undefined;
}

/** Version tag of summary.json; readers refuse other versions instead of misreading them. */
export const SUMMARY_SCHEMA = 'gitlab-aws/load-test-summary@1';

/** summary.json: the plan, k6's raw summary and the verdict, enough to rebuild every report. */
export interface SummaryDocument {
  readonly schema: typeof SUMMARY_SCHEMA;
  readonly generatedAt: string;
  /** Runners whose results this holds (1, or N after merging a k6-operator run). */
  readonly runners: number;
  readonly plan: Plan;
  readonly verdict: Verdict;
  readonly k6: K6SummaryData;
}

/**
 * One runner's document: judged against its share of the load. k6 (v0.49 and newer) passes what
 * setup() returned as `setup_data`, which carries the cause when setup failed.
 */
export function summaryDocument(plan: Plan, k6: K6SummaryData, generatedAt: string): SummaryDocument {
  return { schema: SUMMARY_SCHEMA, generatedAt, runners: 1, plan, verdict: evaluate(plan, k6, 1 / plan.parallelism, setupFailureOf(k6.setup_data)), k6 };
}

/** Parses a summary.json text, naming the source when it is not one. */
export function parseSummaryDocument(source: string, text: string): SummaryDocument {
  let doc: Partial<SummaryDocument>;
  try {
    doc = JSON.parse(text) as Partial<SummaryDocument>;
  } catch (e) {
    throw new Error(`${source} is not JSON (${(e as Error).message})`);
  }
  if (doc?.schema !== SUMMARY_SCHEMA) {
    throw new Error(`${source} is not a load-test summary (schema ${JSON.stringify(doc?.schema)}, expected "${SUMMARY_SCHEMA}"): pass the summary.json a run wrote`);
  }
  if (!doc.plan || !doc.k6?.metrics) throw new Error(`${source} lacks its plan or k6 metrics`);
  return doc as SummaryDocument;
}

/** Marker lines around a summary printed to stdout (k6-operator runners have no shared disk). */
export const STDOUT_BEGIN = '=== gitlab-aws load-test summary begin ===';
export const STDOUT_END = '=== gitlab-aws load-test summary end ===';

/** Summary JSON texts found between the markers in a runner's log. */
export function extractFromLog(log: string): string[] {
  const found: string[] = [];
  let at = 0;
  for (;;) {
    const start = log.indexOf(STDOUT_BEGIN, at);
    if (start < 0) return found;
    const end = log.indexOf(STDOUT_END, start);
    if (end < 0) return found;
    found.push(log.slice(start + STDOUT_BEGIN.length, end).trim());
    at = end + STDOUT_END.length;
  }
}
