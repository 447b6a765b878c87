/** The parts of k6's handleSummary() data the suite reads (stable from v0.30 to v1.x). */
export interface K6MetricSummary {
  readonly type: 'counter' | 'gauge' | 'rate' | 'trend';
  readonly contains?: string;
  readonly values: Readonly<Record<string, number>>;
  readonly thresholds?: Readonly<Record<string, { readonly ok: boolean }>>;
}

export interface K6SummaryData {
  readonly metrics: Readonly<Record<string, K6MetricSummary>>;
  readonly state?: { readonly testRunDurationMs?: number; readonly [key: string]: unknown };
  /** What setup() returned (absent when it threw or returned nothing). */
  readonly setup_data?: unknown;
  readonly [key: string]: unknown;
}

/** "name{a:1,b:2}" -> name and tags; whitespace and quotes around tags are ignored, as k6 does. */
export function parseMetricKey(key: string): { name: string; tags: Record<string, string> } {
  const open = key.indexOf('{');
  if (open < 0 || !key.endsWith('}')) return { name: key, tags: {} };
  const tags: Record<string, string> = {};
  for (const kv of key.slice(open + 1, -1).split(',')) {
    if (!kv.trim()) continue;
    const at = kv.indexOf(':');
    const clean = (s: string) => s.trim().replace(/^["']|["']$/g, '');
    tags[clean(at < 0 ? kv : kv.slice(0, at))] = at < 0 ? '' : clean(kv.slice(at + 1));
  }
  return { name: key.slice(0, open), tags };
}

/** The metric (or sub-metric) whose name and tag set equal the wanted ones, whatever the key's spelling. */
export function findMetric(data: K6SummaryData, key: string): K6MetricSummary | undefined {
  if (data.metrics[key]) return data.metrics[key];
  const want = parseMetricKey(key);
  const wantKeys = Object.keys(want.tags).sort();
  for (const [k, m] of Object.entries(data.metrics)) {
    const got = parseMetricKey(k);
    if (got.name !== want.name) continue;
    const gotKeys = Object.keys(got.tags).sort();
    if (gotKeys.length === wantKeys.length && gotKeys.every((g, i) => g === wantKeys[i] && got.tags[g] === want.tags[g])) return m;
  }
  return undefined;
}
