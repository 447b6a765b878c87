/** One top-level field of a protobuf message, as bytes: enough to copy or drop it without a schema. */
export interface WireField {
  readonly field: number;
  readonly wireType: number;
  /** The whole field (tag and value) within the message. */
  readonly start: number;
  readonly end: number;
  /** A length-delimited field's payload; undefined for the other wire types. */
  readonly payload?: Buffer;
}

function readVarint(buf: Buffer, pos: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent for `i < buf.length`: a byte past the end reads as undefined, which ends no varint, so the loop throws the same error at pos + 10
  for (let i = pos; i < buf.length && i < pos + 10; i++) {
    const byte = buf[i];
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) return { value, next: i + 1 };
  }
  throw new Error(`protobuf: truncated or overlong varint at byte ${pos}`);
}

/**
 * The top-level fields of a protobuf message in wire order. Throws on a malformed message (a
 * length past the end, an unknown wire type), so a caller can pass the bytes on untouched.
 */
export function readFields(buf: Buffer): WireField[] {
  const fields: WireField[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const start = pos;
    const tag = readVarint(buf, pos);
    const field = Math.floor(tag.value / 8);
    const wireType = tag.value % 8;
    pos = tag.next;
    let payload: Buffer | undefined;
    if (wireType === 0) pos = readVarint(buf, pos).next;
    else if (wireType === 1) pos += 8;
    else if (wireType === 5) pos += 4;
    else if (wireType === 2) {
      const len = readVarint(buf, pos);
      payload = buf.subarray(len.next, len.next + len.value);
      pos = len.next + len.value;
    } else throw new Error(`protobuf: wire type ${wireType} at byte ${start} is not supported`);
    if (field < 1) throw new Error(`protobuf: field number ${field} at byte ${start} (numbers start at 1)`);
    if (pos > buf.length) throw new Error(`protobuf: field at byte ${start} runs past the end of the message`);
    fields.push({ field, wireType, start, end: pos, ...(payload ? { payload } : {}) });
  }
  return fields;
}
