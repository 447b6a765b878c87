import { mkdtempSync, rmSync } from 'node:fs';
import http2 from 'node:http2';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugProvider } from './debug-provider';
import { frameMessage, unframeMessage } from './grpc-message';
import { filterSchemaResponse, type UsedTypes } from './schema-filter';

/** Where a reattachable provider listens, as its TF_REATTACH_PROVIDERS entry says. */
interface ReattachEntry {
  Addr: { Network: string; String: string };
  [key: string]: unknown;
}

/**
 * A proxy between Terraform and one provider process in debug mode. Every call passes through as
 * it is, except GetProviderSchema: the provider's answer is kept after the first call (a provider
 * binary's schema never changes) and each later answer is cut down to the types the configuration
 * being planned uses (schema-filter.ts). That spares each Terraform command the provider
 * serializing, and Terraform decoding, the schemas of the 1,500-odd AWS types a stack never uses.
 */
export interface SchemaProxy {
  /** TF_REATTACH_PROVIDERS value that points Terraform at the proxy. */
  readonly reattach: string;
  /** The types the next commands may use; undefined passes every schema. Set between commands only. */
  use(types: UsedTypes | undefined): void;
  /** Schema answers so far: from the provider, from the kept copy, and how many were cut down. */
  readonly stats: { fromProvider: number; fromCache: number; filtered: number };
  /**
   * Stops listening and drops every connection. The socket is gone when this returns (so it is
   * safe in an exit handler); the promise settles once the server has closed.
   */
  close(): Promise<void>;
}

// Protocol 5 names the call GetSchema, protocol 6 GetProviderSchema; both answer GetProviderSchema.Response.
const SCHEMA_PATHS = new Set(['/tfplugin5.Provider/GetSchema', '/tfplugin6.Provider/GetProviderSchema']);
const { NGHTTP2_CANCEL, NGHTTP2_FLAG_END_STREAM } = http2.constants;
/** Large enough for the AWS provider's whole schema (tens of MB) in flight at once. */
const SESSION = { maxSessionMemory: 512, settings: { initialWindowSize: 2 ** 24 } };

interface KeptAnswer {
  headers: http2.OutgoingHttpHeaders;
  message: Buffer;
  trailers: http2.OutgoingHttpHeaders;
}

/** Response headers without the pseudo-headers Node sets itself (":status" is passed as a value). */
function plainHeaders(headers: http2.IncomingHttpHeaders): http2.OutgoingHttpHeaders {
  const out: http2.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (!k.startsWith(':') || k === ':status') out[k] = v;
  return out;
}

function requestHeaders(headers: http2.IncomingHttpHeaders): http2.OutgoingHttpHeaders {
  const out: http2.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (!k.startsWith(':') || k === ':method' || k === ':path') out[k] = v;
  return out;
}

function unavailable(stream: http2.ServerHttp2Stream, why: string): void {
  if (stream.destroyed || stream.headersSent) return stream.close(NGHTTP2_CANCEL);
  stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '14', 'grpc-message': encodeURIComponent(why) }, { endStream: true });
}

/**
 * Starts a proxy for the provider that `reattach` (its TF_REATTACH_PROVIDERS value, one entry)
 * describes, listening on a new Unix socket. Rejects when the value cannot be proxied.
 */
export async function startSchemaProxy(reattach: string): Promise<SchemaProxy> {
  const entries = Object.entries(JSON.parse(reattach) as Record<string, ReattachEntry>);
  if (entries.length !== 1) throw new Error(`schema proxy: expected one provider in TF_REATTACH_PROVIDERS, got ${entries.length}`);
  const [address, entry] = entries[0];
  const { Network, String: where } = entry.Addr ?? {};
  if (Network !== 'unix' && Network !== 'tcp') throw new Error(`schema proxy: provider listens on "${Network}", not a Unix or TCP socket`);
  const dialUpstream = (): Socket => {
    if (Network === 'unix') return connect(where);
    const at = where.lastIndexOf(':');
    return connect({ host: where.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(where.slice(at + 1)) });
  };

  let upstream: http2.ClientHttp2Session | undefined;
  const session = () => {
    if (!upstream || upstream.closed || upstream.destroyed) {
      const s = http2.connect('http://provider', { ...SESSION, createConnection: dialUpstream });
      s.on('error', () => undefined); // Each stream on it reports the failure to Terraform.
      s.on('close', () => upstream === s && (upstream = undefined));
      upstream = s;
    }
    return upstream;
  };

  let used: UsedTypes | undefined;
  let kept: Promise<KeptAnswer | undefined> | undefined;
  const stats = { fromProvider: 0, fromCache: 0, filtered: 0 };

  const forward = (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => {
    let up: http2.ClientHttp2Stream;
    try {
      up = session().request(requestHeaders(headers));
    } catch (e) {
      return unavailable(stream, `provider not reachable: ${(e as Error).message}`);
    }
    let trailers: http2.OutgoingHttpHeaders = { 'grpc-status': '14', 'grpc-message': 'provider stream ended without a status' };
    stream.pipe(up);
    up.on('response', (h, flags) => {
      if (stream.destroyed) return;
      if (flags & NGHTTP2_FLAG_END_STREAM) return stream.respond(plainHeaders(h), { endStream: true });
      stream.respond(plainHeaders(h), { waitForTrailers: true });
      up.pipe(stream);
    });
    up.on('trailers', (t) => (trailers = plainHeaders(t)));
    stream.on('wantTrailers', () => stream.sendTrailers(trailers));
    up.on('error', (e) => unavailable(stream, `provider call failed: ${e.message}`));
    stream.on('error', () => undefined);
    stream.on('close', () => !up.closed && up.close(NGHTTP2_CANCEL));
    up.on('close', () => {
      if (!stream.closed && !stream.headersSent) unavailable(stream, 'provider closed the call');
      else if (!stream.closed && up.rstCode && up.rstCode !== 0) stream.close(up.rstCode);
    });
  };

  /** The provider's whole schema answer, asked once; undefined when it cannot be kept (an error, compression). */
  const fetchSchema = (headers: http2.IncomingHttpHeaders): Promise<KeptAnswer | undefined> =>
    new Promise((resolve) => {
      let up: http2.ClientHttp2Stream;
      try {
        up = session().request(requestHeaders(headers), { endStream: false });
      } catch {
        return resolve(undefined);
      }
      up.end(frameMessage(Buffer.alloc(0)));
      const chunks: Buffer[] = [];
      let response: http2.OutgoingHttpHeaders | undefined;
      let trailers: http2.OutgoingHttpHeaders | undefined;
      up.on('response', (h) => (response = plainHeaders(h)));
      up.on('trailers', (t) => (trailers = plainHeaders(t)));
      up.on('data', (d: Buffer) => chunks.push(d));
      up.on('error', () => resolve(undefined));
      up.on('close', () => {
        const message = unframeMessage(Buffer.concat(chunks));
        const ok = response && trailers && String(trailers['grpc-status']) === '0' && !response['grpc-encoding'];
        resolve(ok && message ? { headers: response!, message, trailers: trailers! } : undefined);
      });
    });

  const serveSchema = async (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => {
    stream.resume(); // The request is an empty message.
    const first = !kept;
    kept ??= fetchSchema(headers);
    const answer = await kept;
    if (!answer) {
      kept = undefined; // Not kept: ask the provider each time, as Terraform would.
      return forward(stream, headers);
    }
    if (first) stats.fromProvider++;
    else stats.fromCache++;
    let message = answer.message;
    if (used) {
      try {
        message = filterSchemaResponse(answer.message, used);
        stats.filtered++;
      } catch {
        // An answer this code cannot read goes to Terraform whole.
      }
    }
    if (stream.destroyed) return;
    stream.respond(answer.headers, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers(answer.trailers));
    stream.on('error', () => undefined);
    stream.end(frameMessage(message));
  };

  const dir = mkdtempSync(join(tmpdir(), 'tf-schema-proxy-'));
  const socket = join(dir, 'provider.sock');
  const server = http2.createServer(SESSION);
  server.on('stream', (stream, headers) => {
    if (SCHEMA_PATHS.has(String(headers[':path']))) void serveSchema(stream, headers);
    else forward(stream, headers);
  });
  server.on('sessionError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => resolve());
  });
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });

  return {
    reattach: JSON.stringify({ [address]: { ...entry, Addr: { Network: 'unix', String: socket } } }),
    use: (types) => (used = types),
    stats,
    close: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sessions) s.destroy();
      upstream?.destroy();
      rmSync(dir, { recursive: true, force: true });
      return closed;
    },
  };
}

/**
 * A debug-mode provider behind a schema proxy: Terraform attaches to the proxy, and stopping or
 * killing it ends both the proxy and the provider process.
 */
export function behindSchemaProxy(provider: DebugProvider, proxy: SchemaProxy): DebugProvider {
  return {
    pid: provider.pid,
    reattach: proxy.reattach,
    alive: () => provider.alive(),
    use: (types) => proxy.use(types),
    schemaStats: () => ({ ...proxy.stats }),
    kill: () => {
      void proxy.close();
      provider.kill();
    },
    stop: async () => {
      await Promise.all([proxy.close(), provider.stop()]);
    },
  };
}
