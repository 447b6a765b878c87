// The k6 entry point. esbuild bundles it with the pure modules it imports into one plain ES
// module; at run time it imports only k6's own modules.
import { fail } from 'k6';
import crypto from 'k6/crypto';
import encoding from 'k6/encoding';
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter, Rate } from 'k6/metrics';
import { ENV_VARS, resolveSuiteConfig } from '../lib/config';
import { describeAnswer, discoverTestData } from '../lib/discovery';
import { endpointByName } from '../lib/endpoints';
import { buildK6Options, METRICS, SCENARIO_ENDPOINT_ENV } from '../lib/k6-options';
import type { K6SummaryData } from '../lib/k6-summary';
import { buildPlan } from '../lib/plan';
import { renderText } from '../lib/report-markdown';
import { renderReports } from '../lib/reports';
import { setupFailureOf, STDOUT_BEGIN, STDOUT_END, summaryDocument, type SetupOutcome } from '../lib/summary-document';
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

function authHeaders(auth: RequestSpec['auth']): Record<string, string> {
  if (auth === 'api') return { 'PRIVATE-TOKEN': token };
  if (auth === 'git') return { Authorization: `Basic ${encoding.b64encode(`oauth2:${token}`)}` };
  return {};
}

const helpers = {
  sha1Hex: (bytes: Uint8Array) => crypto.sha1(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, 'hex'),
  // VU ids and iteration numbers repeat across k6-operator runners; time and a random part do not.
  unique: () => `${exec.vu.idInTest}-${Date.now()}-${Math.floor(Math.random() * 1e9).toString(36)}`,
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

/** Test data, or the end of the test when setup could not find it: no load is sent without it. */
function testData(outcome: SetupOutcome): TestData {
  const failure = setupFailureOf(outcome);
  if (failure !== undefined) exec.test.abort(`setup failed: ${failure}`);
  return outcome as TestData;
}

/**
 * Never throws: a failure is returned as { setupError }, so that k6 hands the cause to
 * handleSummary (as setup_data) for the reports; the first iteration then aborts the test.
 */
export function setup(): SetupOutcome {
  if (!token) return { setupError: `${ENV_VARS.token} is not set: export a personal access token (read_api, read_repository) in ${ENV_VARS.token}; it is never read from the environment file` };
  try {
    return discoverTestData(
      (path) => {
        const res = http.get(`${plan.baseUrl}${path}`, { headers: { 'PRIVATE-TOKEN': token }, tags: { endpoint: 'setup', name: 'setup' }, redirects: 0 });
        const contentType = res.headers?.['Content-Type'] ?? res.headers?.['content-type'];
        return { status: res.status, body: typeof res.body === 'string' ? res.body : null, statusText: describeAnswer(res.status, res.error, contentType) };
      },
      { baseUrl: plan.baseUrl, projectPath: plan.projectPath, groupPath: plan.groupPath, needsPublic: plan.traffic.some((t) => t.type === 'web'), tokenVariable: ENV_VARS.token },
    );
  } catch (e) {
    return { setupError: (e as Error).message };
  }
}

/** Every scenario runs this: the endpoint its scenario names, whatever iteration or execution segment it is. */
export function endpoint(data: SetupOutcome): void {
  const d = testData(data);
  const name = __ENV[SCENARIO_ENDPOINT_ENV];
  const e = name ? planned.get(name) : undefined;
  if (!e) fail(`scenario endpoint "${name}" is not planned`);
  run(e!, d);
}

/** Smoke mode (LOAD_TEST_MODE=smoke): every planned endpoint once. */
export function smoke(data: SetupOutcome): void {
  const d = testData(data);
  for (const e of planned.values()) run(e, d);
}

export default smoke;

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
