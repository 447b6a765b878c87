// Git smart-HTTP request bodies (protocol v0/v1), built by hand so the k6 bundle needs no Git.
// Everything here is ASCII, so strings map to bytes one to one.

/** One pkt-line: four hex digits of length (including themselves), then the payload. */
export function pktLine(payload: string): string {
  const length = payload.length + 4;
  if (length > 65520) throw new Error(`pkt-line too long (${length} bytes)`);
  return length.toString(16).padStart(4, '0') + payload;
}

export const FLUSH = '0000';
export const ZERO_SHA = '0'.repeat(40);

/**
 * A fetch negotiation: want `want`, tell the server we have `have`, done. The server answers with
 * a pack of what lies between the two commits, as a `git pull` of one new commit would get.
 */
export function uploadPackRequest(want: string, have?: string): string {
  const caps = 'multi_ack_detailed side-band-64k thin-pack ofs-delta agent=gitlab-aws-load-tests';
  return pktLine(`want ${want} ${caps}\n`) + FLUSH + (have ? pktLine(`have ${have}\n`) : '') + pktLine('done\n');
}

export function asciiBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 127) throw new Error('expected ASCII text');
    bytes[i] = code;
  }
  return bytes;
}

function hexBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A version-2 pack with no objects: header "PACK", version 2, count 0, then its SHA-1. */
export function emptyPack(sha1Hex: (bytes: Uint8Array) => string): Uint8Array {
  const header = new Uint8Array([0x50, 0x41, 0x43, 0x4b, 0, 0, 0, 2, 0, 0, 0, 0]);
  return concat([header, hexBytes(sha1Hex(header))]);
}

export interface RefUpdate {
  readonly oldSha: string;
  readonly newSha: string;
  readonly ref: string;
}

/**
 * A push: ref updates, then a pack when anything is created or updated. Creating a branch at a
 * commit the server has needs no objects, so the pack is empty and the push still runs the
 * server's whole receive path (auth, hooks, ref transaction).
 */
export function receivePackRequest(updates: readonly RefUpdate[], sha1Hex: (bytes: Uint8Array) => string): Uint8Array {
  if (!updates.length) throw new Error('a push needs at least one ref update');
  const lines = updates.map((u, i) => pktLine(`${u.oldSha} ${u.newSha} ${u.ref}${i === 0 ? '\0report-status delete-refs agent=gitlab-aws-load-tests' : ''}\n`));
  const commands = asciiBytes(lines.join('') + FLUSH);
  const needsPack = updates.some((u) => u.newSha !== ZERO_SHA);
  return needsPack ? concat([commands, emptyPack(sha1Hex)]) : commands;
}
