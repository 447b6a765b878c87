/** gRPC's length-prefixed message framing (one byte compressed flag, four bytes big-endian length). */

export function frameMessage(message: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(message.length, 1);
  return Buffer.concat([head, message]);
}

/**
 * The single uncompressed message of a unary body, or undefined when the body is not exactly one
 * uncompressed message (then the caller passes it on as it came).
 */
export function unframeMessage(body: Buffer): Buffer | undefined {
  if (body.length < 5 || body[0] !== 0) return undefined;
  const length = body.readUInt32BE(1);
  return body.length === 5 + length ? body.subarray(5) : undefined;
}
