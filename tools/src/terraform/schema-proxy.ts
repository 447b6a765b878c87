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
const { NGHTTP2_CANCEL, NGHTTP2_INTERNAL_ERROR, NGHTTP2_NO_ERROR, NGHTTP2_FLAG_END_STREAM } = http2.constants;
/** Large enough for the AWS provider's whole schema (tens of MB) in flight at once. */
const SESSION = { maxSessionMemory: 512, settings: { initialWindowSize: 2 ** 24 } };
/** For 'error' events that the stream or call they belong to reports in its own way. */
const ignore = () => undefined;

/** One answer of the provider, read whole. */
interface Answer {
  /** Undefined when the provider gave no answer at all. */
  readonly headers?: http2.IncomingHttpHeaders;
  readonly body: Buffer;
  /** Undefined for a trailers-only answer (an error status in the headers). */
  readonly trailers?: http2.IncomingHttpHeaders;
  /** The schema message, when the answer is a success that can be kept and cut. */
  readonly message?: Buffer;
}

/** Ends Terraform's side of a call the provider could not answer: UNAVAILABLE, or a reset mid-answer. */
function fail(stream: http2.ServerHttp2Stream, why: string): void {
  if (stream.destroyed) return;
  if (stream.headersSent) return stream.close(NGHTTP2_INTERNAL_ERROR);
  stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '14', 'grpc-message': encodeURIComponent(why) }, { endStream: true });
}

/** Sends an answer read whole (kept or not) to Terraform, with `body` as its body. */
function relay(stream: http2.ServerHttp2Stream, answer: Answer, body: Buffer): void {
  const { headers, trailers } = answer;
  if (stream.destroyed) return;
  if (!headers) return fail(stream, 'the provider gave no answer to the schema call');
  if (!trailers) return void stream.respond(headers, { endStream: true });
  stream.respond(headers, { waitForTrailers: true });
  stream.on('wantTrailers', () => stream.sendTrailers(trailers));
  stream.end(body);
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
  // go-plugin listens on a Unix socket, or on Windows on 127.0.0.1:<port>.
  const dialUpstream = (): Socket => {
    if (Network === 'unix') return connect(where);
    const at = where.lastIndexOf(':');
    return connect({ host: where.slice(0, at), port: Number(where.slice(at + 1)) });
  };

  /** One connection to the provider for every call, made again if it drops. */
  let upstream: http2.ClientHttp2Session | undefined;
  const session = () => {
    if (!upstream || upstream.destroyed) {
      upstream = http2.connect('http://provider', { ...SESSION, createConnection: dialUpstream });
      upstream.on('error', ignore);
    }
    return upstream;
  };

  let used: UsedTypes | undefined;
  let kept: Promise<Answer> | undefined;
  const stats = { fromProvider: 0, fromCache: 0, filtered: 0 };

  /** Any call but the schema call: both directions piped, headers and trailers as they come. */
  const forward = (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => {
    const up = session().request(headers);
    let trailers: http2.OutgoingHttpHeaders = { 'grpc-status': '14', 'grpc-message': 'the provider ended its answer without a status' };
    stream.pipe(up);
    up.on('response', (h, flags) => {
      if (stream.destroyed) return;
      if (flags & NGHTTP2_FLAG_END_STREAM) return stream.respond(h, { endStream: true });
      stream.respond(h, { waitForTrailers: true });
      up.pipe(stream, { end: false }); // Ended on close, once it is known whether the provider finished or reset the call.
    });
    up.on('trailers', (t) => (trailers = t));
    stream.on('wantTrailers', () => stream.sendTrailers(trailers));
    up.on('error', ignore);
    stream.on('error', ignore);
    // Terraform gave up (or exited): so does the provider. The provider reset the call: so does Terraform's side.
    stream.on('close', () => up.close(NGHTTP2_CANCEL));
    up.on('close', () => {
      if (up.rstCode !== NGHTTP2_NO_ERROR) fail(stream, `the provider ended the call (HTTP/2 error ${up.rstCode})`);
      else if (!stream.writableEnded) stream.end();
    });
  };

  /** The provider's answer to the schema call, read whole. */
  const fetchSchema = (headers: http2.IncomingHttpHeaders): Promise<Answer> =>
    new Promise((resolve) => {
      stats.fromProvider++;
      const up = session().request(headers);
      up.end(frameMessage(Buffer.alloc(0))); // The request message has no fields.
      const chunks: Buffer[] = [];
      let response: http2.IncomingHttpHeaders | undefined;
      let trailers: http2.IncomingHttpHeaders | undefined;
      up.on('response', (h) => (response = h));
      up.on('trailers', (t) => (trailers = t));
      up.on('data', (d: Buffer) => chunks.push(d));
      up.on('error', ignore);
      up.on('close', () => {
        const body = Buffer.concat(chunks);
        const message = trailers?.['grpc-status'] === '0' ? unframeMessage(body) : undefined;
        resolve({ headers: response, body, trailers, ...(message ? { message } : {}) });
      });
    });

  const serveSchema = async (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => {
    stream.resume();
    const cached = kept !== undefined;
    kept ??= fetchSchema(headers);
    const answer = await kept;
    if (!answer.message) {
      kept = undefined; // An error or an answer this code cannot read: relayed as it is, and asked again next time.
      return relay(stream, answer, answer.body);
    }
    if (cached) stats.fromCache++;
    let message = answer.message;
    if (used) {
      try {
        message = filterSchemaResponse(answer.message, used);
        stats.filtered++;
      } catch {
        // An answer this code cannot read goes to Terraform whole.
      }
    }
    relay(stream, answer, frameMessage(message));
  };

  const dir = mkdtempSync(join(tmpdir(), 'tf-schema-proxy-'));
  const socket = join(dir, 'provider.sock');
  const server = http2.createServer(SESSION);
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  server.on('stream', (stream, headers) => {
    try {
      if (SCHEMA_PATHS.has(String(headers[':path']))) void serveSchema(stream, headers);
      else forward(stream, headers);
    } catch (e) {
      fail(stream, `schema proxy: ${(e as Error).message}`);
    }
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socket, resolve));

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
    kill: () => {
      void proxy.close();
      provider.kill();
    },
    stop: async () => {
      await Promise.all([proxy.close(), provider.stop()]);
    },
  };
}
