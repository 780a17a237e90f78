import { hasCardSchemeShape, paymentCardDetector } from './payment-card';

describe('paymentCardDetector', () => {
  it('finds Luhn-valid numbers of the major schemes, bare or grouped by spaces or dashes', () => {
    const cards = ['4111111111111111', '4111 1111 1111 1111', '5555-5555-5555-4444', '2223003122003222', '378282246310005', '3782 822463 10005', '6011111111111117', '3530111333300000', '30569309025904', '6200000000000005', '4222222222222'];
    for (const card of cards) expect([card, paymentCardDetector.find(`paid with ${card}.`)]).toEqual([card, [card]]);
  });

  it('finds a card number stored as a JSON number, and several per cell', () => {
    expect(paymentCardDetector.find(String(4111111111111111))).toEqual(['4111111111111111']);
    expect(paymentCardDetector.find('4111111111111111; 5555555555554444')).toEqual(['4111111111111111', '5555555555554444']);
  });

  it('skips a number that fails Luhn, or passes it outside any scheme (prefix or length)', () => {
    expect(paymentCardDetector.find('4111111111111112')).toEqual([]);
    expect(paymentCardDetector.find('1234567812345670')).toEqual([]); // Luhn-valid, no scheme starts with 1
    expect(paymentCardDetector.find('0000000000000000')).toEqual([]); // Luhn-valid, no scheme starts with 0
    expect(paymentCardDetector.find('41111111111111')).toEqual([]); // a Visa prefix, but 14 digits
  });

  it('ignores order numbers, timestamps, digests, IDs inside words and long decimals', () => {
    const traps = [
      '1700000000123',
      '20240115103000123',
      'ORD4111111111111111',
      'ORD-4111111111111111',
      '4111111111111111999',
      '3.4111111111111111',
      '3,4111111111111111',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'ISBN 978-3-16-148410-0',
      '123e4567-e89b-12d3-a456-426614174000',
    ];
    for (const trap of traps) expect([trap, paymentCardDetector.find(trap)]).toEqual([trap, []]);
  });

  it('redacts every digit but the last four', () => {
    expect(paymentCardDetector.redact('4111 1111 1111 1111')).toBe('**** **** **** 1111');
  });

  it('knows the schemes by prefix range and length', () => {
    expect(hasCardSchemeShape('2720991234567890')).toBe(true);
    expect(hasCardSchemeShape('2721001234567890')).toBe(false);
    expect(hasCardSchemeShape('371234567890123')).toBe(true);
    expect(hasCardSchemeShape('3712345678901234')).toBe(false);
  });
});
