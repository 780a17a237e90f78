import { createSecretKey } from 'node:crypto';
import { MIN_KEY_BYTES, pseudonymizationKey, pseudonymize } from './pseudonymize';

const KEY = '0123456789abcdef0123456789abcdef';

describe('pseudonymize', () => {
  it('is HMAC-SHA256 of the value text under the key, in lower-case hex (vectors from Python hmac)', () => {
    expect(pseudonymize('alice@example.com', KEY)).toBe('841240d2a5b6654b3ae21fc4499db7b7867077cdd67c3e16cef1f9843e27d1fa');
    expect(pseudonymize('Zoë', Buffer.from(KEY))).toBe('64bd0b89f9500306e666f1a29148521b83cdc43874181e432eb134a708c2b67a');
  });

  it('matches RFC 4231 test case 6 (a key longer than the block)', () => {
    const data = 'Test Using Larger Than Block-Size Key - Hash Key First';
    expect(pseudonymize(data, Buffer.alloc(131, 0xaa))).toBe('60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54');
  });

  it('is stable, and gives a CSV "42" and a JSON 42 the same pseudonym', () => {
    const expected = '3b12d0412db185c98ff58825ed4c81cfbc7bdabcf33ac48bdaaae5f39fc65445';
    expect(pseudonymize('42', KEY)).toBe(expected);
    expect(pseudonymize(42, KEY)).toBe(expected);
    expect(pseudonymize(42, pseudonymizationKey(KEY))).toBe(expected);
  });

  it('gives different pseudonyms under a different key', () => {
    expect(pseudonymize('alice@example.com', KEY.replace('0', 'x'))).not.toBe(pseudonymize('alice@example.com', KEY));
  });

  it('leaves missing values missing', () => {
    for (const missing of [null, undefined, '', '   ', Number.NaN]) expect(pseudonymize(missing, KEY)).toBeNull();
  });

  it(`refuses keys shorter than ${MIN_KEY_BYTES} bytes, and non-secret key objects`, () => {
    for (const weak of ['short', Buffer.alloc(31), createSecretKey(Buffer.alloc(16))]) {
      expect(() => pseudonymize('x', weak)).toThrow(expect.objectContaining({ code: 'PRIVACY.WEAK_KEY', status: 400 }));
    }
    expect(() => pseudonymizationKey(Buffer.alloc(32))).not.toThrow();
  });
});
