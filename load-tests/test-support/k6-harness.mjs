// Runs a built k6 bundle in Node with recording stand-ins for k6's modules, so tests can check
// what the real script exports and sends without k6. Not a k6 emulator: no scheduling, no VUs,
// no metric aggregation; the test drives the exported functions itself.
//
// Usage: node k6-harness.mjs <input.json>   (prints one JSON object on stdout)
// input: { bundle, env, files: {relPath: text}, routes: [{ method?, path (regex), status, body, contentType?, error?, reportStatus? }],
//          actions: [{ call, times?, iterationStart?, data?: 'setup' | any, env? }] }
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'k6-harness-'));
const k6 = join(dir, 'node_modules', 'k6');
mkdirSync(k6, { recursive: true });

const state = (globalThis.__k6fake = { requests: [], samples: [], iteration: 0, vu: 1, scenario: 'default' });
const modules = {
  'index.js': `export function fail(msg) { throw new Error(msg); }
export function check(v, sets) { return Object.values(sets).every((f) => f(v)); }
export function sleep() {}
export function group(_n, fn) { return fn(); }
export default { fail, check, sleep, group };`,
  'http.js': `const s = globalThis.__k6fake;
function request(method, url, body, params = {}) {
  const rec = { method, url, headers: params.headers || {}, tags: params.tags || {}, redirects: params.redirects, responseType: params.responseType,
    body: body == null ? null : typeof body === 'string' ? body : Buffer.from(body).toString('latin1'), bodyType: body == null ? 'none' : typeof body === 'string' ? 'string' : Object.prototype.toString.call(body) };
  s.requests.push(rec);
  const path = url.replace(/^https?:\\/\\/[^/]+/, '');
  const route = s.routes.find((r) => (!r.method || r.method === method) && new RegExp(r.path).test(path));
  const status = route ? route.status : 200;
  let text = route ? (typeof route.body === 'string' ? route.body : JSON.stringify(route.body ?? null)) : '';
  // A receive-pack stand-in: report every pushed ref as updated, as git's report-status does.
  if (route && route.reportStatus) {
    const pkt = (p) => (p.length + 4).toString(16).padStart(4, '0') + p;
    const refs = [...(rec.body || '').matchAll(/[0-9a-f]{40} [0-9a-f]{40} (refs[^ \\n\\0]+)/g)].map((m) => m[1]);
    text = pkt('unpack ok\\n') + refs.map((r) => pkt('ok ' + r + '\\n')).join('') + '0000';
  }
  const headers = route && route.contentType ? { 'Content-Type': route.contentType } : {};
  return { status, body: params.responseType === 'none' ? null : text, headers, error: status === 0 ? (route && route.error) || 'connection refused' : '', timings: { waiting: 1 }, json: () => JSON.parse(text) };
}
const get = (url, params) => request('GET', url, null, params);
const post = (url, body, params) => request('POST', url, body, params);
export { request, get, post };
export default { request, get, post };`,
  'metrics.js': `const s = globalThis.__k6fake;
class Metric { constructor(name) { this.name = name; } add(value, tags) { s.samples.push({ metric: this.name, type: this.constructor.name, value: Number(value), tags: tags || {} }); } }
export class Counter extends Metric {}
export class Rate extends Metric {}
export class Trend extends Metric {}
export class Gauge extends Metric {}
export default { Counter, Rate, Trend, Gauge };`,
  'execution.js': `const s = globalThis.__k6fake;
const scenario = { get iterationInTest() { return s.iteration; }, get name() { return s.scenario; } };
const vu = { get idInTest() { return s.vu; } };
// test.abort() ends the whole test in k6 (exit code 108); here it records the reason and stops the call.
const test = { abort(reason) { s.aborted = String(reason); throw new Error('test aborted: ' + reason); } };
export { scenario, vu, test };
export default { scenario, vu, test };`,
  'encoding.js': `export function b64encode(v) { return Buffer.from(v).toString('base64'); }
export default { b64encode };`,
  'crypto.js': `import { createHash } from 'node:crypto';
export function sha1(input, enc) { const h = createHash('sha1').update(typeof input === 'string' ? input : Buffer.from(input)); return h.digest(enc === 'binary' ? undefined : enc); }
export default { sha1 };`,
};
for (const [file, text] of Object.entries(modules)) writeFileSync(join(k6, file), text);
const exportsMap = Object.fromEntries(Object.keys(modules).map((f) => [f === 'index.js' ? '.' : `./${f.replace(/\.js$/, '')}`, `./${f}`]));
writeFileSync(join(k6, 'package.json'), JSON.stringify({ name: 'k6', type: 'module', exports: exportsMap }));

const bundle = join(dir, 'suite.js');
copyFileSync(input.bundle, bundle);
for (const [rel, text] of Object.entries(input.files ?? {})) {
  mkdirSync(dirname(join(dir, rel)), { recursive: true });
  writeFileSync(join(dir, rel), text);
}
state.routes = input.routes ?? [];
globalThis.__ENV = { ...(input.env ?? {}) };
globalThis.__VU = 0;
globalThis.__ITER = 0;
// k6's open() is relative to the script and exists only in the init context.
let init = true;
globalThis.open = (path) => {
  if (!init) throw new Error('open() called outside the init context');
  return readFileSync(resolve(dir, path), 'utf8');
};

const out = { exports: [], results: [] };
try {
  const mod = await import(pathToFileURL(bundle).href);
  init = false;
  out.exports = Object.keys(mod).sort();
  out.options = mod.options;
  let setupData;
  for (const a of input.actions ?? []) {
    const fn = a.call === 'default' ? mod.default : mod[a.call];
    if (typeof fn !== 'function') throw new Error(`bundle does not export ${a.call}`);
    const before = state.requests.length;
    const beforeSamples = state.samples.length;
    const savedEnv = globalThis.__ENV;
    globalThis.__ENV = { ...savedEnv, ...(a.env ?? {}) };
    const result = { call: a.call };
    state.aborted = undefined;
    try {
      for (let i = 0; i < (a.times ?? 1); i++) {
        state.iteration = (a.iterationStart ?? 0) + i;
        const value = fn(a.data === 'setup' ? setupData : a.data);
        if (a.call === 'setup') setupData = value;
        result.value = value;
      }
    } catch (e) {
      result.error = e.message;
    }
    globalThis.__ENV = savedEnv;
    if (state.aborted !== undefined) result.aborted = state.aborted;
    result.requests = state.requests.slice(before);
    result.samples = state.samples.slice(beforeSamples);
    out.results.push(result);
  }
} catch (e) {
  out.initError = e.message;
}
process.stdout.write(JSON.stringify(out));
