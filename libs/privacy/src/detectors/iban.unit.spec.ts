import { ibanDetector } from './iban';

describe('ibanDetector', () => {
  it('finds IBANs in electronic and print form, checked with mod-97', () => {
    const ibans = ['DE89370400440532013000', 'DE89 3704 0044 0532 0130 00', 'GB82 WEST 1234 5698 7654 32', 'NL91ABNA0417164300', 'FR14 2004 1010 0505 0001 3M02 606', 'BE68539007547034'];
    for (const iban of ibans) expect([iban, ibanDetector.find(`pay to ${iban}, thanks`)]).toEqual([iban, [iban]]);
  });

  it('stops before an upper-case word that follows the IBAN', () => {
    expect(ibanDetector.find('DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX')).toEqual(['DE89 3704 0044 0532 0130 00']);
  });

  it('skips wrong check digits, unknown countries, wrong lengths and lower case', () => {
    for (const trap of ['DE89370400440532013001', 'DE88370400440532013000', 'XX89370400440532013000', 'DE8937040044053201300', 'GB82WEST12345698765431', 'de89370400440532013000', 'SKU AB12CDEF3456789012']) {
      expect([trap, ibanDetector.find(trap)]).toEqual([trap, []]);
    }
  });

  it('redacts all but the country code and the last four characters', () => {
    expect(ibanDetector.redact('DE89 3704 0044 0532 0130 00')).toBe('DE****************3000');
  });
});
