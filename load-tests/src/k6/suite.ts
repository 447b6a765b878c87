// The k6 entry point. esbuild bundles it with the pure modules it imports into one plain ES
// module; at run time it imports only k6's own modules.
import { fail } from 'k6';
import crypto from 'k6/crypto';
import encoding from 'k6/encoding';
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter, Rate } from 'k6/metrics';
import type { TrafficType } from '@gitlab-aws/core/src/gitlab/target-rates';
import { weightedSchedule } from '../lib/arrival';
import { ENV_VARS, resolveSuiteConfig } from '../lib/config';
import { discoverTestData } from '../lib/discovery';
import { endpointByName } from '../lib/endpoints';
import { buildK6Options, METRICS, SCENARIO_ENDPOINT_ENV } from '../lib/k6-options';
import type { K6SummaryData } from '../lib/k6-summary';
import { buildPlan } from '../lib/plan';
import { renderText } from '../lib/report-markdown';
import { renderReports } from '../lib/reports';
import { STDOUT_BEGIN, STDOUT_END, summaryDocument } from '../lib/summary-document';
import type { Endpoint, RequestSpec, TestData } from '../lib/types';

// Init context: read the environment file (open() resolves relative paths from this script).
const envFile = __ENV[ENV_VARS.environmentFile] || './environment.json';
const config = resolveSuiteConfig(envFile, JSON.parse(open(envFile)), __ENV);
const plan = buildPlan(config);

export const options = buildK6Options(plan, config.vus);

const ops = new Counter(METRICS.ops);
const success = new Rate(METRICS.success);
const token = __ENV[ENV_VARS.token] || '';

const planned = new Map(plan.endpoints.map((e) => [e.name, endpointByName(e.name)!]));
const schedules: Record<string, string[]> = {};
for (const t of plan.traffic) schedules[t.type] = weightedSchedule(plan.endpoints.filter((e) => e.traffic === t.type));

function authHeaders(auth: RequestSpec['auth']): Record<string, string> {
  if (auth === 'api') return { 'PRIVATE-TOKEN': token };
  if (auth === 'git') return { Authorization: `Basic ${encoding.b64encode(`oauth2:${token}`)}` };
  return {};
}

const helpers = {
  sha1Hex: (bytes: Uint8Array) => crypto.sha1(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, 'hex'),
  unique: () => `${exec.vu.idInTest}-${exec.scenario.iterationInTest}-${Date.now()}`,
};

/** Runs one endpoint operation and records one sample of each custom metric for it. */
function run(endpoint: Endpoint, data: TestData): void {
  const tags = { endpoint: endpoint.name, traffic: endpoint.traffic };
  let ok = true;
  for (const spec of endpoint.requests(data, helpers)) {
    const body = spec.body instanceof Uint8Array ? (spec.body.buffer.slice(spec.body.byteOffset, spec.body.byteOffset + spec.body.byteLength) as ArrayBuffer) : (spec.body ?? null);
    const res = http.request(spec.method, `${plan.baseUrl}${spec.path}`, body, {
      headers: { ...authHeaders(spec.auth), ...spec.headers },
      tags: { ...tags, name: endpoint.name },
      // A redirect (e.g. to the sign-in page) is a failure, not a page.
      redirects: 0,
      responseType: spec.bodyIncludes ? 'text' : 'none',
    });
    const good = (spec.expect ?? [200, 201]).includes(res.status) && (!spec.bodyIncludes || (typeof res.body === 'string' && res.body.includes(spec.bodyIncludes)));
    if (!good) {
      ok = false;
      break;
    }
  }
  ops.add(1, tags);
  success.add(ok, tags);
}

function runTraffic(type: TrafficType, data: TestData): void {
  const schedule = schedules[type];
  if (!schedule?.length) fail(`no ${type} endpoint is planned`);
  run(planned.get(schedule[exec.scenario.iterationInTest % schedule.length])!, data);
}

export function setup(): TestData {
  if (!token) fail(`${ENV_VARS.token} is not set: export a personal access token (read_api, read_repository) in ${ENV_VARS.token}; it is never read from the environment file`);
  try {
    return discoverTestData(
      (path) => {
        const res = http.get(`${plan.baseUrl}${path}`, { headers: { 'PRIVATE-TOKEN': token }, tags: { endpoint: 'setup', name: 'setup' }, redirects: 0 });
        return { status: res.status, body: typeof res.body === 'string' ? res.body : null };
      },
      { baseUrl: plan.baseUrl, projectPath: plan.projectPath, groupPath: plan.groupPath, needsPublic: plan.traffic.some((t) => t.type === 'web'), tokenVariable: ENV_VARS.token },
    );
  } catch (e) {
    return fail(`setup: ${(e as Error).message}`);
  }
}

// Mixed mode: one function per traffic type, each walking its weighted endpoint schedule.
export function api(data: TestData): void {
  runTraffic('api', data);
}
export function web(data: TestData): void {
  runTraffic('web', data);
}
export function gitPull(data: TestData): void {
  runTraffic('gitPull', data);
}
export function gitPush(data: TestData): void {
  runTraffic('gitPush', data);
}

// Per-endpoint mode: the scenario names its endpoint.
export function endpoint(data: TestData): void {
  const name = __ENV[SCENARIO_ENDPOINT_ENV];
  const e = name ? planned.get(name) : undefined;
  if (!e) fail(`scenario endpoint "${name}" is not planned`);
  run(e!, data);
}

/** Default function (k6 run --iterations 1): every planned endpoint once, a smoke pass. */
export default function smoke(data: TestData): void {
  for (const e of planned.values()) run(e, data);
}

export function handleSummary(data: K6SummaryData): Record<string, string> {
  const doc = summaryDocument(plan, data, new Date().toISOString());
  const dir = (__ENV[ENV_VARS.reportDir] || 'load-test-report').replace(/\/+$/, '');
  const out: Record<string, string> = {};
  for (const [name, text] of Object.entries(renderReports(doc))) out[`${dir}/${name}`] = text;
  let stdout = renderText(doc);
  if (__ENV[ENV_VARS.summaryToStdout] === 'true') stdout += `${STDOUT_BEGIN}\n${JSON.stringify(doc)}\n${STDOUT_END}\n`;
  out.stdout = stdout;
  return out;
}
