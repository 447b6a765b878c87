import { frameMessage, unframeMessage } from './grpc-message';

describe('gRPC message framing', () => {
  it('prefixes a message with an uncompressed flag and its big-endian length', () => {
    const framed = frameMessage(Buffer.from('abc'));
    expect([...framed]).toEqual([0, 0, 0, 0, 3, 97, 98, 99]);
    expect(unframeMessage(framed)?.toString()).toBe('abc');
  });

  it('frames and reads back an empty message and one over 64 KiB', () => {
    expect(unframeMessage(frameMessage(Buffer.alloc(0)))).toEqual(Buffer.alloc(0));
    const big = Buffer.alloc(70_000, 1);
    expect(frameMessage(big).readUInt32BE(1)).toBe(70_000);
    expect(unframeMessage(frameMessage(big))).toEqual(big);
  });

  it.each([
    ['a compressed message', Buffer.from([1, 0, 0, 0, 1, 42])],
    ['a body shorter than the prefix', Buffer.from([0, 0, 0, 0])],
    ['a body shorter than its length', Buffer.from([0, 0, 0, 0, 2, 42])],
    ['two messages', Buffer.concat([frameMessage(Buffer.from('a')), frameMessage(Buffer.from('b'))])],
  ])('gives undefined for %s, so it is passed on untouched', (_what, body) => {
    expect(unframeMessage(body)).toBeUndefined();
  });
});
