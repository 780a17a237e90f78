import { asFiniteNumber } from '@mgov/stats';
import { NOT_A_NUMBER, numberAt } from './csv-number';

const read = (text: string) => numberAt(Buffer.from(text), 0, Buffer.byteLength(text));

describe('numberAt', () => {
  it('reads plain decimals exactly as Number() does', () => {
    for (const text of ['0', '-0', '42', '+7', '-12.5', '0.1', '.5', '1.', '123456789012345', '0.00000000000001', '999999.999999999']) {
      expect(Object.is(read(text), Number(text))).toBe(true);
    }
  });

  it('agrees with Number() over many random decimals, reading most of them itself', () => {
    let fast = 0;
    for (let i = 0; i < 20_000; i += 1) {
      const text = (Math.random() * 10 ** (i % 12)).toFixed(i % 9);
      const n = read(text);
      if (n !== undefined) fast += 1;
      expect(n ?? asFiniteNumber(text)).toBe(Number(text));
    }
    expect(fast).toBeGreaterThan(15_000);
  });

  it('says NOT_A_NUMBER for what cannot start a number, and leaves the rest to the general rule', () => {
    expect(read('north')).toBe(NOT_A_NUMBER);
    expect(read('north')).toBeNaN();
    for (const text of ['1e5', ' 4', '4 ', '1234567890123456', '0.000000000000001', '-', '.', '+', '2024-01-15', '1,5', '0x10', '١٢']) {
      expect(read(text)).toBeUndefined();
      // What the general rule then decides is still the rule for every format.
      expect(() => asFiniteNumber(text)).not.toThrow();
    }
  });
});
