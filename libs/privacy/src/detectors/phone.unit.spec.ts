import { phoneDetector } from './phone';

describe('phoneDetector', () => {
  const phone = phoneDetector();

  it('finds E.164 and international numbers with any common grouping', () => {
    for (const number of ['+14155552671', '+1 415 555 2671', '+1 (415) 555-2671', '+44 20 7946 0958', '+33 1 42 68 53 00', '+49 30 901820', '+353 1 234 5678', '+1-415-555-2671']) {
      expect([number, phone.find(`call ${number} today`)]).toEqual([number, [number]]);
    }
  });

  it('finds North American national formats, checked against the numbering plan', () => {
    expect(phone.find('(415) 555-2671 or 415-555-2671 or 415.555.2671')).toEqual(['(415) 555-2671', '415-555-2671', '415.555.2671']);
    // No area code starts with 1 (or 0): this is not a number anyone can have.
    expect(phone.find('123-456-7890')).toEqual([]);
  });

  it('finds trunk-prefixed national formats of the configured regions', () => {
    expect(phone.find('office 020 7946 0958')).toEqual(['020 7946 0958']);
    expect(phone.find('Tél. 01 42 68 53 00')).toEqual(['01 42 68 53 00']);
    expect(phone.find('mobil 0151-23456789')).toEqual(['0151-23456789']);
    expect(phoneDetector({ nationalRegions: ['US'] }).find('Tél. 01 42 68 53 00')).toEqual([]);
  });

  it('counts a number once even when a national pattern matches inside it', () => {
    expect(phone.find('+1 415-555-2671')).toEqual(['+1 415-555-2671']);
  });

  it('never takes a bare run of digits, a date, a time, a version or an address for a phone number', () => {
    const traps = [
      '4155552671',
      '14155552671',
      '1700000000',
      '20240115103000',
      '2024-01-15',
      '2024-01-15 10:30:00',
      '15.01.2024',
      '01-02-2024',
      'order 1234-5678-90',
      'ORD-2024-000123',
      'v10.0.19041.1',
      '192.168.1.1',
      '3.14159265',
      '555-12-3456',
      'score +12.5',
      '+100000000',
      'ISBN 978-3-16-148410-0',
      '$1,234,567.89',
    ];
    for (const trap of traps) expect([trap, phone.find(trap)]).toEqual([trap, []]);
  });

  it('redacts every digit but the last two, keeping the layout', () => {
    expect(phone.redact('+1 (415) 555-2671')).toBe('+* (***) ***-**71');
  });
});
