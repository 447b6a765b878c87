import { bytesField, varint, varintField } from '../testing/protobuf';
import { readFields } from './protobuf-wire';

describe('readFields', () => {
  it('walks varint, fixed and length-delimited fields in order, with their exact byte ranges', () => {
    const fixed64 = Buffer.concat([varint(3 * 8 + 1), Buffer.alloc(8, 7)]);
    const fixed32 = Buffer.concat([varint(4 * 8 + 5), Buffer.alloc(4, 9)]);
    const parts = [varintField(1, 300), bytesField(2, 'hello'), fixed64, fixed32, bytesField(1000, '')];
    const fields = readFields(Buffer.concat(parts));
    expect(fields.map((f) => [f.field, f.wireType, f.end - f.start])).toEqual([
      [1, 0, 3],
      [2, 2, 7],
      [3, 1, 9],
      [4, 5, 5],
      [1000, 2, 3],
    ]);
    expect(fields.map((f) => f.start)).toEqual([0, 3, 10, 19, 24]);
    expect(fields[1].payload?.toString()).toBe('hello');
    expect(fields[4].payload).toEqual(Buffer.alloc(0));
    expect(fields[0].payload).toBeUndefined();
  });

  it('reads varints longer than 32 bits without wrapping', () => {
    const big = 2 ** 40 + 5;
    const fields = readFields(Buffer.concat([varintField(1, big), bytesField(2, 'x')]));
    expect(fields[1]).toMatchObject({ field: 2, start: 7 });
  });

  it('returns no fields for an empty message', () => {
    expect(readFields(Buffer.alloc(0))).toEqual([]);
  });

  it.each([
    ['a length past the end', Buffer.concat([varint(2 * 8 + 2), varint(10), Buffer.from('abc')]), /runs past the end/],
    ['a truncated fixed64', Buffer.concat([varint(3 * 8 + 1), Buffer.alloc(7)]), /runs past the end/],
    ['a truncated fixed32', Buffer.concat([varint(3 * 8 + 5), Buffer.alloc(3)]), /runs past the end/],
    ['a varint cut off', Buffer.from([0x08, 0x80]), /truncated or overlong varint/],
    ['a varint over 10 bytes', Buffer.concat([Buffer.from([0x08]), Buffer.alloc(11, 0x80)]), /truncated or overlong varint/],
    ['an 11-byte varint that ends', Buffer.concat([Buffer.from([0x08]), Buffer.alloc(10, 0x80), Buffer.from([0x01])]), /truncated or overlong varint at byte 1/],
    ['a group (wire type 3)', Buffer.from([0x0b]), /wire type 3/],
    ['field number 0', Buffer.from([0x02, 0x00]), /field number 0 at byte 0/],
  ])('throws on %s', (_what, message, error) => {
    expect(() => readFields(message)).toThrow(error);
  });

  it('accepts a varint of exactly 10 bytes', () => {
    const tenBytes = Buffer.concat([Buffer.from([0x08]), Buffer.alloc(9, 0x80), Buffer.from([0x01])]);
    expect(readFields(tenBytes)).toHaveLength(1);
  });
});
