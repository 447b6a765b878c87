import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http2 from 'node:http2';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { mapEntry, bytesField } from '../testing/protobuf';
import type { DebugProvider } from './debug-provider';
import { frameMessage, unframeMessage } from './grpc-message';
import { filterSchemaResponse } from './schema-filter';
import { behindSchemaProxy, startSchemaProxy, type SchemaProxy } from './schema-proxy';

// The proxy between Terraform and a stand-in provider: an HTTP/2 server that answers gRPC calls the
// way a provider in debug mode does. The "Terraform" here is an HTTP/2 client speaking gRPC framing.
jest.setTimeout(20_000);

const ADDRESS = 'registry.terraform.io/hashicorp/aws';
const SCHEMA = Buffer.concat([bytesField(1, 'provider'), mapEntry(2, 'aws_s3_bucket', 'bucket'), mapEntry(2, 'aws_vpc', 'vpc'), mapEntry(3, 'aws_ami', 'ami')]);
const types = (resources: string[], dataSources: string[] = []) => ({ resources: new Set(resources), dataSources: new Set(dataSources), ephemeralResources: new Set<string>() });

interface Upstream {
  reattach: string;
  calls: string[];
  /** Streams that ended on the provider's side (a cancelled call shows up here). */
  closed: string[];
  /** The schema answer: status in the trailers (or, trailersOnly, in the headers), body framed unless raw. */
  schemaAnswer: { status: string; body: Buffer; trailersOnly?: boolean; raw?: boolean; delayMs?: number };
  /** Connections the proxy made to the provider so far. */
  connections: number;
  /** Drops every connection from the proxy (the proxy must connect again). */
  dropConnections(): void;
  close(): Promise<void>;
}

/** A stand-in provider: GetSchema answers `schemaAnswer`, Echo returns the request, Fail fails, Stream stays open. */
async function startUpstream(network: 'unix' | 'tcp' = 'unix'): Promise<Upstream> {
  const dir = mkdtempSync(join(tmpdir(), 'fake-provider-'));
  const server = http2.createServer();
  const up: Upstream = {
    reattach: '',
    calls: [],
    closed: [],
    schemaAnswer: { status: '0', body: SCHEMA },
    connections: 0,
    dropConnections: () => {
      for (const s of sessions) s.destroy();
    },
    close: () => new Promise((resolve) => server.close(() => (rmSync(dir, { recursive: true, force: true }), resolve()))),
  };
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => {
    up.connections++;
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  const originalClose = up.close;
  up.close = () => {
    for (const s of sessions) s.destroy();
    return originalClose();
  };
  server.on('stream', (stream, headers) => {
    const path = String(headers[':path']);
    up.calls.push(path);
    stream.on('close', () => up.closed.push(path));
    stream.on('error', () => undefined);
    const chunks: Buffer[] = [];
    stream.on('data', (d: Buffer) => chunks.push(d));
    if (path.endsWith('/Stream')) {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' });
      stream.write(frameMessage(Buffer.from('first line')));
      return;
    }
    const ok = { ':status': 200, 'content-type': 'application/grpc' };
    stream.on('end', () => {
      if (path.endsWith('/Fail')) {
        stream.respond({ ...ok, 'grpc-status': '3', 'grpc-message': 'bad argument' }, { endStream: true });
      } else if (path.endsWith('/NoStatus')) {
        stream.respond(ok);
        stream.end(frameMessage(Buffer.from('half an answer')));
      } else if (path.endsWith('/Reset')) {
        stream.respond(ok);
        // The provider crashing mid-answer: its connection drops.
        stream.write(frameMessage(Buffer.from('first part')), () => setTimeout(() => stream.session?.destroy(), 20));
      } else if (/GetSchema|GetProviderSchema/.test(path)) {
        const a = up.schemaAnswer;
        setTimeout(() => {
          if (stream.destroyed) return;
          if (a.trailersOnly) return stream.respond({ ...ok, 'grpc-status': a.status }, { endStream: true });
          stream.respond(ok, { waitForTrailers: true });
          stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': a.status }));
          stream.end(a.raw ? a.body : frameMessage(a.body));
        }, a.delayMs ?? 0);
      } else {
        setTimeout(() => {
          if (stream.destroyed) return;
          stream.respond({ ...ok, 'x-provider': 'fake' }, { waitForTrailers: true });
          stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', 'x-trailer': path }));
          stream.end(Buffer.concat(chunks));
        }, path.endsWith('/Slow') ? 150 : 0);
      }
    });
  });
  let addr: { Network: string; String: string };
  if (network === 'unix') {
    const socket = join(dir, 'plugin.sock');
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    addr = { Network: 'unix', String: socket };
  } else {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    addr = { Network: 'tcp', String: `127.0.0.1:${(server.address() as AddressInfo).port}` };
  }
  up.reattach = JSON.stringify({ [ADDRESS]: { Protocol: 'grpc', ProtocolVersion: 5, Pid: 4242, Test: true, Addr: addr } });
  return up;
}

interface Answer {
  headers: http2.IncomingHttpHeaders;
  body: Buffer;
  trailers: http2.IncomingHttpHeaders;
}

/** Terraform's side: one unary call through the proxy. */
function call(proxy: SchemaProxy, method: string, request = Buffer.alloc(0)): Promise<Answer & { rstCode?: number }> {
  const socket = (JSON.parse(proxy.reattach) as Record<string, { Addr: { String: string } }>)[ADDRESS].Addr.String;
  const client = http2.connect('http://provider', { createConnection: () => connect(socket) });
  return new Promise((resolve, reject) => {
    client.on('error', reject);
    const path = method.startsWith('/') ? method : `/tfplugin5.Provider/${method}`;
    const req = client.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers' });
    const chunks: Buffer[] = [];
    let headers: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders = {};
    req.on('response', (h) => (headers = h));
    req.on('trailers', (t) => (trailers = t));
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('error', () => undefined); // A reset shows as rstCode.
    req.on('close', () => {
      client.close();
      resolve({ headers, body: Buffer.concat(chunks), trailers, rstCode: req.rstCode });
    });
    req.end(frameMessage(request));
  });
}

/** Sends a call and gives up on it (Terraform cancelling, or exiting) once the request is out. */
async function giveUp(proxy: SchemaProxy, path: string): Promise<void> {
  const socket = (JSON.parse(proxy.reattach) as Record<string, { Addr: { String: string } }>)[ADDRESS].Addr.String;
  const client = http2.connect('http://provider', { createConnection: () => connect(socket) });
  const req = client.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers' });
  req.on('error', () => undefined);
  await new Promise<void>((resolve) => req.end(frameMessage(Buffer.alloc(0)), resolve));
  await new Promise((r) => setTimeout(r, 30));
  client.destroy();
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** grpc-status, from the trailers or (trailers-only answers) the headers. */
const status = (a: Answer) => String(a.trailers['grpc-status'] ?? a.headers['grpc-status']);

let upstream: Upstream;
let proxy: SchemaProxy;
beforeEach(async () => {
  upstream = await startUpstream();
  proxy = await startSchemaProxy(upstream.reattach);
});
afterEach(async () => {
  await proxy.close();
  await upstream.close();
});

describe('startSchemaProxy', () => {
  it('gives a reattach value for the same provider, pointing at a socket of its own', () => {
    const entry = (JSON.parse(proxy.reattach) as Record<string, { Pid: number; Test: boolean; ProtocolVersion: number; Addr: { Network: string; String: string } }>)[ADDRESS];
    expect(entry).toMatchObject({ Pid: 4242, Test: true, ProtocolVersion: 5, Addr: { Network: 'unix' } });
    expect(entry.Addr.String).not.toBe(JSON.parse(upstream.reattach)[ADDRESS].Addr.String);
    expect(existsSync(entry.Addr.String)).toBe(true);
  });

  it('passes other calls through: request, response headers, body and trailers', async () => {
    const a = await call(proxy, 'Echo', Buffer.from('plan me'));
    expect(unframeMessage(a.body)?.toString()).toBe('plan me');
    expect(a.headers['x-provider']).toBe('fake');
    expect(a.trailers).toMatchObject({ 'grpc-status': '0', 'x-trailer': '/tfplugin5.Provider/Echo' });
    expect(upstream.calls).toEqual(['/tfplugin5.Provider/Echo']);
  });

  it('passes an error answered in the headers alone (trailers-only) through', async () => {
    const a = await call(proxy, 'Fail');
    expect(a.headers).toMatchObject({ 'grpc-status': '3', 'grpc-message': 'bad argument' });
    expect(a.body.length).toBe(0);
    // Passed as it came: no trailers of the proxy's own after it.
    expect(a.trailers).toEqual({});
  });

  it('asks the provider for its schema once and answers later calls from the kept copy', async () => {
    const first = await call(proxy, 'GetSchema');
    const second = await call(proxy, 'GetSchema');
    expect(unframeMessage(first.body)).toEqual(SCHEMA);
    expect(unframeMessage(second.body)).toEqual(SCHEMA);
    expect(status(second)).toBe('0');
    expect(upstream.calls).toEqual(['/tfplugin5.Provider/GetSchema']);
    expect(proxy.stats).toEqual({ fromProvider: 1, fromCache: 1, filtered: 0 });
  });

  it('answers with only the types set by use(), and with every schema again after use(undefined)', async () => {
    proxy.use(types(['aws_vpc'], ['aws_ami']));
    const cut = await call(proxy, 'GetSchema');
    expect(unframeMessage(cut.body)).toEqual(filterSchemaResponse(SCHEMA, types(['aws_vpc'], ['aws_ami'])));
    expect(unframeMessage(cut.body)?.includes(Buffer.from('bucket'))).toBe(false);
    proxy.use(undefined);
    expect(unframeMessage((await call(proxy, 'GetSchema')).body)).toEqual(SCHEMA);
    expect(proxy.stats.filtered).toBe(1);
  });

  it.each([
    ['in the headers alone', { status: '13', body: Buffer.alloc(0), trailersOnly: true }],
    ['in the trailers, after a body', { status: '13', body: SCHEMA, trailersOnly: false }],
  ])('does not keep an error answer (status %s): it is relayed, and the next call asks the provider again', async (_where, answer) => {
    upstream.schemaAnswer = answer;
    proxy.use(types(['aws_vpc']));
    const failed = await call(proxy, 'GetSchema');
    expect(status(failed)).toBe('13');
    expect(failed.body).toEqual(answer.trailersOnly ? Buffer.alloc(0) : frameMessage(SCHEMA));
    upstream.schemaAnswer = { status: '0', body: SCHEMA };
    expect(unframeMessage((await call(proxy, 'GetSchema')).body)).toEqual(filterSchemaResponse(SCHEMA, types(['aws_vpc'])));
    expect(upstream.calls.filter((c) => c.endsWith('GetSchema'))).toHaveLength(2);
    expect(proxy.stats).toEqual({ fromProvider: 2, fromCache: 0, filtered: 1 });
  });

  it('relays a compressed schema answer as it came and does not keep it', async () => {
    const compressed = Buffer.concat([Buffer.from([1, 0, 0, 0, 3]), Buffer.from('zip')]);
    upstream.schemaAnswer = { status: '0', body: compressed, raw: true };
    proxy.use(types([]));
    expect((await call(proxy, 'GetSchema')).body).toEqual(compressed);
    expect((await call(proxy, 'GetSchema')).body).toEqual(compressed);
    expect(proxy.stats).toEqual({ fromProvider: 2, fromCache: 0, filtered: 0 });
  });

  it('keeps and cuts the protocol 6 schema call (GetProviderSchema) too', async () => {
    proxy.use(types(['aws_s3_bucket']));
    const v6 = '/tfplugin6.Provider/GetProviderSchema';
    expect(unframeMessage((await call(proxy, v6)).body)).toEqual(filterSchemaResponse(SCHEMA, types(['aws_s3_bucket'])));
    expect(unframeMessage((await call(proxy, v6)).body)).toEqual(filterSchemaResponse(SCHEMA, types(['aws_s3_bucket'])));
    expect(proxy.stats).toEqual({ fromProvider: 1, fromCache: 1, filtered: 2 });
  });

  it('answers UNAVAILABLE to a schema call the provider cannot take', async () => {
    await upstream.close();
    const a = await call(proxy, 'GetSchema');
    expect(status(a)).toBe('14');
    expect(decodeURIComponent(String(a.headers['grpc-message']))).toMatch(/gave no answer to the schema call/);
  });

  it('answers UNAVAILABLE (14) when the provider ends an answer without a status', async () => {
    const a = await call(proxy, 'NoStatus');
    expect(unframeMessage(a.body)?.toString()).toBe('half an answer');
    expect(a.trailers).toMatchObject({ 'grpc-status': '14', 'grpc-message': 'the provider ended its answer without a status' });
  });

  it('tells Terraform the call failed when the provider drops it mid-answer', async () => {
    const a = await call(proxy, 'Reset');
    expect(unframeMessage(a.body)?.toString()).toBe('first part');
    // Node reports the drop either as a reset or as an answer that ended without a status.
    const failed = a.rstCode === http2.constants.NGHTTP2_INTERNAL_ERROR || (a.rstCode === 0 && status(a) === '14');
    expect({ failed, rstCode: a.rstCode, trailers: a.trailers }).toMatchObject({ failed: true });
  });

  it('survives Terraform giving up before the provider answers, a plain call or the schema call', async () => {
    await giveUp(proxy, '/tfplugin5.Provider/Slow');
    upstream.schemaAnswer = { ...upstream.schemaAnswer, delayMs: 150 };
    await giveUp(proxy, '/tfplugin5.Provider/GetSchema');
    await sleep(250);
    expect(upstream.closed).toEqual(expect.arrayContaining(['/tfplugin5.Provider/Slow']));
    // The schema answer that came after Terraform left is kept for the next call.
    expect(unframeMessage((await call(proxy, 'GetSchema')).body)).toEqual(SCHEMA);
    expect(proxy.stats).toEqual({ fromProvider: 1, fromCache: 1, filtered: 0 });
  });

  it('uses one connection to the provider for every call, and connects again when it drops', async () => {
    await call(proxy, 'Echo');
    await call(proxy, 'Echo');
    await call(proxy, 'GetSchema');
    expect(upstream.connections).toBe(1);
    upstream.dropConnections();
    await sleep(50);
    expect(unframeMessage((await call(proxy, 'Echo', Buffer.from('again'))).body)?.toString()).toBe('again');
    expect(upstream.connections).toBe(2);
  });

  it('drops Terraform\'s open connections and its own to the provider on close', async () => {
    const socket = (JSON.parse(proxy.reattach) as Record<string, { Addr: { String: string } }>)[ADDRESS].Addr.String;
    expect(socket).toMatch(/[\\/]tf-schema-proxy-[^\\/]+[\\/]provider\.sock$/);
    const client = http2.connect('http://provider', { createConnection: () => connect(socket) });
    const req = client.request({ ':method': 'POST', ':path': '/plugin.GRPCStdio/Stream', 'content-type': 'application/grpc', te: 'trailers' });
    req.on('error', () => undefined);
    await new Promise((resolve) => req.once('data', resolve));
    const ended = new Promise((resolve) => client.once('close', resolve));
    await proxy.close();
    await ended;
    await sleep(50);
    expect(upstream.closed).toEqual(['/plugin.GRPCStdio/Stream']);
  });

  it('passes an answer it cannot read on whole, even when told to cut it', async () => {
    const unreadable = Buffer.concat([SCHEMA, Buffer.from([0x12, 0x7f])]);
    upstream.schemaAnswer = { status: '0', body: unreadable };
    proxy.use(types([]));
    expect(unframeMessage((await call(proxy, 'GetSchema')).body)).toEqual(unreadable);
    expect(proxy.stats.filtered).toBe(0);
  });

  it('answers UNAVAILABLE (14), not silence, when the provider is gone', async () => {
    await upstream.close();
    const a = await call(proxy, 'Echo');
    expect(status(a)).toBe('14');
    expect(a.headers['content-type']).toBe('application/grpc');
    expect(decodeURIComponent(String(a.headers['grpc-message']))).toMatch(/^the provider ended the call \(HTTP\/2 error \d+\)$/);
  });

  it('cancels the provider side of a call Terraform gives up (a long-lived stream)', async () => {
    const socket = (JSON.parse(proxy.reattach) as Record<string, { Addr: { String: string } }>)[ADDRESS].Addr.String;
    const client = http2.connect('http://provider', { createConnection: () => connect(socket) });
    const req = client.request({ ':method': 'POST', ':path': '/plugin.GRPCStdio/Stream', 'content-type': 'application/grpc', te: 'trailers' });
    await new Promise((resolve) => req.once('data', resolve));
    expect(upstream.closed).toEqual([]);
    client.destroy();
    for (let i = 0; i < 50 && !upstream.closed.length; i++) await new Promise((r) => setTimeout(r, 20));
    expect(upstream.closed).toEqual(['/plugin.GRPCStdio/Stream']);
  });

  it('reaches a provider that listens on TCP', async () => {
    const tcp = await startUpstream('tcp');
    const p = await startSchemaProxy(tcp.reattach);
    try {
      expect(unframeMessage((await call(p, 'Echo', Buffer.from('over tcp'))).body)?.toString()).toBe('over tcp');
    } finally {
      await p.close();
      await tcp.close();
    }
  });

  it('removes its socket on close, before the promise settles', async () => {
    const socket = (JSON.parse(proxy.reattach) as Record<string, { Addr: { String: string } }>)[ADDRESS].Addr.String;
    const closed = proxy.close();
    expect(existsSync(dirname(socket))).toBe(false);
    await closed;
  });

  it.each([
    ['two providers', JSON.stringify({ a: { Addr: { Network: 'unix', String: '/x' } }, b: { Addr: { Network: 'unix', String: '/y' } } }), /expected one provider.*got 2/],
    ['no provider', '{}', /expected one provider.*got 0/],
    ['a named pipe', JSON.stringify({ a: { Addr: { Network: 'pipe', String: 'x' } } }), /listens on "pipe"/],
  ])('rejects a reattach value with %s', async (_what, reattach, error) => {
    await expect(startSchemaProxy(reattach)).rejects.toThrow(error);
  });
});

describe('behindSchemaProxy', () => {
  const fakeProvider = () => {
    const calls: string[] = [];
    const provider: DebugProvider = {
      pid: 99,
      reattach: 'direct',
      alive: () => true,
      kill: () => void calls.push('kill'),
      stop: async () => void calls.push('stop'),
    };
    return { provider, calls };
  };

  it('attaches Terraform to the proxy and ends both on stop', async () => {
    const { provider, calls } = fakeProvider();
    const both = behindSchemaProxy(provider, proxy);
    expect(both.reattach).toBe(proxy.reattach);
    expect([both.pid, both.alive()]).toEqual([99, true]);
    both.use?.(types(['aws_vpc']));
    await call(proxy, 'GetSchema');
    expect(proxy.stats).toEqual({ fromProvider: 1, fromCache: 0, filtered: 1 });
    const socket = JSON.parse(proxy.reattach)[ADDRESS].Addr.String as string;
    await both.stop();
    expect(calls).toEqual(['stop']);
    expect(existsSync(socket)).toBe(false);
  });

  it('kills the provider and removes the proxy socket at once on kill (exit and signal handlers)', () => {
    const { provider, calls } = fakeProvider();
    const socket = JSON.parse(proxy.reattach)[ADDRESS].Addr.String as string;
    behindSchemaProxy(provider, proxy).kill();
    expect(calls).toEqual(['kill']);
    expect(existsSync(socket)).toBe(false);
  });
});
