import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface HarnessRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  tags: Record<string, string>;
  redirects?: number;
  responseType?: string;
  body: string | null;
  bodyType: string;
}

export interface HarnessResult {
  call: string;
  value?: unknown;
  error?: string;
  /** The reason passed to exec.test.abort(), when the call aborted the test. */
  aborted?: string;
  requests: HarnessRequest[];
  samples: Array<{ metric: string; type: string; value: number; tags: Record<string, string> }>;
}

export interface HarnessOutput {
  initError?: string;
  exports: string[];
  options?: {
    scenarios: Record<string, Record<string, unknown>>;
    thresholds: Record<string, string[]>;
    summaryTrendStats: string[];
    [key: string]: unknown;
  };
  results: HarnessResult[];
}

export interface HarnessInput {
  bundle: string;
  env?: Record<string, string>;
  files?: Record<string, string>;
  routes?: Array<{ method?: string; path: string; status: number; body?: unknown; contentType?: string; error?: string; reportStatus?: boolean }>;
  actions?: Array<{ call: string; times?: number; iterationStart?: number; data?: unknown; env?: Record<string, string> }>;
}

const HARNESS = join(__dirname, '..', '..', 'test-support', 'k6-harness.mjs');

/** Loads a built bundle in a separate Node process with recording k6 stand-ins (see k6-harness.mjs). */
export function runBundle(input: HarnessInput): HarnessOutput {
  const file = join(mkdtempSync(join(tmpdir(), 'k6-input-')), 'input.json');
  writeFileSync(file, JSON.stringify(input));
  const run = spawnSync(process.execPath, [HARNESS, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`harness failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as HarnessOutput;
}
