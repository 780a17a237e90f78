import { encodeByteaArray } from './bytea-array';

describe('encodeByteaArray', () => {
  it('writes the one-dimensional bytea[] binary format array_recv expects', () => {
    const encoded = encodeByteaArray([Buffer.from([1, 2]), new Uint8Array([]), Buffer.from('hi')]);
    expect([...encoded]).toEqual([
      ...[0, 0, 0, 1], // dimensions
      ...[0, 0, 0, 0], // no nulls
      ...[0, 0, 0, 17], // element type: bytea
      ...[0, 0, 0, 3], // length
      ...[0, 0, 0, 1], // lower bound
      ...[0, 0, 0, 2, 1, 2],
      ...[0, 0, 0, 0],
      ...[0, 0, 0, 2, 0x68, 0x69],
    ]);
  });
});
