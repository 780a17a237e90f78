import { usSsnDetector } from './us-ssn';

describe('usSsnDetector', () => {
  it('finds dashed social security numbers', () => {
    expect(usSsnDetector.find('SSN 123-45-6789; spouse 078-05-1121')).toEqual(['123-45-6789', '078-05-1121']);
  });

  it('skips numbers never issued: area 000, 666 or 9xx, group 00, serial 0000', () => {
    for (const never of ['000-12-3456', '666-12-3456', '900-12-3456', '999-12-3456', '123-00-4567', '123-45-0000']) expect(usSsnDetector.find(never)).toEqual([]);
  });

  it('ignores bare nine-digit numbers, dates, phone numbers and longer dashed codes', () => {
    for (const trap of ['123456789', '2024-01-15', '415-555-2671', '123-45-67890', '1123-45-6789', 'A123-45-6789', '123-45-6789-0', 'v123-45-6789', '123 45 6789']) {
      expect([trap, usSsnDetector.find(trap)]).toEqual([trap, []]);
    }
  });

  it('redacts to the last four digits', () => {
    expect(usSsnDetector.redact('123-45-6789')).toBe('***-**-6789');
  });
});
