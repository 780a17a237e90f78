import { passesLuhn } from './luhn';

describe('passesLuhn', () => {
  it('accepts well-known test card numbers', () => {
    for (const number of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '3530111333300000', '4012888888881881', '79927398713']) {
      expect(passesLuhn(number)).toBe(true);
    }
  });

  it('refuses them with one digit changed or two adjacent digits swapped', () => {
    expect(passesLuhn('4111111111111112')).toBe(false);
    expect(passesLuhn('79927398710')).toBe(false);
    expect(passesLuhn('79927398731')).toBe(false);
  });

  it('doubles from the right, so a leading zero changes nothing', () => {
    expect(passesLuhn('0079927398713')).toBe(true);
    expect(passesLuhn('18')).toBe(true); // 1·2 + 8 = 10
    expect(passesLuhn('59')).toBe(true); // 5·2 = 10 → 1, + 9 = 10
    expect(passesLuhn('91')).toBe(true); // 9·2 = 18 → 9, + 1 = 10
  });

  it('accepts all zeros (the schemes table rejects them) and refuses non-digits, one digit and empty text', () => {
    expect(passesLuhn('0000000000000000')).toBe(true);
    for (const bad of ['', '0', '4111 1111 1111 1111', '4111-1111', '411111111111111a', '٤١١١']) expect(passesLuhn(bad)).toBe(false);
  });
});
