import { jsonCompatible } from './parquet-values';

describe('jsonCompatible', () => {
  it('turns INT64 into a number when exact, decimal text otherwise', () => {
    expect(jsonCompatible(42n)).toBe(42);
    expect(jsonCompatible(-(2n ** 53n) + 1n)).toBe(-(2 ** 53) + 1);
    expect(jsonCompatible(2n ** 53n)).toBe('9007199254740992');
  });

  it('turns timestamps into ISO-8601 text, and an invalid one into null', () => {
    expect(jsonCompatible(new Date(Date.UTC(2024, 0, 15, 10, 30)))).toBe('2024-01-15T10:30:00.000Z');
    expect(jsonCompatible(new Date(Number.NaN))).toBeNull();
  });

  it('reads unannotated bytes as text when they are UTF-8, base64 otherwise', () => {
    expect(jsonCompatible(Buffer.from('Zoë'))).toBe('Zoë');
    expect(jsonCompatible(new Uint8Array([0xff, 0x00]))).toBe('/wA=');
  });

  it('converts nested groups and lists member by member and leaves plain values alone', () => {
    expect(jsonCompatible({ a: [1n, { b: Buffer.from('x') }], c: null, d: 1.5, e: 'x', f: true })).toEqual({ a: [1, { b: 'x' }], c: null, d: 1.5, e: 'x', f: true });
  });
});
