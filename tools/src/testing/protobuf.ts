/** Protobuf encoding for tests: just enough to build provider schema answers by hand. */

export function varint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

/** A length-delimited field (wire type 2). */
export const bytesField = (field: number, payload: Buffer | string): Buffer => {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  return Buffer.concat([varint(field * 8 + 2), varint(body.length), body]);
};

/** A varint field (wire type 0). */
export const varintField = (field: number, value: number): Buffer => Buffer.concat([varint(field * 8), varint(value)]);

/** One entry of a map<string, Schema> field: key (1) and value (2). */
export const mapEntry = (field: number, key: string, value: Buffer | string): Buffer => bytesField(field, Buffer.concat([bytesField(1, key), bytesField(2, value)]));
